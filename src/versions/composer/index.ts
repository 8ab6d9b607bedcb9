/**
 * @module Composer (PHP, Packagist) versions: `VersionParser::normalize` of
 * composer/semver 3.3, then `version_compare` on the normalized strings, as
 * Composer's `Constraint` does.
 *
 * Normalizing pads the release to four numbers (`1.2` → `1.2.0.0`), drops a
 * `v` prefix, build metadata (`+…`), an `@stability` flag and an alias
 * (`1.0 as 2.0`), spells stabilities out (`b2` → `-beta2`, `rc` → `-RC`,
 * `pl`/`p` → `-patch`) and appends `-dev`; date versions (`2010-01-02`)
 * keep their numbers; `1.x-dev` becomes `1.9999999.9999999.9999999-dev`;
 * branches are `dev-<name>` (`master`, `trunk` and `default` get the prefix).
 * Stabilities order `-dev` < `-alpha` < `-beta` < `-RC` < stable < `-patch`.
 *
 * Composer never orders a branch against anything (a `dev-` version matches
 * no range); this scheme needs a total order, so branches sort below every
 * numbered version and among themselves by name, equal only to themselves.
 * Matchers must not read a branch as "older than every fix": see
 * {@link isDevBranch}.
 */
import { invalid, parsed, parsedComparer, type Ordering, type ParseResult, type VersionScheme } from '../scheme.js';
import { phpVersionCompare } from './php-compare.js';

export { canonicalizePhpVersion, phpVersionCompare } from './php-compare.js';

/** A parsed Composer version. */
export interface ComposerVersion {
  /** `VersionParser::normalize`'s result, e.g. `1.2.0.0-RC1` or `dev-main`. */
  readonly normalized: string;
  /** A branch (`dev-…`), which Composer orders against nothing. */
  readonly branch: boolean;
}

/** PHP's `trim` (space, `\t`, `\n`, `\r`, NUL, `\v`), in one pass from each end. */
function phpTrim(s: string): string {
  const blank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 0 || c === 11;
  let start = 0;
  let end = s.length;
  while (start < end && blank(s.charCodeAt(start))) start++;
  while (end > start && blank(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

// PCRE's `\s` (without the UTF mode).
const S = ' \\t\\n\\v\\f\\r';
/** PCRE's `$` without the D modifier: the end, or just before a final newline. */
const END = '(?=\\n?$)';
const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d)*))?([.-]?dev)?';

const ALIAS = new RegExp(`^([^,${S}]+) +as +([^,${S}]+)$`);
const STABILITY_FLAG = /@(?:stable|RC|beta|alpha|dev)$/i;
const BUILD_METADATA = new RegExp(`^([^,${S}+]+)\\+[^${S}]+${END}`);
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}${END}`, 'i');
const DATE = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)${MODIFIER}${END}`, 'i');
const NUMERIC_BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;

function expandStability(stability: string): string {
  const s = stability.toLowerCase();
  switch (s) {
    case 'a':
      return 'alpha';
    case 'b':
      return 'beta';
    case 'p':
    case 'pl':
      return 'patch';
    case 'rc':
      return 'RC';
    default:
      return s;
  }
}

/** `VersionParser::normalizeBranch`: `1.x` → `1.9999999.9999999.9999999-dev`, anything else `dev-<name>`. */
export function normalizeBranch(name: string): string {
  const trimmed = phpTrim(name);
  const m = NUMERIC_BRANCH.exec(trimmed);
  if (!m) return `dev-${trimmed}`;
  let version = '';
  for (let i = 1; i < 5; i++) version += m[i] === undefined ? '.x' : m[i]!.replace(/[*X]/g, 'x');
  return `${version.replaceAll('x', '9999999')}-dev`;
}

/**
 * The branch name before a final `[.-]?dev` (PHP's unanchored
 * `(.*?)[.-]?dev$`, case-insensitive): from just after the last newline
 * before it. `undefined` when the text does not end in `dev`.
 */
function beforeDevSuffix(text: string): string | undefined {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (body.length < 3 || body.slice(-3).toLowerCase() !== 'dev') return undefined;
  let end = body.length - 3;
  if (end > 0 && (body[end - 1] === '.' || body[end - 1] === '-')) end--;
  const start = body.lastIndexOf('\n', end - 1) + 1;
  return body.slice(start, end);
}

/**
 * `VersionParser::normalize`: the normalized version, or `undefined` when
 * Composer rejects the string ("Invalid version string").
 */
export function normalizeComposer(text: string): string | undefined {
  let version = phpTrim(text);
  const alias = ALIAS.exec(version);
  if (alias) version = alias[1]!;
  const flag = STABILITY_FLAG.exec(version);
  if (flag) version = version.slice(0, version.length - flag[0].length);
  if (version === 'master' || version === 'trunk' || version === 'default') version = `dev-${version}`;
  if (version.slice(0, 4).toLowerCase() === 'dev-') return `dev-${version.slice(4)}`;
  const build = BUILD_METADATA.exec(version);
  if (build) version = build[1]!;

  let m = CLASSICAL.exec(version);
  let index: number;
  if (m) {
    version = m[1]! + (m[2] || '.0') + (m[3] || '.0') + (m[4] || '.0');
    index = 5;
  } else {
    m = DATE.exec(version);
    if (m) {
      version = m[1]!.replace(/\D/g, '.');
      index = 2;
    }
  }
  if (m) {
    const stability = m[index!];
    if (stability) {
      if (stability === 'stable') return version;
      version += `-${expandStability(stability)}${(m[index! + 1] ?? '').replace(/^[.-]+/, '')}`;
    }
    if (m[index! + 2]) version += '-dev';
    return version;
  }

  const branch = beforeDevSuffix(version);
  if (branch !== undefined) {
    const normalized = normalizeBranch(branch);
    if (!normalized.includes('dev-')) return normalized;
  }
  return undefined;
}

/** True for a Composer branch version (`dev-main`, `dev-feature/x`), which no version range contains. */
export function isDevBranch(text: string): boolean {
  return normalizeComposer(text)?.startsWith('dev-') ?? false;
}

/** Parses a Composer version. */
export function parse(text: string): ParseResult<ComposerVersion> {
  const normalized = normalizeComposer(text);
  if (normalized === undefined) return invalid(`composer: invalid version string ${JSON.stringify(text)}`);
  return parsed({ normalized, branch: normalized.startsWith('dev-') });
}

/** Composer's order, made total: branches first (by name), then `version_compare` of the normalized forms. */
export function compare(a: ComposerVersion, b: ComposerVersion): Ordering {
  if (a.branch || b.branch) {
    if (a.branch !== b.branch) return a.branch ? -1 : 1;
    return a.normalized === b.normalized ? 0 : a.normalized < b.normalized ? -1 : 1;
  }
  return phpVersionCompare(a.normalized, b.normalized);
}

/** Parses and orders two strings; `undefined` when either does not parse. */
export const compareStrings = parsedComparer(parse, compare);

/** Composer versions. */
export const composer = {
  name: 'composer',
  parse,
  compare,
  compareStrings,
  format: (v: ComposerVersion) => v.normalized,
} as const satisfies VersionScheme<ComposerVersion>;
