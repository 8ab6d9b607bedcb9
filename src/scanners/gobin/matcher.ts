/**
 * @module Go matcher (claircore `gobin/matcher.go`): modules and `stdlib`
 * from Go executables against OSV Go records, decided by the database's
 * normalized-range filter (authoritative, so `vulnerable` is not called by
 * the controller; it implements the same range check for direct callers).
 */
import type { IndexRecord, Matcher } from '../../matcher/matcher.js';
import { osvRangeRule } from '../../matcher/osv-rule.js';
import { GO_REPOSITORY } from './scanner.js';

export const GOBIN_MATCHER_NAME = 'gobin'; // persisted; never rename

/**
 * A record the Go matcher may look up: in the Go repository (claircore keys
 * on its URI; the lookup keys on its name, so either identifies it) and with
 * a `semver` normalized version. `(devel)` main modules carry none (or an
 * `unmatchable` one), so they never match.
 */
function isGoRecord(r: IndexRecord): boolean {
  const repo = r.repository;
  if (repo === undefined || (repo.uri !== GO_REPOSITORY.uri && repo.name !== GO_REPOSITORY.name)) return false;
  if (r.package.version.startsWith('(devel)')) return false;
  return r.package.normalized_version.startsWith('semver:');
}

export const gobinMatcher = {
  name: GOBIN_MATCHER_NAME,
  filter: isGoRecord,
  query: () => ['RepositoryName'],
  vulnerable: (r, v) => isGoRecord(r) && osvRangeRule('gomod')(r, v),
  versionFilter: { authoritative: true },
} as const satisfies Matcher;
