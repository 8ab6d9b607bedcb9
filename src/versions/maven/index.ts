/**
 * @module Maven versions: a port of apache/maven `ComparableVersion` (the
 * current one, with combination items such as `alpha1`).
 *
 * A version is a tree: `.` separates items of a list, `-` and letter/digit
 * transitions open a sub-list. Items are numbers, qualifiers, "combinations"
 * (`rc1` = qualifier + number) and lists. Qualifiers order as
 * `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp`,
 * then unknown qualifiers lexically; `a`, `b`, `m` directly followed by a
 * digit mean alpha, beta, milestone. Trailing zeros and release qualifiers are
 * dropped, so `1 = 1.0 = 1.0.0 = 1-ga`.
 *
 * Numbers of any length compare exactly (Maven's int/long/BigInteger item
 * types order the same way as the values they hold).
 */
import { invalid, parsed, parsedComparer, type Ordering, type ParseResult, type VersionScheme } from '../scheme.js';

/** Longest accepted version (Maven `MAX_VERSION_LENGTH`), bounding nesting depth and work. */
export const MAX_MAVEN_VERSION_LENGTH = 256;

const enum K {
  Num = 0,
  Str = 1,
  List = 2,
  Comb = 3,
}

interface NumItem {
  readonly k: K.Num;
  /** Digits without leading zeros; `''` is zero. */
  readonly digits: string;
}
interface StrItem {
  readonly k: K.Str;
  readonly value: string;
}
interface CombItem {
  readonly k: K.Comb;
  readonly str: StrItem;
  readonly num: NumItem;
}
interface ListItem {
  readonly k: K.List;
  readonly items: Item[];
}
type Item = NumItem | StrItem | CombItem | ListItem;

/** A parsed Maven version. */
export interface MavenVersion {
  /** The text as given. */
  readonly text: string;
  /** @internal The item tree. */
  readonly items: ListItem;
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_QUALIFIERS = new Set(['ga', 'final', 'release']);
const RELEASE_INDEX = '5';

/** Maven `comparableQualifier`: a string that sorts qualifiers correctly. */
function comparableQualifier(q: string): string {
  if (RELEASE_QUALIFIERS.has(q)) return RELEASE_INDEX;
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function compareText(a: string, b: string): Ordering {
  return a < b ? -1 : a > b ? 1 : 0;
}

function num(digits: string): NumItem {
  let i = 0;
  while (i < digits.length && digits.charCodeAt(i) === 48) i++;
  return { k: K.Num, digits: digits.slice(i) };
}

function str(value: string, followedByDigit: boolean): StrItem {
  let v = value;
  if (followedByDigit && v.length === 1) {
    if (v === 'a') v = 'alpha';
    else if (v === 'b') v = 'beta';
    else if (v === 'm') v = 'milestone';
  }
  if (v === 'cr') v = 'rc';
  return { k: K.Str, value: v };
}

function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function comb(value: string): CombItem {
  let index = 0;
  for (let i = 0; i < value.length; i++) {
    if (isAsciiDigit(value.charCodeAt(i))) {
      index = i;
      break;
    }
  }
  return { k: K.Comb, str: str(value.slice(0, index), true), num: num(value.slice(index)) };
}

function parseItem(isCombination: boolean, isDigit: boolean, buf: string): Item {
  if (isCombination) return comb(buf.replaceAll('-', ''));
  if (isDigit) return num(buf);
  return str(buf, false);
}

function isNull(item: Item): boolean {
  switch (item.k) {
    case K.Num:
      return item.digits === '';
    case K.Str:
      return item.value === '';
    case K.List:
      return item.items.length === 0;
    case K.Comb:
      return false;
  }
}

/** Maven `ListItem.normalize`. */
function normalize(list: ListItem): void {
  const items = list.items;
  for (let i = items.length - 1; i >= 0; i--) {
    const last = items[i]!;
    if (!isNull(last)) continue;
    const next = items[i + 1];
    if (next === undefined || next.k === K.Str) {
      items.splice(i, 1);
    } else if (next.k === K.List) {
      const first = next.items[0];
      if (first !== undefined && (first.k === K.Comb || first.k === K.Str)) items.splice(i, 1);
    }
  }
  if (items.length === 1) {
    const only = items[0]!;
    if (only.k === K.List) {
      items.length = 0;
      items.push(...only.items);
    }
  }
}

function newList(): ListItem {
  return { k: K.List, items: [] };
}

/** Builds the item tree exactly as `ComparableVersion.parseVersion`. */
function buildItems(text: string): ListItem {
  const version = text.toLowerCase();
  const root = newList();
  let list = root;
  const stack: ListItem[] = [root];
  let isDigit = false;
  let isCombination = false;
  let startIndex = 0;

  const push = (): void => {
    const l = newList();
    list.items.push(l);
    list = l;
    stack.push(l);
  };

  for (let i = 0; i < version.length; i++) {
    const c = version.charCodeAt(i);
    if (c === 46 /* . */) {
      if (i === startIndex) list.items.push(num('0'));
      else list.items.push(parseItem(isCombination, isDigit, version.slice(startIndex, i)));
      isCombination = false;
      startIndex = i + 1;
    } else if (c === 45 /* - */) {
      if (i === startIndex) {
        list.items.push(num('0'));
      } else {
        // "X-1" is treated as "X1".
        if (!isDigit && i !== version.length - 1 && isAsciiDigit(version.charCodeAt(i + 1))) {
          isCombination = true;
          continue;
        }
        list.items.push(parseItem(isCombination, isDigit, version.slice(startIndex, i)));
      }
      startIndex = i + 1;
      if (list.items.length > 0) push();
      isCombination = false;
    } else if (isAsciiDigit(c)) {
      if (!isDigit && i > startIndex) {
        isCombination = true;
        if (list.items.length > 0) push();
      }
      isDigit = true;
    } else {
      if (isDigit && i > startIndex) {
        list.items.push(parseItem(isCombination, true, version.slice(startIndex, i)));
        startIndex = i;
        push();
        isCombination = false;
      }
      isDigit = false;
    }
  }
  if (version.length > startIndex) {
    // "1.0.0.X1" < "1.0.0-X2": treat ".X" as "-X" for any string qualifier X.
    if (!isDigit && list.items.length > 0) push();
    list.items.push(parseItem(isCombination, isDigit, version.slice(startIndex)));
  }
  while (stack.length > 0) normalize(stack.pop()!);
  return root;
}

function compareNum(a: NumItem, b: NumItem): Ordering {
  if (a.digits.length !== b.digits.length) return a.digits.length < b.digits.length ? -1 : 1;
  return compareText(a.digits, b.digits);
}

/** Maven `Item.compareTo`, `undefined` standing for Java's `null` (a missing item). */
function compareItem(a: Item, b: Item | undefined): Ordering {
  switch (a.k) {
    case K.Num:
      if (b === undefined) return a.digits === '' ? 0 : 1;
      return b.k === K.Num ? compareNum(a, b) : 1;
    case K.Str:
      if (b === undefined) return compareText(comparableQualifier(a.value), RELEASE_INDEX);
      switch (b.k) {
        case K.Num:
          return -1;
        case K.Str:
          return compareText(comparableQualifier(a.value), comparableQualifier(b.value));
        case K.Comb: {
          const r = compareItem(a, b.str);
          if (r !== 0) return r;
          if (compareItem(a, undefined) === 0) return negate(compareItem(b.num, undefined));
          return -1;
        }
        case K.List:
          return negate(compareItem(b, a));
      }
      break;
    case K.Comb:
      if (b === undefined) {
        const r = compareItem(a.str, undefined);
        return r === 0 ? compareItem(a.num, undefined) : r;
      }
      switch (b.k) {
        case K.Num:
          return -1;
        case K.Str: {
          const r = compareItem(a.str, b);
          if (r !== 0) return r;
          if (compareItem(a.str, undefined) === 0) return compareItem(a.num, undefined);
          return 1; // X1 > X
        }
        case K.List:
          return negate(compareItem(b, a));
        case K.Comb: {
          const r = compareItem(a.str, b.str);
          return r !== 0 ? r : compareItem(a.num, b.num);
        }
      }
      break;
    case K.List:
      if (b === undefined) {
        for (const item of a.items) {
          const r = compareItem(item, undefined);
          if (r !== 0) return r;
        }
        return 0;
      }
      switch (b.k) {
        case K.Num:
          return -1;
        case K.Str:
        case K.Comb: {
          let r: Ordering = a.items.length === 0 ? negate(compareItem(b, undefined)) : compareItem(a.items[0]!, b);
          for (let i = 1; r === 0 && i < a.items.length; i++) r = compareItem(a.items[i]!, undefined);
          return r;
        }
        case K.List: {
          const n = Math.max(a.items.length, b.items.length);
          for (let i = 0; i < n; i++) {
            const l = a.items[i];
            const r = b.items[i];
            const res: Ordering = l === undefined ? (r === undefined ? 0 : negate(compareItem(r, undefined))) : compareItem(l, r);
            if (res !== 0) return res;
          }
          return 0;
        }
      }
  }
  return 0;
}

function negate(o: Ordering): Ordering {
  return (o === 0 ? 0 : -o) as Ordering;
}

/** Parses a Maven version. Any non-empty string up to 256 characters is a version. */
export function parse(text: string): ParseResult<MavenVersion> {
  if (text.trim() === '') return invalid('maven: version string is empty');
  if (text.length > MAX_MAVEN_VERSION_LENGTH) {
    return invalid(`maven: version is longer than ${MAX_MAVEN_VERSION_LENGTH} characters (${text.length}): "${text.slice(0, 32)}..."`);
  }
  return parsed({ text, items: buildItems(text) });
}

/** Orders two Maven versions. */
export function compare(a: MavenVersion, b: MavenVersion): Ordering {
  return compareItem(a.items, b.items);
}

/** Parses and compares; `undefined` if either does not parse. */
export const compareStrings = parsedComparer(parse, compare);

function itemToString(item: Item): string {
  switch (item.k) {
    case K.Num:
      return item.digits === '' ? '0' : item.digits;
    case K.Str:
      return item.value;
    case K.Comb:
      return `${item.str.value}${itemToString(item.num)}`;
    case K.List: {
      let s = '';
      for (const child of item.items) {
        if (s.length > 0) s += child.k === K.List ? '-' : '.';
        s += itemToString(child);
      }
      return s;
    }
  }
}

/** Maven `getCanonical()`: the normalized tree printed back, e.g. `1-alpha-1` → `1-alpha1`. */
export function canonical(v: MavenVersion): string {
  return itemToString(v.items);
}

/** The maven scheme. */
export const maven = {
  name: 'maven',
  parse,
  compare,
  compareStrings,
  format: canonical,
} as const satisfies VersionScheme<MavenVersion>;
