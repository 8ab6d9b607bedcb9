/**
 * @module rpm's `rpmvercmp` (rpmio/rpmvercmp.cc), ported to work on string
 * ranges without allocating.
 *
 * Rules: characters other than ASCII letters, digits, `~` and `^` are
 * separators and only delimit segments; `~` sorts before everything, even the
 * end of the string; `^` sorts after the end of the string but before
 * anything else; a digit segment beats a letter segment; digit segments
 * compare by value (leading zeros dropped, then length, then digits); letter
 * segments compare with `strcmp`; if all segments tie, whichever string has
 * characters left wins.
 */
import { sign, type Ordering } from '../scheme.js';

const TILDE = 126;
const CARET = 94;
const ZERO = 48;

// ASCII classes: 1 digit, 2 letter, 4 separator (anything else but `~`, `^`).
const DIGIT = 1;
const ALPHA = 2;
const SEP = 4;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 48 && c <= 57) CLASS[c] = DIGIT;
  else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) CLASS[c] = ALPHA;
  else if (c !== TILDE && c !== CARET) CLASS[c] = SEP;
}

/** Class of a UTF-16 unit; non-ASCII is a separator (rpm's `risalnum` is ASCII-only). */
function kind(c: number): number {
  return c < 128 ? CLASS[c]! : SEP;
}

/**
 * `rpmvercmp` over `a[as, ae)` and `b[bs, be)`. Each segment is compared
 * while it is scanned, so every character is read once.
 */
export function rpmvercmpRange(a: string, as: number, ae: number, b: string, bs: number, be: number): Ordering {
  let i = as;
  let j = bs;
  while (i < ae || j < be) {
    while (i < ae && kind(a.charCodeAt(i)) === SEP) i++;
    while (j < be && kind(b.charCodeAt(j)) === SEP) j++;
    const ca = i < ae ? a.charCodeAt(i) : 0;
    const cb = j < be ? b.charCodeAt(j) : 0;

    // Tilde sorts before everything else.
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }

    // Caret is like tilde, except that the end of a string sorts before it.
    if (ca === CARET || cb === CARET) {
      if (i >= ae) return -1;
      if (j >= be) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }

    if (i >= ae || j >= be) break;

    if (kind(ca) === DIGIT) {
      // Segments of different types: numeric is newer.
      if (kind(cb) !== DIGIT) return 1;
      // Numbers: leading zeros dropped, then the longer wins, then digit order.
      while (i < ae && a.charCodeAt(i) === ZERO) i++;
      while (j < be && b.charCodeAt(j) === ZERO) j++;
      let diff = 0;
      for (;;) {
        const x = i < ae ? a.charCodeAt(i) : 0;
        const y = j < be ? b.charCodeAt(j) : 0;
        const dx = x >= 48 && x <= 57;
        const dy = y >= 48 && y <= 57;
        if (dx && dy) {
          if (diff === 0) diff = x - y;
          i++;
          j++;
          continue;
        }
        if (dx) return 1;
        if (dy) return -1;
        break;
      }
      if (diff !== 0) return diff < 0 ? -1 : 1;
    } else {
      if (kind(cb) !== ALPHA) return -1;
      // Letters: strcmp.
      for (;;) {
        const x = i < ae ? a.charCodeAt(i) : 0;
        const y = j < be ? b.charCodeAt(j) : 0;
        const lx = kind(x) === ALPHA && i < ae;
        const ly = kind(y) === ALPHA && j < be;
        if (lx && ly) {
          if (x !== y) return x < y ? -1 : 1;
          i++;
          j++;
          continue;
        }
        if (lx) return 1;
        if (ly) return -1;
        break;
      }
    }
  }
  if (i >= ae && j >= be) return 0;
  return i >= ae ? -1 : 1;
}

/** `rpmvercmp(a, b)` on whole strings. */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  return sign(rpmvercmpRange(a, 0, a.length, b, 0, b.length));
}
