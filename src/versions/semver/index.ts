/**
 * @module Semantic versions for three ecosystems, each its own scheme:
 *
 * - `semver`: npm (node-semver `SemVer`, `compare`, ranges and `satisfies`);
 * - `gomod`: Go modules (golang.org/x/mod/semver; pseudo-versions, `+incompatible`);
 * - `crates`: Rust crates (strict SemVer 2.0).
 *
 * All three normalize as claircore's `FromSemver` does: kind `semver`,
 * V[1..3] = major/minor/patch, everything else zero. That drops the
 * pre-release, so `1.0.0-rc.1` and `1.0.0` normalize alike (claircore's Go
 * pseudo-versions collapse to their base the same way).
 */
import { normalizedVersion, type NormalizedVersion, type Ordering, type VersionScheme } from '../scheme.js';
import { compareCrate, formatCrate, parseCrate, type CrateVersion } from './crates.js';
import { canonicalGo, compareGo, parseGo, type GoVersion } from './go.js';
import { compareNpm, parseNpm, type NpmVersion } from './npm.js';

export * from './npm.js';
export * from './range.js';
export * from './go.js';
export * from './crates.js';

/** claircore `FromSemver`; `undefined` when a number exceeds int32. */
export function normalizeSemver(major: number | string, minor: number | string, patch: number | string): NormalizedVersion | undefined {
  const values = [0, Number(major), Number(minor), Number(patch)];
  return normalizedVersion('semver', values);
}

function compareWith<V>(parse: (s: string) => { ok: true; version: V } | { ok: false; reason: string }, cmp: (a: V, b: V) => Ordering) {
  return (a: string, b: string): Ordering | undefined => {
    const x = parse(a);
    if (!x.ok) return undefined;
    const y = parse(b);
    if (!y.ok) return undefined;
    return cmp(x.version, y.version);
  };
}

const parseNpmStrict = (text: string) => parseNpm(text);

/** npm semver (strict parsing, as node-semver's default). */
export const semver = {
  name: 'semver',
  parse: parseNpmStrict,
  compare: compareNpm,
  compareStrings: compareWith(parseNpmStrict, compareNpm),
  normalize: (v: NpmVersion) => normalizeSemver(v.major, v.minor, v.patch),
  format: (v: NpmVersion) => v.version,
} as const satisfies VersionScheme<NpmVersion>;

/** Go module versions. */
export const gomod = {
  name: 'gomod',
  parse: parseGo,
  compare: compareGo,
  compareStrings: compareWith(parseGo, compareGo),
  normalize: (v: GoVersion) => normalizeSemver(v.major, v.minor, v.patch),
  format: canonicalGo,
} as const satisfies VersionScheme<GoVersion>;

/** Rust crate versions. */
export const crates = {
  name: 'crates',
  parse: parseCrate,
  compare: compareCrate,
  compareStrings: compareWith(parseCrate, compareCrate),
  normalize: (v: CrateVersion) => normalizeSemver(v.major, v.minor, v.patch),
  format: formatCrate,
} as const satisfies VersionScheme<CrateVersion>;
