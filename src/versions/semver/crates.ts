/**
 * @module Rust crate versions: strict SemVer 2.0 as the `semver` crate parses
 * them (`MAJOR.MINOR.PATCH`, all three required, no `v`, no leading zeros in
 * numbers or numeric pre-release identifiers, `[0-9A-Za-z-]` identifiers).
 * Ordering is SemVer precedence; build metadata is ignored, as OSV's
 * SEMVER ranges require.
 */
import { invalid, parsed, type Ordering, type ParseResult } from '../scheme.js';
import { comparePrereleaseIds } from './go.js';

/** A parsed crate version. */
export interface CrateVersion {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  readonly prerelease: readonly string[];
  readonly build: readonly string[];
}

const CRATE_RE =
  /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parses a crate version. */
export function parseCrate(text: string): ParseResult<CrateVersion> {
  const m = CRATE_RE.exec(text);
  if (!m) return invalid(`crates: invalid version "${text}" (expected MAJOR.MINOR.PATCH[-PRE][+BUILD])`);
  return parsed({
    major: m[1]!,
    minor: m[2]!,
    patch: m[3]!,
    prerelease: m[4] ? m[4].split('.') : [],
    build: m[5] ? m[5].split('.') : [],
  });
}

function compareInt(a: string, b: string): Ordering {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer 2.0 precedence. */
export function compareCrate(a: CrateVersion, b: CrateVersion): Ordering {
  return (
    compareInt(a.major, b.major) ||
    compareInt(a.minor, b.minor) ||
    compareInt(a.patch, b.patch) ||
    comparePrereleaseIds(a.prerelease, b.prerelease)
  );
}

/** `MAJOR.MINOR.PATCH[-PRE][+BUILD]`. */
export function formatCrate(v: CrateVersion): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease.length ? `-${v.prerelease.join('.')}` : ''}${v.build.length ? `+${v.build.join('.')}` : ''}`;
}
