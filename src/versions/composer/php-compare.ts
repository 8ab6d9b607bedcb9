/**
 * @module PHP's `version_compare` (ext/standard/versioning.c), which
 * Composer uses to order normalized versions.
 *
 * PHP first canonicalizes both strings: `-`, `_` and `+` become `.`, a `.`
 * goes between a digit and a non-digit, any other character that is not a
 * letter or digit becomes `.`, and runs of dots collapse (the first
 * character is kept as it is). The dot-separated elements are then compared
 * in turn: two numbers numerically; two words by their "special form" rank
 * (a prefix match against `dev` < `alpha`=`a` < `beta`=`b` < `RC`=`rc` < `#`
 * < `pl`=`p`, any other word ranking below `dev`); a number against a word as
 * if the number were `#`. When one side runs out, the longer side is greater
 * if its next element is a number, else its rest is compared with `#`.
 *
 * PHP reads numbers with `strtol`, which saturates at 2^63 − 1; that is kept.
 */
import type { Ordering } from '../scheme.js';

const LONG_MAX = 9223372036854775807n;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlnum = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSpecial = (c: number) => c === 45 || c === 95 || c === 43; // - _ +
const DOT = 46;

/** `php_canonicalize_version`. */
export function canonicalizePhpVersion(version: string): string {
  if (version === '') return '';
  let out = version[0]!;
  let last = version.charCodeAt(0);
  for (let i = 1; i < version.length; i++) {
    const c = version.charCodeAt(i);
    const tail = out.charCodeAt(out.length - 1);
    const digitNow = isDigit(c);
    const digitBefore = isDigit(last);
    const wordNow = !digitNow && c !== DOT;
    const wordBefore = !digitBefore && last !== DOT;
    if (isSpecial(c)) {
      if (tail !== DOT) out += '.';
    } else if ((wordBefore && digitNow) || (digitBefore && wordNow)) {
      if (tail !== DOT) out += '.';
      out += version[i];
    } else if (!isAlnum(c)) {
      if (tail !== DOT) out += '.';
    } else {
      out += version[i];
    }
    last = c;
  }
  return out;
}

/** PHP's special forms, in its lookup order (a prefix match, first hit wins). */
const SPECIAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialRank(form: string): number {
  for (const [name, rank] of SPECIAL_FORMS) if (form.startsWith(name)) return rank;
  return -1;
}

function compareSpecial(a: string, b: string): Ordering {
  const d = specialRank(a) - specialRank(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/** `strtol` of a digit run: its value, saturated at `LONG_MAX`. */
function strtol(digits: string): bigint {
  let end = 0;
  while (end < digits.length && isDigit(digits.charCodeAt(end))) end++;
  const v = BigInt(digits.slice(0, end) || '0');
  return v > LONG_MAX ? LONG_MAX : v;
}

function beforeNul(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** `php_version_compare`: -1, 0 or 1. */
export function phpVersionCompare(a: string, b: string): Ordering {
  // PHP hands C strings over: anything after a NUL is not seen.
  a = beforeNul(a);
  b = beforeNul(b);
  if (a === '' || b === '') return a === b ? 0 : a === '' ? -1 : 1;
  const v1 = a.startsWith('#') ? a : canonicalizePhpVersion(a);
  const v2 = b.startsWith('#') ? b : canonicalizePhpVersion(b);
  // Cursors into v1/v2; `n1`/`n2` are the positions of the dot ending the current element, or -1 when it is the last.
  let p1 = 0;
  let p2 = 0;
  let n1 = 0;
  let n2 = 0;
  let compare: Ordering = 0;
  while (p1 < v1.length && p2 < v2.length && n1 >= 0 && n2 >= 0) {
    n1 = v1.indexOf('.', p1);
    n2 = v2.indexOf('.', p2);
    const e1 = v1.slice(p1, n1 < 0 ? undefined : n1);
    const e2 = v2.slice(p2, n2 < 0 ? undefined : n2);
    const d1 = isDigit(e1.charCodeAt(0));
    const d2 = isDigit(e2.charCodeAt(0));
    if (d1 && d2) {
      const x = strtol(e1);
      const y = strtol(e2);
      compare = x < y ? -1 : x > y ? 1 : 0;
    } else if (!d1 && !d2) {
      compare = compareSpecial(e1, e2);
    } else {
      compare = d1 ? compareSpecial('#N#', e2) : compareSpecial(e1, '#N#');
    }
    if (compare !== 0) break;
    if (n1 >= 0) p1 = n1 + 1;
    if (n2 >= 0) p2 = n2 + 1;
  }
  if (compare === 0) {
    if (n1 >= 0) {
      compare = isDigit(v1.charCodeAt(p1)) ? 1 : phpVersionCompare(v1.slice(p1), '#N#');
    } else if (n2 >= 0) {
      compare = isDigit(v2.charCodeAt(p2)) ? -1 : phpVersionCompare('#N#', v2.slice(p2));
    }
  }
  return compare;
}
