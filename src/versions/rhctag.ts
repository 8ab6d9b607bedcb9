/**
 * @module Red Hat Container Catalog tags (claircore `pkg/rhctag`), e.g.
 * `4.7-140.49a6fcf.release_4.7`, `v4.6.0-202112140546.p0.g8b9da97.assembly.stream`,
 * `9.3-1361`. Only the major and minor numbers are kept for the normalized
 * form, because Red Hat ships several minor streams of one container under
 * the same CPE, and a fix in one minor stream says nothing about another:
 * ranges must stay within a minor.
 *
 * Pure: no I/O, nothing throws.
 */
import { invalid, INT32_MAX, parsed, type NormalizedVersion, type Ordering, type ParseResult } from './scheme.js';
import { compareRpmver, parseRpmver } from './rpm/rpmver.js';

/** The normalized-version kind claircore uses for container tags. */
export const RHCTAG_KIND = 'rhctag';

/** A parsed tag (claircore `rhctag.Version`). */
export interface Rhctag {
  /** The tag as given, used for ordering. */
  readonly original: string;
  readonly major: number;
  readonly minor: number;
}

/**
 * Go's `strconv.Atoi`: an optional sign and decimal digits, within int64;
 * `undefined` otherwise. Kept exact because claircore truncates the value
 * to int32 afterwards, which {@link rhctagNormalized} reproduces.
 */
function atoi(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

/** claircore's `upToDot`: the integer before the first dot (or the whole string) and what follows the dot. */
function upToDot(s: string): { value: bigint; rest: string } | undefined {
  const dot = s.indexOf('.');
  if (dot > 0) {
    const value = atoi(s.slice(0, dot));
    return value === undefined ? undefined : { value, rest: s.slice(dot + 1) };
  }
  const value = atoi(s);
  return value === undefined ? undefined : { value, rest: '' };
}

/** Go's `int32(x)`: two's-complement truncation. */
const toInt32 = (n: bigint): number => Number(BigInt.asIntN(32, n));

/**
 * Parses as claircore `rhctag.Parse`: a leading `v` is dropped, everything
 * from the first `-` (the release) is ignored, the major number is required
 * and the minor is optional (0 when absent or not a number).
 */
export function parseRhctag(text: string): ParseResult<Rhctag> {
  let canonical = text.startsWith('v') ? text.slice(1) : text;
  const dash = canonical.indexOf('-');
  if (dash > 0) canonical = canonical.slice(0, dash);
  const major = upToDot(canonical);
  if (major === undefined) return invalid(`rhctag: could not parse the major version of ${JSON.stringify(text)}`);
  const minor = upToDot(major.rest);
  return parsed({ original: text, major: toInt32(major.value), minor: minor === undefined ? 0 : toInt32(minor.value) });
}

/**
 * The first tag of the tag's minor stream (claircore `MinorStart`), which is
 * what the container scanner records as the normalized version.
 */
export function rhctagMinorStart(v: Rhctag): Rhctag {
  return { original: `${v.major}.${v.minor}`, major: v.major, minor: v.minor };
}

/**
 * claircore `Version(min)`: `rhctag:major.minor.0…` for the lowest point of
 * the minor stream, `rhctag:major.minor.2147483647…` for the highest.
 */
export function rhctagNormalized(v: Rhctag, min: boolean): NormalizedVersion {
  return { kind: RHCTAG_KIND, v: [v.major, v.minor, min ? 0 : INT32_MAX, 0, 0, 0, 0, 0, 0, 0] };
}

/**
 * Orders two tags as claircore's `rhctag.Version.Compare`: each original
 * string without its leading `v`, with `-0` appended when it has no
 * release, read and compared as an rpm `[name-][epoch:]version-release`
 * (claircore `internal/rpmver`).
 */
export function compareRhctag(a: Rhctag, b: Rhctag): Ordering {
  const x = parseRpmver(rhctagEvr(a.original));
  const y = parseRpmver(rhctagEvr(b.original));
  // rhctagEvr always leaves a `-`, so neither parse fails.
  if (!x.ok || !y.ok) return 0;
  return compareRpmver(x.version, y.version);
}

/** claircore's `toEVR`. */
function rhctagEvr(original: string): string {
  const s = original.startsWith('v') ? original.slice(1) : original;
  return s.includes('-') ? s : `${s}-0`;
}
