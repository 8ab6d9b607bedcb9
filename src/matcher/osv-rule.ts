/**
 * @module claircore's OSV `vulnerable` rule, shared by the language matchers
 * whose records come from the OSV updater with an ECOSYSTEM range (PyPI,
 * Maven, RubyGems): the record's `fixed_in_version` is a URL query string
 * `introduced=X&fixed=Y&lastAffected=Z`, every key optional. Also the range
 * rule for the SEMVER ecosystems (Go, npm), whose records carry a normalized
 * `range`. Neither rule ever throws: anything that does not parse is "not
 * vulnerable", as claircore returns an error (and so no match) there.
 */
import type { Vulnerability } from '../model/index.js';
import { compareVersions } from '../versions/index.js';
import { normalizedRangeContains, parseNormalized, type SchemeName } from '../versions/scheme.js';
import type { IndexRecord } from './matcher.js';

/** The keys of an OSV `fixed_in_version` query string, first value of each (Go `url.Values.Get`); empty values count as absent. */
export interface OsvFixedIn {
  introduced?: string;
  fixed?: string;
  lastAffected?: string;
}

function decodeComponent(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/**
 * Parses `fixed_in_version` as Go's `url.ParseQuery` does: `&`-separated
 * `key=value` pairs, `+` is a space, percent escapes decoded; a `;` or a bad
 * escape is an error (`undefined`). Only the three OSV keys are kept.
 */
export function parseOsvFixedIn(text: string): OsvFixedIn | undefined {
  const out: OsvFixedIn = {};
  for (const part of text.split('&')) {
    if (part === '') continue;
    if (part.includes(';')) return undefined;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = decodeComponent(eq < 0 ? '' : part.slice(eq + 1));
    if (key === undefined || value === undefined) return undefined;
    if ((key === 'introduced' || key === 'fixed' || key === 'lastAffected') && out[key] === undefined) out[key] = value;
  }
  // Go's Get returns the first value; an empty one reads as "absent".
  for (const k of ['introduced', 'fixed', 'lastAffected'] as const) if (out[k] === '') delete out[k];
  return out;
}

/**
 * claircore's OSV rule under `scheme`: empty `fixed_in_version` ⇒
 * vulnerable; installed < introduced ⇒ not; with `fixed`, installed < fixed;
 * else with `lastAffected`, installed ≤ lastAffected; else vulnerable. Any
 * unparsable version (installed, introduced, fixed, lastAffected) or query
 * string ⇒ not vulnerable.
 */
export function osvRule(scheme: SchemeName) {
  return (record: IndexRecord, vuln: Vulnerability): boolean => {
    if (vuln.fixed_in_version === '') return true;
    const installed = record.package.version;
    // claircore parses the installed version first: an unparsable (or empty) one never matches.
    if (installed === '' || compareVersions(scheme, installed, installed) === undefined) return false;
    const q = parseOsvFixedIn(vuln.fixed_in_version);
    if (q === undefined) return false;
    if (q.introduced !== undefined) {
      const order = compareVersions(scheme, installed, q.introduced);
      if (order === undefined || order === -1) return false;
    }
    if (q.fixed !== undefined) return compareVersions(scheme, installed, q.fixed) === -1;
    if (q.lastAffected !== undefined) {
      const order = compareVersions(scheme, installed, q.lastAffected);
      return order === -1 || order === 0;
    }
    return true;
  };
}

/**
 * The SEMVER-range rule (Go, npm): the record's normalized version inside
 * the vulnerability's normalized `range` `[lower, upper)`, what the database
 * version filter decides for authoritative matchers. Without a range, the
 * fix (if any) is compared under `scheme`. Anything unparsable, or an
 * `unmatchable` record, ⇒ not vulnerable.
 */
export function osvRangeRule(scheme: SchemeName) {
  return (record: IndexRecord, vuln: Vulnerability): boolean => {
    const nv = record.package.normalized_version ? parseNormalized(record.package.normalized_version) : undefined;
    if (nv === undefined || !nv.ok || nv.version.kind === 'unmatchable') return false;
    const lower = vuln.range?.['['];
    const upper = vuln.range?.[')'];
    if (lower || upper) {
      if (!lower || !upper) return false;
      const lo = parseNormalized(lower);
      const hi = parseNormalized(upper);
      if (!lo.ok || !hi.ok) return false;
      return normalizedRangeContains({ lower: lo.version, upper: hi.version }, nv.version);
    }
    if (vuln.fixed_in_version === '') return true;
    return compareVersions(scheme, record.package.version, vuln.fixed_in_version) === -1;
  };
}
