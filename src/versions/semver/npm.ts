/**
 * @module npm semantic versions: a port of npm/node-semver's `SemVer` parser
 * and `compare` (strict by default, `loose` on request).
 *
 * Precedence is SemVer 2.0: major, minor, patch numerically; a version with a
 * pre-release sorts before the same version without; pre-release identifiers
 * compare numerically when both are numeric, numeric before alphanumeric,
 * otherwise by ASCII; more identifiers win on a tie. Build metadata is ignored.
 */
import { invalid, parsed, type Ordering, type ParseResult } from '../scheme.js';
import { MAX_LENGTH, RE } from './re.js';

/** node-semver options; any truthy `loose` means loose. */
export interface SemverOptions {
  readonly loose?: boolean;
  readonly includePrerelease?: boolean;
}

/** A parsed npm version. */
export interface NpmVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Numeric identifiers are numbers (when below 2^53), others strings. */
  readonly prerelease: readonly (string | number)[];
  readonly build: readonly string[];
  /** `major.minor.patch[-prerelease]`, node-semver's `version`. */
  readonly version: string;
}

const NUMERIC = /^[0-9]+$/;

/** Parses like `new SemVer(text, options)`. */
export function parseNpm(text: string, options: SemverOptions = {}): ParseResult<NpmVersion> {
  if (text.length > MAX_LENGTH) return invalid(`semver: version is longer than ${MAX_LENGTH} characters`);
  const m = (options.loose ? RE.LOOSE : RE.FULL).exec(text.trim());
  if (!m) return invalid(`semver: invalid version "${text}"`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = Number(m[3]);
  if (major > Number.MAX_SAFE_INTEGER) return invalid(`semver: invalid major version in "${text}"`);
  if (minor > Number.MAX_SAFE_INTEGER) return invalid(`semver: invalid minor version in "${text}"`);
  if (patch > Number.MAX_SAFE_INTEGER) return invalid(`semver: invalid patch version in "${text}"`);
  const prerelease = m[4]
    ? m[4].split('.').map((id): string | number => {
        if (NUMERIC.test(id)) {
          const n = Number(id);
          if (n >= 0 && n < Number.MAX_SAFE_INTEGER) return n;
        }
        return id;
      })
    : [];
  const build = m[5] ? m[5].split('.') : [];
  const version = `${major}.${minor}.${patch}${prerelease.length ? `-${prerelease.join('.')}` : ''}`;
  return parsed({ major, minor, patch, prerelease, build, version });
}

/** node-semver `compareIdentifiers`. */
export function compareIdentifiers(a: string | number, b: string | number): Ordering {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  const anum = NUMERIC.test(String(a));
  const bnum = NUMERIC.test(String(b));
  let x: string | number = a;
  let y: string | number = b;
  if (anum && bnum) {
    x = Number(a);
    y = Number(b);
  }
  if (x === y) return 0;
  if (anum && !bnum) return -1;
  if (bnum && !anum) return 1;
  return x < y ? -1 : 1;
}

/** Compares major, minor and patch only. */
export function compareMain(a: NpmVersion, b: NpmVersion): Ordering {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  return 0;
}

/** Compares pre-release identifier lists (empty = release, which sorts last). */
export function comparePrerelease(a: readonly (string | number)[], b: readonly (string | number)[]): Ordering {
  if (a.length && !b.length) return -1;
  if (!a.length && b.length) return 1;
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined && y === undefined) return 0;
    if (y === undefined) return 1;
    if (x === undefined) return -1;
    if (x === y) continue;
    return compareIdentifiers(x, y);
  }
}

/** node-semver `SemVer.compare`. */
export function compareNpm(a: NpmVersion, b: NpmVersion): Ordering {
  if (a.version === b.version) return 0;
  return compareMain(a, b) || comparePrerelease(a.prerelease, b.prerelease);
}
