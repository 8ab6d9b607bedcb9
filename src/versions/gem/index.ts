/**
 * @module RubyGems versions: a port of `Gem::Version` (rubygems
 * lib/rubygems/version.rb).
 *
 * A version is digits and ASCII letters separated by dots; `-` means
 * `.pre.`. Segments are runs of digits or of letters (`1.0.a10` is
 * `1, 0, "a", 10`). Any letter makes the version a pre-release, and a
 * letter segment sorts below any number, so `1.0.a < 1.0`. Comparison uses
 * the canonical segments: trailing zeros dropped (`1 = 1.0 = 1.0.0`) and, in a
 * pre-release, zeros just before the first letter dropped
 * (`1.0.0.a.1.0` = `1.a.1`); missing segments count as 0.
 *
 * Unlike claircore's `ruby/version.go`, which splits only on dots (so
 * `1.0.a10 < 1.0.a9` there), this follows RubyGems.
 */
import { invalid, parsed, parsedComparer, type Ordering, type ParseResult, type VersionScheme } from '../scheme.js';

/** A segment: a number (digit string without leading zeros) or a letter run. */
export type GemSegment = { readonly num: string } | { readonly str: string };

/** A parsed gem version. */
export interface GemVersion {
  /** Stripped text with `-` replaced by `.pre.` (`Gem::Version#version`). */
  readonly version: string;
  readonly prerelease: boolean;
  /** `canonical_segments`, what comparison uses. */
  readonly segments: readonly GemSegment[];
}

// Gem::Version::ANCHORED_VERSION_PATTERN, with Ruby's \s spelled out.
const WS = '[ \\t\\r\\n\\f\\v]';
const ANCHORED = new RegExp(`^${WS}*(?:[0-9]+(?:\\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?${WS}*$`);
const STRIP = new RegExp(`^[ \\t\\r\\n\\f\\v\\0]+|[ \\t\\r\\n\\f\\v\\0]+$`, 'g');

function partition(ver: string): GemSegment[] {
  const out: GemSegment[] = [];
  for (const m of ver.matchAll(/[0-9]+|[a-z]+/gi)) {
    const s = m[0];
    if (s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57) out.push({ num: s.replace(/^0+/, '') });
    else out.push({ str: s });
  }
  return out;
}

/** `canonical_segments`. */
function canonicalSegments(version: string, prerelease: boolean): GemSegment[] {
  // Remove trailing zero segments, anchored on a dot or letter.
  let v = version.replace(/(?<=[a-zA-Z.])[.0]+$/, '');
  // In a pre-release, remove zero segments before the first letter.
  if (prerelease) v = v.replace(/(?<=\.|^)[0.]+(?=[a-zA-Z])/, '');
  return partition(v);
}

/** Parses like `Gem::Version.new`; `''` and whitespace mean `0`. */
export function parse(text: string): ParseResult<GemVersion> {
  if (!ANCHORED.test(text)) return invalid(`gem: malformed version number string "${text}"`);
  let version = text.replace(STRIP, '');
  if (version === '') version = '0';
  version = version.replaceAll('-', '.pre.');
  const prerelease = /[a-zA-Z]/.test(version);
  return parsed({ version, prerelease, segments: canonicalSegments(version, prerelease) });
}

const ZERO: GemSegment = { num: '' };

function compareSegment(a: GemSegment, b: GemSegment): Ordering {
  if ('num' in a) {
    if (!('num' in b)) return 1;
    if (a.num.length !== b.num.length) return a.num.length < b.num.length ? -1 : 1;
    return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
  }
  if ('num' in b) return -1;
  return a.str < b.str ? -1 : a.str > b.str ? 1 : 0;
}

/** `Gem::Version#<=>`. */
export function compare(a: GemVersion, b: GemVersion): Ordering {
  if (a.version === b.version) return 0;
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const r = compareSegment(a.segments[i] ?? ZERO, b.segments[i] ?? ZERO);
    if (r !== 0) return r;
  }
  return 0;
}

/** Parses and compares; `undefined` if either is malformed. */
export const compareStrings = parsedComparer(parse, compare);

/** `Gem::Version#release`: the version with letter segments and what follows removed. */
export function release(v: GemVersion): string {
  if (!v.prerelease) return v.version;
  const segs = partition(v.version);
  while (segs.some((s) => 'str' in s)) segs.pop();
  return segs.map((s) => ('num' in s ? s.num || '0' : s.str)).join('.');
}

/** The gem scheme. */
export const gem = {
  name: 'gem',
  parse,
  compare,
  compareStrings,
  format: (v: GemVersion) => v.version,
} as const satisfies VersionScheme<GemVersion>;
