/**
 * @module RPM versions as the matchers compare them: `[epoch:]version[-release]`
 * (EVR), each field ordered with {@link rpmvercmp}.
 *
 * This is `rpm.labelCompare` semantics: a missing epoch is `0`, a missing
 * release is the empty string (so `1.0 < 1.0-1`). The epoch is the text
 * before the first `:` and must be digits (empty means 0); the release is the
 * text after the last `-`.
 *
 * claircore's full NEVRA parser (`internal/rpmver`) lives in `./rpmver.ts`.
 */
import { invalid, parsed, type Ordering, type ParseResult, type VersionScheme } from '../scheme.js';
import { rpmvercmp, rpmvercmpRange } from './rpmvercmp.js';

export { rpmvercmp, rpmvercmpRange } from './rpmvercmp.js';
export * from './rpmver.js';

/** A parsed RPM EVR. */
export interface RpmEvr {
  /** Digits, `'0'` when absent. */
  readonly epoch: string;
  readonly version: string;
  /** `''` when absent. */
  readonly release: string;
}

const COLON = 58;
const HYPHEN = 45;

// ASCII characters `locate` cares about: 1 colon, 2 hyphen, 3 whitespace.
const LOC = new Uint8Array(128);
LOC[COLON] = 1;
LOC[HYPHEN] = 2;
for (const c of [9, 10, 11, 12, 13, 32]) LOC[c] = 3;

// start, colon, hyphen, end — per operand; used synchronously only.
const SLOTS = 4;
const scratch = new Int32Array(SLOTS * 2);

const enum Err {
  None = 0,
  Empty,
  Space,
  EpochNotNumber,
  VersionEmpty,
  ReleaseEmpty,
}

function locate(s: string, base: number): Err {
  const end = s.length;
  if (end === 0) return Err.Empty;
  let colon = -1;
  let hyphen = -1;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const k = c < 128 ? LOC[c]! : 0;
    if (k === 0) continue;
    if (k === 1) {
      if (colon < 0) colon = i;
    } else if (k === 2) {
      hyphen = i;
    } else {
      return Err.Space;
    }
  }
  if (colon >= 0) {
    for (let i = 0; i < colon; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return Err.EpochNotNumber;
    }
    if (hyphen >= 0 && hyphen < colon) return Err.EpochNotNumber;
  }
  const vStart = colon + 1;
  const vEnd = hyphen >= 0 ? hyphen : end;
  if (vEnd <= vStart) return Err.VersionEmpty;
  if (hyphen >= 0 && hyphen + 1 === end) return Err.ReleaseEmpty;
  scratch[base] = 0;
  scratch[base + 1] = colon;
  scratch[base + 2] = hyphen;
  scratch[base + 3] = end;
  return Err.None;
}

function describe(err: Err, text: string): string {
  switch (err) {
    case Err.Empty:
      return 'rpm: version string is empty';
    case Err.Space:
      return `rpm: version "${text}" contains whitespace`;
    case Err.EpochNotNumber:
      return `rpm: epoch "${text.slice(0, text.indexOf(':'))}" is not a number`;
    case Err.VersionEmpty:
      return `rpm: version part of "${text}" is empty`;
    case Err.ReleaseEmpty:
      return `rpm: release part of "${text}" is empty`;
    default:
      return `rpm: invalid version "${text}"`;
  }
}

/** Parses `[epoch:]version[-release]`. */
export function parse(text: string): ParseResult<RpmEvr> {
  const err = locate(text, 0);
  if (err !== Err.None) return invalid(describe(err, text));
  const colon = scratch[1]!;
  const hyphen = scratch[2]!;
  const epoch = colon > 0 ? text.slice(0, colon) : '0';
  return parsed({
    epoch,
    version: text.slice(colon + 1, hyphen >= 0 ? hyphen : text.length),
    release: hyphen >= 0 ? text.slice(hyphen + 1) : '',
  });
}

/** Orders two EVRs: epoch, version, release, each with rpmvercmp. */
export function compare(a: RpmEvr, b: RpmEvr): Ordering {
  // rpmvercmp short-circuits identical strings, the common case for epochs.
  return rpmvercmp(a.epoch, b.epoch) || rpmvercmp(a.version, b.version) || rpmvercmp(a.release, b.release);
}

/** Parses and compares two EVR strings without allocating; `undefined` if either is invalid. */
export function compareStrings(a: string, b: string): Ordering | undefined {
  if (a === b) return locate(a, 0) === Err.None ? 0 : undefined;
  if (locate(a, 0) !== Err.None || locate(b, SLOTS) !== Err.None) return undefined;
  const aColon = scratch[1]!;
  const aHyphen = scratch[2]!;
  const aEnd = scratch[3]!;
  const bColon = scratch[SLOTS + 1]!;
  const bHyphen = scratch[SLOTS + 2]!;
  const bEnd = scratch[SLOTS + 3]!;
  // A missing or empty epoch is "0"; rpmvercmp("", "0") would say "" < "0", so
  // compare against a literal zero in that case.
  let r: Ordering;
  if (aColon > 0 && bColon > 0) r = rpmvercmpRange(a, 0, aColon, b, 0, bColon);
  else if (aColon > 0) r = rpmvercmpRange(a, 0, aColon, '0', 0, 1);
  else if (bColon > 0) r = rpmvercmpRange('0', 0, 1, b, 0, bColon);
  else r = 0;
  if (r !== 0) return r;
  r = rpmvercmpRange(a, aColon + 1, aHyphen >= 0 ? aHyphen : aEnd, b, bColon + 1, bHyphen >= 0 ? bHyphen : bEnd);
  if (r !== 0) return r;
  return rpmvercmpRange(a, aHyphen >= 0 ? aHyphen + 1 : aEnd, aEnd, b, bHyphen >= 0 ? bHyphen + 1 : bEnd, bEnd);
}

/** Formats as `[epoch:]version[-release]`, omitting a zero epoch and an empty release. */
export function format(v: RpmEvr): string {
  return `${rpmvercmp(v.epoch, '0') !== 0 ? `${v.epoch}:` : ''}${v.version}${v.release !== '' ? `-${v.release}` : ''}`;
}

/** The rpm (EVR) scheme. */
export const rpm = {
  name: 'rpm',
  parse,
  compare,
  compareStrings,
  format,
} as const satisfies VersionScheme<RpmEvr>;
