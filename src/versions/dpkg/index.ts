/**
 * @module Debian (dpkg) versions: `[epoch:]upstream[-revision]`.
 *
 * Ordering is dpkg's `verrevcmp` (lib/dpkg/version.c), which is what
 * `dpkg --compare-versions` uses: alternating non-digit and digit runs; in
 * non-digit runs `~` sorts before everything (even the end of the string),
 * then the end of the string and digits, then letters, then other symbols;
 * digit runs compare numerically.
 *
 * Validity follows dpkg's `parseversion` errors plus the checks claircore's
 * comparator (knqyf263/go-deb-version) makes: upstream must start with a
 * digit and contain only `[A-Za-z0-9.+~:_-]`, the revision only
 * `[A-Za-z0-9.+~_]`. (dpkg itself merely warns about those two.)
 */
import { INT32_MAX, invalid, parsed, sign, type Ordering, type ParseResult, type VersionScheme } from '../scheme.js';

/** A parsed Debian version. */
export interface DpkgVersion {
  readonly epoch: number;
  readonly upstream: string;
  /** `''` when the version has no `-revision` (dpkg treats that like `0`). */
  readonly revision: string;
}

const enum C {
  Tab = 9,
  Lf = 10,
  Vt = 11,
  Ff = 12,
  Cr = 13,
  Space = 32,
  Plus = 43,
  Hyphen = 45,
  Dot = 46,
  D0 = 48,
  D9 = 57,
  Colon = 58,
  UpperA = 65,
  UpperZ = 90,
  Underscore = 95,
  LowerA = 97,
  LowerZ = 122,
  Tilde = 126,
}

function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}

function isAlpha(c: number): boolean {
  return (c >= C.UpperA && c <= C.UpperZ) || (c >= C.LowerA && c <= C.LowerZ);
}

function isSpace(c: number): boolean {
  return c === C.Space || (c >= C.Tab && c <= C.Cr);
}

// ASCII character classes for the validating scan: 0 not allowed, 1 digit,
// 2 other upstream character ([A-Za-z.+~_]), 3 colon, 4 hyphen.
const CLASS = new Uint8Array(128);
// dpkg `order()` for ASCII: digits (and the end of the string) 0, letters
// themselves, `~` -1, anything else after all letters.
const ORDER = new Int32Array(128);
for (let c = 0; c < 128; c++) {
  if (isDigit(c)) CLASS[c] = 1;
  else if (c === C.Colon) CLASS[c] = 3;
  else if (c === C.Hyphen) CLASS[c] = 4;
  else if (isAlpha(c) || c === C.Dot || c === C.Plus || c === C.Tilde || c === C.Underscore) CLASS[c] = 2;
  ORDER[c] = isDigit(c) ? 0 : isAlpha(c) ? c : c === C.Tilde ? -1 : c + 256;
}

/**
 * dpkg `verrevcmp` over `a[as, ae)` and `b[bs, be)`. Returns a signed number,
 * not clamped. Allocation-free.
 */
export function verrevcmp(a: string, as: number, ae: number, b: string, bs: number, be: number): number {
  let i = as;
  let j = bs;
  while (i < ae || j < be) {
    // Non-digit run: compare character weights; the end of the string and a
    // digit both weigh 0 and end the run for that side.
    for (;;) {
      const ca = i < ae ? a.charCodeAt(i) : C.D0;
      const cb = j < be ? b.charCodeAt(j) : C.D0;
      const da = ca >= C.D0 && ca <= C.D9;
      const db = cb >= C.D0 && cb <= C.D9;
      if (da && db) break;
      const oa = da ? 0 : ca < 128 ? ORDER[ca]! : ca + 256;
      const ob = db ? 0 : cb < 128 ? ORDER[cb]! : cb + 256;
      if (oa !== ob) return oa - ob;
      i++;
      j++;
    }
    // Digit run: numeric value, ignoring leading zeros.
    while (i < ae && a.charCodeAt(i) === C.D0) i++;
    while (j < be && b.charCodeAt(j) === C.D0) j++;
    let firstDiff = 0;
    for (;;) {
      const ca = i < ae ? a.charCodeAt(i) : 0;
      const cb = j < be ? b.charCodeAt(j) : 0;
      const da = ca >= C.D0 && ca <= C.D9;
      const db = cb >= C.D0 && cb <= C.D9;
      if (da && db) {
        if (firstDiff === 0) firstDiff = ca - cb;
        i++;
        j++;
        continue;
      }
      if (da) return 1;
      if (db) return -1;
      break;
    }
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/** Compares two whole strings with {@link verrevcmp} (no epoch/revision splitting). */
export function compareFragment(a: string, b: string): Ordering {
  return a === b ? 0 : sign(verrevcmp(a, 0, a.length, b, 0, b.length));
}

// Positions found by `scan`, written into a scratch array so that
// `compareStrings` allocates nothing. Layout per slot: upstream start, colon
// (or -1), hyphen (or -1), end, epoch. Only used synchronously inside one call.
const SLOTS = 5;
const scratch = new Int32Array(SLOTS * 2);

/**
 * Validates `s[start, end)` in one pass and records its boundaries at
 * `scratch[base…]`. The same rules as {@link validate}, without messages.
 */
function scanRange(s: string, start: number, end: number, base: number): boolean {
  if (start >= end) return false;
  let colon = -1;
  let lastColon = -1;
  let hyphen = -1;
  let firstNonDigit = -1;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= C.D0 && c <= C.D9) continue;
    const k = c < 128 ? CLASS[c]! : 0;
    if (k === 0) return false;
    if (firstNonDigit < 0) firstNonDigit = i;
    if (k === 3) {
      if (colon < 0) colon = i;
      lastColon = i;
    } else if (k === 4) {
      hyphen = i;
    }
  }
  let up = start;
  let epoch = 0;
  if (colon >= 0) {
    // The epoch must be a non-empty run of digits that fits in an int32.
    if (colon === start || firstNonDigit < colon) return false;
    for (let i = start; i < colon; i++) {
      epoch = epoch * 10 + (s.charCodeAt(i) - C.D0);
      if (epoch > INT32_MAX) return false;
    }
    up = colon + 1;
  }
  if (hyphen >= 0 && (hyphen + 1 === end || lastColon > hyphen)) return false;
  const upEnd = hyphen >= 0 ? hyphen : end;
  if (up >= upEnd) return false;
  const first = s.charCodeAt(up);
  if (first < C.D0 || first > C.D9) return false;
  scratch[base] = up;
  scratch[base + 1] = colon;
  scratch[base + 2] = hyphen;
  scratch[base + 3] = end;
  scratch[base + 4] = epoch;
  return true;
}

/** {@link scanRange} on the whole string, trimming surrounding whitespace as dpkg does. */
function scan(s: string, base: number): boolean {
  let start = 0;
  let end = s.length;
  if (end === 0) return false;
  if (isSpace(s.charCodeAt(0)) || isSpace(s.charCodeAt(end - 1))) {
    while (start < end && isSpace(s.charCodeAt(start))) start++;
    while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
  }
  return scanRange(s, start, end, base);
}

/**
 * Why `text` is not a valid Debian version (dpkg `parseversion`'s checks plus
 * claircore's), or `undefined` if it is valid. The slow, explaining twin of
 * the validator the compare path uses.
 */
export function validate(text: string): string | undefined {
  const t = text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
  if (t === '') return 'dpkg: version string is empty';
  if (/[ \t\n\v\f\r]/.test(t)) return `dpkg: version "${t}" has embedded spaces`;
  const colon = t.indexOf(':');
  let rest = t;
  if (colon >= 0) {
    const epoch = t.slice(0, colon);
    if (epoch === '') return `dpkg: epoch in version "${t}" is empty`;
    if (!/^[0-9]+$/.test(epoch)) return `dpkg: epoch "${epoch}" is not a number`;
    if (Number(epoch) > INT32_MAX) return `dpkg: epoch "${epoch}" is too big`;
    rest = t.slice(colon + 1);
    if (rest === '') return `dpkg: nothing after colon in version "${t}"`;
  }
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  if (hyphen >= 0 && revision === '') return `dpkg: revision in version "${t}" is empty`;
  if (upstream === '') return `dpkg: upstream version in "${t}" is empty`;
  if (!/^[0-9]/.test(upstream)) return `dpkg: upstream version in "${t}" does not start with a digit`;
  if (!/^[A-Za-z0-9.+~:_-]*$/.test(upstream)) return `dpkg: invalid character in upstream version of "${t}"`;
  if (!/^[A-Za-z0-9.+~_]*$/.test(revision)) return `dpkg: invalid character in revision of "${t}"`;
  return undefined;
}

/** Parses a Debian version. */
export function parse(text: string): ParseResult<DpkgVersion> {
  if (!scan(text, 0)) return invalid(validate(text) ?? `dpkg: invalid version "${text}"`);
  const up = scratch[0]!;
  const hyphen = scratch[2]!;
  const end = scratch[3]!;
  return parsed({
    epoch: scratch[4]!,
    upstream: text.slice(up, hyphen >= 0 ? hyphen : end),
    revision: hyphen >= 0 ? text.slice(hyphen + 1, end) : '',
  });
}

/** Orders two parsed versions: epoch, then upstream, then revision. */
export function compare(a: DpkgVersion, b: DpkgVersion): Ordering {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  if (a.upstream !== b.upstream) {
    const r = verrevcmp(a.upstream, 0, a.upstream.length, b.upstream, 0, b.upstream.length);
    if (r !== 0) return r < 0 ? -1 : 1;
  }
  if (a.revision === b.revision) return 0;
  return sign(verrevcmp(a.revision, 0, a.revision.length, b.revision, 0, b.revision.length));
}

/** Parses and compares two strings without allocating; `undefined` if either is invalid. */
export function compareStrings(a: string, b: string): Ordering | undefined {
  if (a === b) return scan(a, 0) ? 0 : undefined;
  if (!scan(a, 0) || !scan(b, SLOTS)) return undefined;
  const ea = scratch[4]!;
  const eb = scratch[SLOTS + 4]!;
  if (ea !== eb) return ea < eb ? -1 : 1;
  const aUp = scratch[0]!;
  const aHy = scratch[2]!;
  const aEnd = scratch[3]!;
  const bUp = scratch[SLOTS]!;
  const bHy = scratch[SLOTS + 2]!;
  const bEnd = scratch[SLOTS + 3]!;
  const r = verrevcmp(a, aUp, aHy >= 0 ? aHy : aEnd, b, bUp, bHy >= 0 ? bHy : bEnd);
  if (r !== 0) return r < 0 ? -1 : 1;
  return sign(verrevcmp(a, aHy >= 0 ? aHy + 1 : aEnd, aEnd, b, bHy >= 0 ? bHy + 1 : bEnd, bEnd));
}

/** Formats as `[epoch:]upstream[-revision]` (epoch omitted when 0). */
export function format(v: DpkgVersion): string {
  return `${v.epoch !== 0 ? `${v.epoch}:` : ''}${v.upstream}${v.revision !== '' ? `-${v.revision}` : ''}`;
}

/** The dpkg scheme. */
export const dpkg = {
  name: 'dpkg',
  parse,
  compare,
  compareStrings,
  format,
} as const satisfies VersionScheme<DpkgVersion>;
