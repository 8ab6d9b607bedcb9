/**
 * @module Rust matcher: crates from Cargo.lock files and `cargo auditable`
 * executables against OSV `crates.io` records (RustSec), whose SEMVER
 * ranges the database's normalized-range filter decides (authoritative, as
 * for npm and Go: `vulnerable` is not called by the controller; it
 * implements the same range check for direct callers). Like the other
 * normalized-range matchers, pre-releases count as their release
 * (`1.0.0-rc.1` as `1.0.0`). Git, path and other-registry crates carry an
 * `unmatchable` version and never reach a lookup.
 */
import type { IndexRecord, Matcher } from '../../matcher/matcher.js';
import { osvRangeRule } from '../../matcher/osv-rule.js';
import { CRATES_IO_REPOSITORY } from './crates.js';

export const RUST_MATCHER_NAME = 'rust'; // persisted; never rename

/** A record in the crates.io repository with a semver normalized version. */
function isCratesIoRecord(r: IndexRecord): boolean {
  return r.repository?.name === CRATES_IO_REPOSITORY.name && r.package.normalized_version.startsWith('semver:');
}

const rangeRule = osvRangeRule('crates');

export const rustMatcher = {
  name: RUST_MATCHER_NAME,
  filter: isCratesIoRecord,
  query: () => ['RepositoryName'],
  vulnerable: (r, v) => isCratesIoRecord(r) && rangeRule(r, v),
  versionFilter: { authoritative: true },
} as const satisfies Matcher;
