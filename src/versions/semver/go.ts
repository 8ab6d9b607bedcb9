/**
 * @module Go module versions, as golang.org/x/mod/semver: a leading `v`
 * (required), `vMAJOR[.MINOR[.PATCH]]` with shorthands `v1` = `v1.0.0` and
 * `v1.2` = `v1.2.0` (no pre-release or build on shorthands), no leading zeros.
 *
 * Pseudo-versions (`v0.0.0-20200101000000-abcdef123456`,
 * `v1.2.4-0.20200101000000-abcdef123456`, `v1.2.3-pre.0.2020…`) are ordinary
 * pre-releases, so they sort before the release they lead to and by time
 * among themselves. `+incompatible` is build metadata: ignored by ordering.
 */
import { invalid, parsed, type Ordering, type ParseResult } from '../scheme.js';

/** A parsed Go module version. */
export interface GoVersion {
  /** Digits, no leading zeros (`'0'` for zero). */
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Pre-release identifiers without the leading `-`; empty when none. */
  readonly prerelease: readonly string[];
  /** Build identifiers without the leading `+` (e.g. `['incompatible']`). */
  readonly build: readonly string[];
  /** `v1` / `v1.2` shorthand was used. */
  readonly short: boolean;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45;
}

/** Reads a number starting at `i`; returns its end, or -1 if missing or with a leading zero. */
function readInt(s: string, i: number): number {
  let j = i;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  if (j === i) return -1;
  if (s.charCodeAt(i) === 48 && j - i > 1) return -1;
  return j;
}

function readIdents(s: string, i: number, numericNoLeadingZero: boolean): { end: number; ids: string[] } | undefined {
  const ids: string[] = [];
  let start = i;
  let j = i;
  for (;;) {
    while (j < s.length && isIdentChar(s.charCodeAt(j))) j++;
    if (j === start) return undefined;
    const id = s.slice(start, j);
    if (numericNoLeadingZero && /^[0-9]+$/.test(id) && id.length > 1 && id.charCodeAt(0) === 48) return undefined;
    ids.push(id);
    if (j < s.length && s.charCodeAt(j) === 46) {
      j++;
      start = j;
      continue;
    }
    return { end: j, ids };
  }
}

/** Parses a Go module version. */
export function parseGo(text: string): ParseResult<GoVersion> {
  const bad = (why: string): ParseResult<GoVersion> => invalid(`gomod: invalid version "${text}": ${why}`);
  if (text.length === 0 || text.charCodeAt(0) !== 118 /* v */) return bad('must start with "v"');
  let i = readInt(text, 1);
  if (i < 0) return bad('major version is not a number without leading zeros');
  const major = text.slice(1, i);
  if (i === text.length) return parsed({ major, minor: '0', patch: '0', prerelease: [], build: [], short: true });
  if (text.charCodeAt(i) !== 46) return bad('expected "." after major version');
  let j = readInt(text, i + 1);
  if (j < 0) return bad('minor version is not a number without leading zeros');
  const minor = text.slice(i + 1, j);
  if (j === text.length) return parsed({ major, minor, patch: '0', prerelease: [], build: [], short: true });
  if (text.charCodeAt(j) !== 46) return bad('expected "." after minor version');
  i = readInt(text, j + 1);
  if (i < 0) return bad('patch version is not a number without leading zeros');
  const patch = text.slice(j + 1, i);
  let prerelease: string[] = [];
  let build: string[] = [];
  if (i < text.length && text.charCodeAt(i) === 45 /* - */) {
    const r = readIdents(text, i + 1, true);
    if (!r) return bad('malformed pre-release');
    prerelease = r.ids;
    i = r.end;
  }
  if (i < text.length && text.charCodeAt(i) === 43 /* + */) {
    const r = readIdents(text, i + 1, false);
    if (!r) return bad('malformed build metadata');
    build = r.ids;
    i = r.end;
  }
  if (i !== text.length) return bad(`unexpected "${text[i]}"`);
  return parsed({ major, minor, patch, prerelease, build, short: false });
}

function compareInt(a: string, b: string): Ordering {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function isNum(s: string): boolean {
  return /^[0-9]+$/.test(s);
}

/** SemVer 2.0 pre-release precedence (x/mod `comparePrerelease`). */
export function comparePrereleaseIds(a: readonly string[], b: readonly string[]): Ordering {
  if (a.length === 0) return b.length === 0 ? 0 : 1;
  if (b.length === 0) return -1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const xn = isNum(x);
    const yn = isNum(y);
    if (xn !== yn) return xn ? -1 : 1;
    if (xn) return compareInt(x, y);
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** x/mod `semver.Compare` on parsed versions (build metadata ignored). */
export function compareGo(a: GoVersion, b: GoVersion): Ordering {
  return (
    compareInt(a.major, b.major) ||
    compareInt(a.minor, b.minor) ||
    compareInt(a.patch, b.patch) ||
    comparePrereleaseIds(a.prerelease, b.prerelease)
  );
}

/** x/mod `semver.Canonical`: `vX.Y.Z[-pre]`, build dropped except `+incompatible`. */
export function canonicalGo(v: GoVersion): string {
  const pre = v.prerelease.length ? `-${v.prerelease.join('.')}` : '';
  const incompatible = v.build.length === 1 && v.build[0] === 'incompatible' ? '+incompatible' : '';
  return `v${v.major}.${v.minor}.${v.patch}${pre}${incompatible}`;
}

const PSEUDO_TAIL = /^[0-9]{14}-[A-Za-z0-9]+$/;

/**
 * Whether the version is a Go pseudo-version (`vX.0.0-yyyymmddhhmmss-rev`,
 * `vX.Y.Z-0.yyyymmddhhmmss-rev` or `vX.Y.Z-pre.0.yyyymmddhhmmss-rev`).
 */
export function isPseudoVersion(v: GoVersion): boolean {
  const n = v.prerelease.length;
  if (n === 0 || !PSEUDO_TAIL.test(v.prerelease[n - 1]!)) return false;
  if (n === 1) return v.minor === '0' && v.patch === '0';
  return v.prerelease[n - 2] === '0';
}
