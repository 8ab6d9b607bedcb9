/**
 * @module The matcher contract (claircore `driver.Matcher`): which index
 * records a matcher handles (`filter`), how the database lookup is
 * constrained (`query`), and whether a candidate vulnerability really
 * affects a record (`vulnerable`, a pure function). SQL and network stay out
 * of matchers.
 */
import type { IndexRecord, MatchConstraint, Vulnerability } from '../model/index.js';

export type { IndexRecord, MatchConstraint } from '../model/match-constraint.js';

export interface Matcher {
  /** Persisted and configurable by name (`matchers.names`). */
  readonly name: string;
  filter(record: IndexRecord): boolean;
  query(): readonly MatchConstraint[];
  vulnerable(record: IndexRecord, vulnerability: Vulnerability): boolean;
  /**
   * Pre-filter in the database by the package's normalized version; when
   * `authoritative`, that filter decides and `vulnerable` is not called.
   */
  readonly versionFilter?: { authoritative: boolean };
}

/** claircore's arch rule: a vulnerability without an arch applies to all; a package without one matches none that has one. */
export function archMatches(op: string | undefined, vulnArch: string | undefined, pkgArch: string | undefined): boolean {
  if (!op || !vulnArch) return true;
  if (!pkgArch) return false;
  switch (op) {
    case 'equals':
      return vulnArch === pkgArch;
    case 'not equals':
      return vulnArch !== pkgArch;
    case 'pattern match':
      try {
        return new RegExp(vulnArch).test(pkgArch);
      } catch {
        return false;
      }
    default:
      return true;
  }
}
