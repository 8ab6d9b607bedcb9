/**
 * @module What both Rust scanners report for a crate: the crates.io
 * repository, and a package whose normalized version says whether it may be
 * matched. Only crates that came from the crates.io registry can be matched
 * against crates.io advisories; a crate from git, a path (the workspace's
 * own crates) or another registry may share a crates.io name without being
 * that crate, so it is recorded with an `unmatchable` normalized version
 * (kept in the report, never matched, as claircore does for Go `(devel)`).
 */
import type { ScannedPackage, ScannedRepository } from '../../model/scanned.js';
import { crates } from '../../versions/index.js';
import { UNMATCHABLE_KIND, type NormalizedVersion } from '../../versions/scheme.js';

/** The repository every crate is attributed to; OSV's `crates.io` records name the same. */
export const CRATES_IO_REPOSITORY: ScannedRepository = { name: 'crates.io', key: '', uri: 'https://crates.io/', cpe: '' };

/** The crates.io index as Cargo.lock names it: the git index, and the sparse index (Cargo ≥ 1.68). */
export const CRATES_IO_LOCK_SOURCES: ReadonlySet<string> = new Set([
  'registry+https://github.com/rust-lang/crates.io-index',
  'sparse+https://index.crates.io/',
]);

const UNMATCHABLE: NormalizedVersion = { kind: UNMATCHABLE_KIND, v: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };

/**
 * A crate as a scanned package. `fromCratesIo` decides whether it may match;
 * a crates.io crate whose version is not SemVer gets no normalized version
 * (so the range lookup cannot hold it either).
 */
export function cratePackage(crate: { name: string; version: string; source: string }, fromCratesIo: boolean, packageDb: string, filepath: string): ScannedPackage {
  const p: ScannedPackage = {
    name: crate.name,
    version: crate.version,
    kind: 'binary',
    arch: '',
    module: '',
    cpe: '',
    packageDb,
    filepath,
    repositoryHint: crate.source,
  };
  if (!fromCratesIo) {
    p.normalizedVersion = UNMATCHABLE;
  } else {
    const parsed = crates.parse(crate.version);
    const normalized = parsed.ok ? crates.normalize(parsed.version) : undefined;
    if (normalized !== undefined) p.normalizedVersion = normalized;
  }
  return p;
}
