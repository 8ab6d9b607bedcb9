/**
 * @module Alpine (apk) versions, ported from apk-tools `src/version.c`:
 *
 *     number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}
 *
 * Order: numbers (a component with a leading zero compares as a string),
 * then one letter, then suffixes `_alpha < _beta < _pre < _rc` < (none) <
 * `_cvs < _svn < _git < _hg < _p`, then a `~hash` (hex, string order), then
 * the `-rN` revision. When one version runs out first, the other is newer,
 * unless what remains starts with a pre-release suffix: so `1.6_rc1-r0` is
 * older than `1.6-r0` (the false positive reported against quay/clair#852).
 *
 * {@link compareRaw} is apk's `apk_version_compare` and, like apk, accepts any
 * strings (apk's own tests compare invalid versions). {@link parse} applies
 * `apk_version_validate`.
 */
import { invalid, parsed, type Ordering, type ParseResult, type VersionScheme } from '../scheme.js';

/** A valid apk version (kept as its text; comparison walks the string). */
export interface ApkVersion {
  readonly text: string;
}

/** Token types, in apk's order (the order matters for the end-of-string rule). */
const enum T {
  InitialDigit = 0,
  Digit = 1,
  Letter = 2,
  Suffix = 3,
  SuffixNo = 4,
  CommitHash = 5,
  RevisionNo = 6,
  End = 7,
  Invalid = 8,
}

/** Suffix values, in apk's order; `None` is the pivot between pre- and post-release. */
const enum S {
  Invalid = 0,
  Alpha = 1,
  Beta = 2,
  Pre = 3,
  Rc = 4,
  None = 5,
  Cvs = 6,
  Svn = 7,
  Git = 8,
  Hg = 9,
  P = 10,
}

const SUFFIX_NAMES: readonly string[] = ['', 'alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];

/** Tokenizer state (apk `struct token_state`); the value is a range of the string. */
class Tok {
  s = '';
  pos = 0;
  token: T = T.InitialDigit;
  suffix: S = S.Invalid;
  vs = 0;
  ve = 0;

  reset(s: string): this {
    this.s = s;
    this.pos = 0;
    this.suffix = S.Invalid;
    this.token = T.InitialDigit;
    this.parseDigits();
    return this;
  }

  private parseDigits(): void {
    const s = this.s;
    const start = this.pos;
    let i = start;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    this.vs = start;
    this.ve = i;
    this.pos = i;
    if (i === start) this.token = T.Invalid;
  }

  /** apk `token_next`. */
  next(): void {
    const s = this.s;
    if (this.pos >= s.length) {
      this.token = T.End;
      return;
    }
    const c = s.charCodeAt(this.pos);
    if (c >= 97 && c <= 122) {
      if (this.token > T.Digit) return this.fail();
      this.vs = this.pos;
      this.ve = this.pos + 1;
      this.pos++;
      this.token = T.Letter;
      return;
    }
    if (c === 46 /* . */ || isDigit(c)) {
      if (c === 46) {
        if (this.token > T.Digit) return this.fail();
        this.pos++;
      }
      if (this.token === T.InitialDigit || this.token === T.Digit) this.token = T.Digit;
      else if (this.token === T.Suffix) this.token = T.SuffixNo;
      else return this.fail();
      this.parseDigits();
      return;
    }
    if (c === 95 /* _ */) {
      if (this.token > T.SuffixNo) return this.fail();
      this.pos++;
      const start = this.pos;
      while (this.pos < s.length && isSuffixChar(s.charCodeAt(this.pos))) this.pos++;
      this.vs = start;
      this.ve = this.pos;
      this.suffix = suffixValue(s, start, this.pos);
      if (this.suffix === S.Invalid) return this.fail();
      this.token = T.Suffix;
      return;
    }
    if (c === 126 /* ~ */) {
      if (this.token >= T.CommitHash) return this.fail();
      this.pos++;
      const start = this.pos;
      while (this.pos < s.length && isHexChar(s.charCodeAt(this.pos))) this.pos++;
      this.vs = start;
      this.ve = this.pos;
      if (this.ve === start) return this.fail();
      this.token = T.CommitHash;
      return;
    }
    if (c === 45 /* - */) {
      if (this.token >= T.RevisionNo) return this.fail();
      if (this.pos + 1 >= s.length || s.charCodeAt(this.pos + 1) !== 114 /* r */) return this.fail();
      this.pos += 2;
      this.token = T.RevisionNo;
      this.parseDigits();
      return;
    }
    this.fail();
  }

  private fail(): void {
    this.token = T.Invalid;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * apk's ctype spans treat bytes >= 128 as members of every class; the closest
 * equivalent for UTF-16 code units is "non-ASCII is a member".
 */
function isSuffixChar(c: number): boolean {
  return (c >= 97 && c <= 122) || c >= 128;
}

function isHexChar(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || c >= 128;
}

function suffixValue(s: string, start: number, end: number): S {
  if (end === start) return S.Invalid;
  let v: S;
  switch (s.charCodeAt(start)) {
    case 97:
      v = S.Alpha;
      break;
    case 98:
      v = S.Beta;
      break;
    case 99:
      v = S.Cvs;
      break;
    case 103:
      v = S.Git;
      break;
    case 104:
      v = S.Hg;
      break;
    case 112:
      v = end - start > 1 ? S.Pre : S.P;
      break;
    case 114:
      v = S.Rc;
      break;
    case 115:
      v = S.Svn;
      break;
    default:
      return S.Invalid;
  }
  const name = SUFFIX_NAMES[v]!;
  if (name.length !== end - start || !s.startsWith(name, start)) return S.Invalid;
  return v;
}

/** Numeric comparison of two digit ranges (exact for any length). */
function compareNumber(a: string, as: number, ae: number, b: string, bs: number, be: number): Ordering {
  while (as < ae && a.charCodeAt(as) === 48) as++;
  while (bs < be && b.charCodeAt(bs) === 48) bs++;
  const la = ae - as;
  const lb = be - bs;
  if (la !== lb) return la < lb ? -1 : 1;
  return compareBytes(a, as, ae, b, bs, be);
}

/** apk `apk_blob_sort`: memcmp over the common length, then the shorter is less. */
function compareBytes(a: string, as: number, ae: number, b: string, bs: number, be: number): Ordering {
  const la = ae - as;
  const lb = be - bs;
  const n = la < lb ? la : lb;
  for (let k = 0; k < n; k++) {
    const d = a.charCodeAt(as + k) - b.charCodeAt(bs + k);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return la === lb ? 0 : la < lb ? -1 : 1;
}

/** apk `token_cmp` for two tokens of the same type. */
function tokenCompare(ta: Tok, tb: Tok): Ordering {
  switch (ta.token) {
    case T.Digit:
      // A leading zero makes the component compare as a string (Gentoo rule).
      if (ta.s.charCodeAt(ta.vs) === 48 || tb.s.charCodeAt(tb.vs) === 48) {
        return compareBytes(ta.s, ta.vs, ta.ve, tb.s, tb.vs, tb.ve);
      }
      return compareNumber(ta.s, ta.vs, ta.ve, tb.s, tb.vs, tb.ve);
    case T.InitialDigit:
    case T.SuffixNo:
    case T.RevisionNo:
      return compareNumber(ta.s, ta.vs, ta.ve, tb.s, tb.vs, tb.ve);
    case T.Letter: {
      const d = ta.s.charCodeAt(ta.vs) - tb.s.charCodeAt(tb.vs);
      return d < 0 ? -1 : d > 0 ? 1 : 0;
    }
    case T.Suffix:
      return ta.suffix < tb.suffix ? -1 : ta.suffix > tb.suffix ? 1 : 0;
    default:
      return compareBytes(ta.s, ta.vs, ta.ve, tb.s, tb.vs, tb.ve);
  }
}

// Two reusable tokenizers; compare is synchronous, so sharing them is safe.
const tokA = new Tok();
const tokB = new Tok();

function compareFuzzy(a: string, b: string, fuzzy: boolean): Ordering {
  const ta = tokA.reset(a);
  const tb = tokB.reset(b);
  while (ta.token === tb.token && ta.token < T.End) {
    const r = tokenCompare(ta, tb);
    if (r !== 0) return r;
    ta.next();
    tb.next();
  }
  if (ta.token === tb.token) return 0;
  if (tb.token === T.End && fuzzy) return 0;
  if (ta.token === T.Suffix && ta.suffix < S.None) return -1;
  if (tb.token === T.Suffix && tb.suffix < S.None) return 1;
  if (ta.token > tb.token) return -1;
  if (tb.token > ta.token) return 1;
  return 0;
}

/**
 * apk `apk_version_compare`: orders any two strings exactly as apk-tools does,
 * valid or not (an invalid tail sorts as apk sorts it).
 */
export function compareRaw(a: string, b: string): Ordering {
  return compareFuzzy(a, b, false);
}

/**
 * apk's fuzzy operators (`~`, `<~`, `>~`, and the negated `!~`): `a ~ b` holds
 * when `b` is a prefix of `a` at token granularity.
 */
export function fuzzyMatch(a: string, op: '~' | '<~' | '>~' | '!~', b: string): boolean {
  const r = compareFuzzy(a, b, true);
  switch (op) {
    case '~':
      return r === 0;
    case '<~':
      return r <= 0;
    case '>~':
      return r >= 0;
    case '!~':
      return r !== 0;
  }
}

/** Describes why `text` is not a valid apk version, or `undefined` if it is (apk `apk_version_validate`). */
export function validate(text: string): string | undefined {
  const t = tokA.reset(text);
  while (t.token < T.End) t.next();
  if (t.token === T.End) return undefined;
  if (text === '') return 'apk: version string is empty';
  const at = Math.min(t.pos, text.length);
  return at >= text.length
    ? `apk: invalid version "${text}": unexpected end`
    : `apk: invalid version "${text}": unexpected "${text[at]}" at offset ${at}`;
}

/** Parses (validates) an apk version. */
export function parse(text: string): ParseResult<ApkVersion> {
  const reason = validate(text);
  return reason === undefined ? parsed({ text }) : invalid(reason);
}

/** Orders two valid apk versions. */
export function compare(a: ApkVersion, b: ApkVersion): Ordering {
  return compareFuzzy(a.text, b.text, false);
}

/** Validates and compares two strings; `undefined` if either is not a valid apk version. */
export function compareStrings(a: string, b: string): Ordering | undefined {
  if (a === b) return validate(a) === undefined ? 0 : undefined;
  if (validate(a) !== undefined || validate(b) !== undefined) return undefined;
  return compareFuzzy(a, b, false);
}

/** The apk scheme. */
export const apk = {
  name: 'apk',
  parse,
  compare,
  compareStrings,
  format: (v: ApkVersion) => v.text,
} as const satisfies VersionScheme<ApkVersion>;
