/**
 * @module NuGet versions: `NuGetVersion.TryParse` and the default
 * `VersionComparer` of NuGet.Versioning (SemVer 2.0 with a fourth number).
 *
 * A version is one to four dot-separated numbers (missing ones are 0, so
 * `1` = `1.0` = `1.0.0` = `1.0.0.0`; leading zeros are insignificant; each
 * fits in an int32), then optionally `-` and dot-separated release labels
 * (`[0-9A-Za-z-]`, a numeric label without a leading zero), then optionally
 * `+` and build metadata, which ordering ignores. Surrounding white space is
 * trimmed; a `v` prefix is not accepted (NuGet refuses it too).
 *
 * Order: the four numbers; then a release (no labels) above any
 * pre-release; then labels pairwise: two numeric labels numerically, a
 * numeric label below a word, two words case-insensitively (ordinal); with
 * all shared labels equal, the one with more labels is greater. As in
 * NuGet, a label counts as numeric when `Int32.TryParse` accepts it, so a
 * digit run beyond int32 compares as a word and `-1` (dashes are allowed in
 * labels) as the number −1.
 *
 * Stricter than NuGet in one way: `System.Version` would accept blanks and a
 * `+` sign inside a number (`1. 2`); here a number is digits only.
 */
import { invalid, parsed, parsedComparer, type Ordering, type ParseResult, type VersionScheme } from '../scheme.js';

/** A parsed NuGet version. */
export interface NuGetVersion {
  /** Major, minor, patch, revision. */
  readonly numbers: readonly [number, number, number, number];
  /** Release labels, as written (compared case-insensitively). */
  readonly labels: readonly string[];
  /** Build metadata as written, without the `+`; `''` when absent. */
  readonly metadata: string;
}

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;
const NUMBER = /^[0-9]+$/;
const PART = /^[0-9A-Za-z-]+$/;

function isValidPart(part: string, allowLeadingZeros: boolean): boolean {
  if (!PART.test(part)) return false;
  return allowLeadingZeros || !(part.length > 1 && part[0] === '0' && NUMBER.test(part));
}

/** `NuGetVersion.ParseSections`: the number part, the labels and the metadata, split at the first `-` and the first `+` after it. */
function sections(value: string): { numbers: string; labels?: string; metadata?: string } {
  const dash = value.search(/[-+]/);
  if (dash < 0) return { numbers: value };
  // A separator in last place stays in the number part, which then fails to parse, as in NuGet.
  if (dash === value.length - 1) return { numbers: value };
  const numbers = value.slice(0, dash);
  if (value[dash] === '+') return { numbers, metadata: value.slice(dash + 1) };
  const plus = value.indexOf('+', dash + 1);
  if (plus < 0) return { numbers, labels: value.slice(dash + 1) };
  // A `+` in last place stays in the labels, which then fail to parse.
  if (plus === value.length - 1) return { numbers, labels: value.slice(dash + 1) };
  return { numbers, labels: value.slice(dash + 1, plus), metadata: value.slice(plus + 1) };
}

/** Parses a NuGet version. */
export function parse(text: string): ParseResult<NuGetVersion> {
  // .NET's String.Trim: Unicode white space (JavaScript's trim also drops U+FEFF).
  const value = text.trim();
  const bad = (why: string) => invalid<NuGetVersion>(`nuget: invalid version ${JSON.stringify(text)}: ${why}`);
  if (value === '') return bad('empty');
  const s = sections(value);
  const parts = s.numbers.split('.');
  if (parts.length > 4) return bad('more than four numbers');
  const numbers: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (!NUMBER.test(p)) return bad(`"${p}" is not a number`);
    const n = Number(p.replace(/^0+(?=.)/, ''));
    if (n > INT32_MAX) return bad(`${p} is larger than ${INT32_MAX}`);
    numbers[i] = n;
  }
  const labels = s.labels === undefined ? [] : s.labels.split('.');
  for (const l of labels) if (!isValidPart(l, false)) return bad(`invalid release label "${l}"`);
  const metadata = s.metadata ?? '';
  if (s.metadata !== undefined) for (const m of metadata.split('.')) if (!isValidPart(m, true)) return bad(`invalid build metadata "${metadata}"`);
  return parsed({ numbers, labels, metadata });
}

/** `Int32.TryParse` of a label (labels hold only `[0-9A-Za-z-]`, so a sign is the only extra). */
function labelNumber(label: string): number | undefined {
  if (!/^-?[0-9]+$/.test(label)) return undefined;
  const n = Number(label);
  return n >= INT32_MIN && n <= INT32_MAX ? n : undefined;
}

/** `StringComparer.OrdinalIgnoreCase` on ASCII labels. */
function compareIgnoringCase(a: string, b: string): Ordering {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareLabel(a: string, b: string): Ordering {
  const x = labelNumber(a);
  const y = labelNumber(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (x !== undefined) return -1;
  if (y !== undefined) return 1;
  return compareIgnoringCase(a, b);
}

/** NuGet's default version order (metadata ignored). */
export function compare(a: NuGetVersion, b: NuGetVersion): Ordering {
  for (let i = 0; i < 4; i++) {
    const x = a.numbers[i]!;
    const y = b.numbers[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  const aRelease = a.labels.length === 0;
  const bRelease = b.labels.length === 0;
  if (aRelease || bRelease) return aRelease === bRelease ? 0 : aRelease ? 1 : -1;
  const n = Math.max(a.labels.length, b.labels.length);
  for (let i = 0; i < n; i++) {
    if (i >= a.labels.length) return -1;
    if (i >= b.labels.length) return 1;
    const c = compareLabel(a.labels[i]!, b.labels[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** Parses and orders two strings; `undefined` when either does not parse. */
export const compareStrings = parsedComparer(parse, compare);

/** `ToNormalizedString`: three numbers (four when the revision is not 0), labels, metadata. */
export function format(v: NuGetVersion): string {
  const [major, minor, patch, revision] = v.numbers;
  let s = `${major}.${minor}.${patch}${revision > 0 ? `.${revision}` : ''}`;
  if (v.labels.length > 0) s += `-${v.labels.join('.')}`;
  if (v.metadata !== '') s += `+${v.metadata}`;
  return s;
}

/** NuGet package versions. */
export const nuget = {
  name: 'nuget',
  parse,
  compare,
  compareStrings,
  format,
} as const satisfies VersionScheme<NuGetVersion>;
