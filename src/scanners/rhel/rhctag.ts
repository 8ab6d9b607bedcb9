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
import { invalid, INT32_MAX, parsed, type NormalizedVersion, type Ordering, type ParseResult } from '../../versions/scheme.js';
import { rpmvercmp } from '../../versions/rpm/rpmvercmp.js';

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
 * Orders two tags as claircore does, by their original strings read as rpm
 * `[epoch:]version[-release]` (knqyf263/go-rpm-version): epoch, then
 * version and release with rpmvercmp.
 */
export function compareRhctag(a: Rhctag, b: Rhctag): Ordering {
  const x = rpmParts(a.original);
  const y = rpmParts(b.original);
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  return rpmvercmp(x.version, y.version) || rpmvercmp(x.release, y.release);
}

function rpmParts(s: string): { epoch: number; version: string; release: string } {
  let epoch = 0;
  let rest = s;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    const e = Number.parseInt(s.slice(0, colon), 10);
    epoch = Number.isFinite(e) && /^[0-9]+$/.test(s.slice(0, colon)) ? e : 0;
    rest = s.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  return dash < 0 ? { epoch, version: rest, release: '' } : { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
}
