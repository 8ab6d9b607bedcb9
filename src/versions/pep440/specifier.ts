/**
 * @module PEP 440 version specifiers (`~=`, `==`, `!=`, `<=`, `>=`, `<`, `>`,
 * `===`, and `==X.*` / `!=X.*` prefix matches) and comma-separated specifier
 * sets, as pypa/packaging 26 implements them, including its pre-release rule:
 * pre-releases are excluded unless a specifier names one, the caller asks for
 * them, or nothing but pre-releases matches (PEP 440 "Handling of
 * pre-releases"). A single `contains` check therefore accepts a matching
 * pre-release unless pre-releases were explicitly turned off.
 */
import { invalid, parsed, type ParseResult } from '../scheme.js';
import {
  compareVersion,
  formatVersion,
  isPostrelease,
  isPrerelease,
  parseVersion,
  publicVersion,
  type Pep440Version,
} from './version.js';

/** A specifier operator. */
export type SpecifierOperator = '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '===';

/** One parsed specifier, e.g. `>=1.0`. */
export interface Specifier {
  readonly operator: SpecifierOperator;
  /** The version text as written (trimmed), including a trailing `.*` for prefix matches. */
  readonly version: string;
  /** The parsed version; absent for `===` with a non-PEP 440 string and for prefix matches. */
  readonly parsed: Pep440Version | undefined;
  /** True for `==X.*` and `!=X.*`. */
  readonly wildcard: boolean;
}

/** A comma-separated set of specifiers; all must hold. */
export interface SpecifierSet {
  readonly specifiers: readonly Specifier[];
  /** Explicit pre-release policy for the set; `undefined` follows PEP 440's default. */
  readonly prereleases: boolean | undefined;
  /** Whether the text contained `===` (packaging then matches raw strings). */
  readonly hasArbitrary: boolean;
}

const PRE = '(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?';
const POST = '(?:(?:-[0-9]+)|(?:[-_.]?(?:post|rev|r)[-_.]?[0-9]*))?';
const DEV = '(?:[-_.]?dev[-_.]?[0-9]*)?';
const LOCAL = '(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?';
const EPOCH_RELEASE = 'v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*';

// packaging `Specifier._regex`, anchored, case-insensitive.
const SPECIFIER_RE = new RegExp(
  '^\\s*(?:' +
    '(?:===\\s*[^\\s;)]*)' +
    '|' +
    `(?:(?:==|!=)\\s*${EPOCH_RELEASE}(?:\\.\\*|${PRE}${POST}${DEV}${LOCAL})?)` +
    '|' +
    `(?:~=\\s*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+${PRE}${POST}${DEV})` +
    '|' +
    `(?:(?:<=|>=|<|>)\\s*${EPOCH_RELEASE}${PRE}${POST}${DEV})` +
    ')\\s*$',
  'i',
);

/** Parses one specifier such as `~=1.4.2` or `==2.*`. */
export function parseSpecifier(text: string): ParseResult<Specifier> {
  if (!SPECIFIER_RE.test(text)) return invalid(`pep440: invalid specifier "${text}"`);
  const spec = text.trim();
  let operator: SpecifierOperator;
  let version: string;
  if (spec.startsWith('===')) {
    operator = '===';
    version = spec.slice(3).trim();
  } else if (/^(?:~=|==|!=|<=|>=)/.test(spec)) {
    operator = spec.slice(0, 2) as SpecifierOperator;
    version = spec.slice(2).trim();
  } else {
    operator = spec.slice(0, 1) as SpecifierOperator;
    version = spec.slice(1).trim();
  }
  const wildcard = (operator === '==' || operator === '!=') && version.endsWith('.*');
  if (wildcard) {
    const base = parseVersion(version.slice(0, -2));
    if (!base.ok) return invalid(`pep440: invalid specifier "${text}": ${base.reason}`);
    return parsed({ operator, version, parsed: undefined, wildcard });
  }
  const v = parseVersion(version);
  if (!v.ok && operator !== '===') return invalid(`pep440: invalid specifier "${text}": ${v.reason}`);
  return parsed({ operator, version, parsed: v.ok ? v.version : undefined, wildcard });
}

/** Parses a comma-separated specifier set; empty items are ignored, so `''` is the empty set. */
export function parseSpecifierSet(text: string, options: { prereleases?: boolean } = {}): ParseResult<SpecifierSet> {
  const specifiers: Specifier[] = [];
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const s = parseSpecifier(item.trim());
    if (!s.ok) return s;
    specifiers.push(s.version);
  }
  return parsed({ specifiers, prereleases: options.prereleases, hasArbitrary: text.includes('===') });
}

// --- packaging's string-splitting helpers for prefix matching --------------

const PREFIX_RE = /^([0-9]+)((?:a|b|c|rc)[0-9]+)$/;

/** packaging `_version_split`: epoch first, then dot items, `1rc1` split into `1`, `rc1`. */
function versionSplit(version: string): string[] {
  const bang = version.lastIndexOf('!');
  const result = [bang >= 0 ? version.slice(0, bang) || '0' : '0'];
  for (const item of version.slice(bang + 1).split('.')) {
    const m = PREFIX_RE.exec(item);
    if (m) result.push(m[1]!, m[2]!);
    else result.push(item);
  }
  return result;
}

function versionJoin(components: readonly string[]): string {
  const [epoch, ...rest] = components;
  return `${epoch ?? ''}!${rest.join('.')}`;
}

function isNotSuffix(segment: string): boolean {
  return !['dev', 'a', 'b', 'rc', 'post'].some((p) => segment.startsWith(p));
}

function isDigits(s: string): boolean {
  return /^[0-9]+$/.test(s);
}

function numericPrefixLength(split: readonly string[]): number {
  let n = 0;
  while (n < split.length && isDigits(split[n]!)) n++;
  return n;
}

/** packaging `canonicalize_version(v, strip_trailing_zero=False)`: the canonical form, or the input if it does not parse. */
function canonicalize(version: string): string {
  const v = parseVersion(version);
  return v.ok ? formatVersion(v.version) : version;
}

function wildcardEqual(prospective: Pep440Version, spec: string): boolean {
  const splitSpec = versionSplit(canonicalize(spec.slice(0, -2)));
  const specNumeric = numericPrefixLength(splitSpec);
  let splitProspective = versionSplit(formatVersion(publicVersion(prospective)));
  const have = numericPrefixLength(splitProspective);
  if (specNumeric > have) {
    splitProspective = [
      ...splitProspective.slice(0, have),
      ...Array<string>(specNumeric - have).fill('0'),
      ...splitProspective.slice(have),
    ];
  }
  const shortened = splitProspective.slice(0, splitSpec.length);
  return shortened.length === splitSpec.length && shortened.every((s, i) => s === splitSpec[i]);
}

function requireVersion(text: string): Pep440Version {
  const v = parseVersion(text);
  // Specifier parsing already checked this; keep the compare total anyway.
  return v.ok ? v.version : { epoch: 0, release: [0], pre: undefined, post: undefined, dev: undefined, local: undefined };
}

function equal(prospective: Pep440Version, spec: string): boolean {
  if (spec.endsWith('.*')) return wildcardEqual(prospective, spec);
  const sv = requireVersion(spec);
  const p = sv.local === undefined || sv.local.length === 0 ? publicVersion(prospective) : prospective;
  return compareVersion(p, sv) === 0;
}

function withDev0(v: Pep440Version): Pep440Version {
  return { ...v, dev: 0, local: undefined };
}

function postBase(v: Pep440Version): Pep440Version {
  return { ...v, post: undefined, dev: undefined, local: undefined };
}

/** Applies one operator to a parsed prospective version (packaging `_compare_*`). */
function operatorHolds(op: SpecifierOperator, prospective: Pep440Version, spec: string): boolean {
  switch (op) {
    case '~=': {
      const prefix = versionJoin(
        (() => {
          const split = versionSplit(spec);
          const kept: string[] = [];
          for (const s of split) {
            if (!isNotSuffix(s)) break;
            kept.push(s);
          }
          return kept.slice(0, -1);
        })(),
      );
      return operatorHolds('>=', prospective, spec) && equal(prospective, `${prefix}.*`);
    }
    case '==':
      return equal(prospective, spec);
    case '!=':
      return !equal(prospective, spec);
    case '<=':
      return compareVersion(publicVersion(prospective), requireVersion(spec)) <= 0;
    case '>=':
      return compareVersion(publicVersion(prospective), requireVersion(spec)) >= 0;
    case '<': {
      const sv = requireVersion(spec);
      if (compareVersion(prospective, sv) >= 0) return false;
      // "<V MUST NOT allow a pre-release of V unless V is itself a pre-release."
      if (!isPrerelease(sv) && isPrerelease(prospective) && compareVersion(prospective, withDev0(sv)) >= 0) return false;
      return true;
    }
    case '>': {
      const sv = requireVersion(spec);
      if (compareVersion(prospective, sv) <= 0) return false;
      // ">V MUST NOT allow a post-release of V unless V is itself a post-release."
      if (!isPostrelease(sv) && isPostrelease(prospective) && compareVersion(postBase(prospective), sv) === 0) return false;
      // ">V MUST NOT match a local version of V."
      if (prospective.local !== undefined && compareVersion(publicVersion(prospective), sv) === 0) return false;
      return true;
    }
    case '===':
      return formatVersion(prospective).toLowerCase() === spec.toLowerCase();
  }
}

/** The pre-release policy a specifier implies (packaging `Specifier.prereleases`). */
export function specifierImpliesPrereleases(s: Specifier): boolean | undefined {
  if (s.operator === '!=') return false;
  if (s.wildcard) return false;
  if (s.parsed === undefined) return undefined;
  return isPrerelease(s.parsed);
}

/** A version given as text (kept for `===`) or already parsed. */
export type VersionInput = string | Pep440Version;

function coerce(item: VersionInput): Pep440Version | undefined {
  if (typeof item !== 'string') return item;
  const v = parseVersion(item);
  return v.ok ? v.version : undefined;
}

function itemText(item: VersionInput): string {
  return typeof item === 'string' ? item : formatVersion(item);
}

function arbitraryEqual(item: VersionInput, spec: string): boolean {
  return itemText(item).toLowerCase() === spec.toLowerCase();
}

/** packaging `Specifier.filter`. */
export function filterSpecifier<T extends VersionInput>(s: Specifier, items: Iterable<T>, prereleases?: boolean): T[] {
  const include = prereleases ?? specifierImpliesPrereleases(s);
  const out: T[] = [];
  const held: T[] = [];
  let foundFinal = false;
  for (const item of items) {
    const v = coerce(item);
    if (v === undefined) {
      if (s.operator === '===' && arbitraryEqual(item, s.version)) out.push(item);
      continue;
    }
    const match = s.operator === '===' ? arbitraryEqual(item, s.version) : operatorHolds(s.operator, v, s.version);
    if (!match) continue;
    if (!isPrerelease(v) || include === true) {
      foundFinal = true;
      out.push(item);
    } else if (prereleases === undefined) {
      held.push(item);
    }
  }
  if (!foundFinal && prereleases === undefined) out.push(...held);
  return out;
}

/** packaging's PEP 440 rule: drop pre-releases unless nothing else is left. */
function dropPrereleasesUnlessOnly<T extends VersionInput>(items: readonly T[]): T[] {
  const finals: T[] = [];
  const arbitrary: T[] = [];
  let foundFinal = false;
  for (const item of items) {
    const v = coerce(item);
    if (v === undefined) {
      arbitrary.push(item);
      if (foundFinal) finals.push(item);
      continue;
    }
    if (!isPrerelease(v)) {
      if (!foundFinal) {
        finals.push(...arbitrary);
        foundFinal = true;
      }
      finals.push(item);
    }
  }
  return foundFinal ? finals : [...items];
}

/** The set's pre-release policy (packaging `SpecifierSet.prereleases`): explicit, else `true` if any specifier names a pre-release. */
export function specifierSetPrereleases(set: SpecifierSet): boolean | undefined {
  if (set.prereleases !== undefined) return set.prereleases;
  if (set.specifiers.some((s) => specifierImpliesPrereleases(s) === true)) return true;
  return undefined;
}

/** packaging `SpecifierSet.filter`: the items every specifier accepts, with the pre-release rule applied. */
export function filterSpecifierSet<T extends VersionInput>(set: SpecifierSet, items: Iterable<T>, prereleases?: boolean): T[] {
  let pre = prereleases;
  if (pre === undefined) pre = specifierSetPrereleases(set);
  const list = [...items];
  if (set.specifiers.length > 0) {
    let matched: T[];
    if (set.specifiers.length === 1) {
      matched = filterSpecifier(set.specifiers[0]!, list, pre ?? true);
    } else {
      const exclude = pre === false;
      matched = list.filter((item) => {
        const v = coerce(item);
        if (v === undefined) return set.specifiers.every((s) => s.operator === '===' && arbitraryEqual(item, s.version));
        if (exclude && isPrerelease(v)) return false;
        return set.specifiers.every((s) =>
          s.operator === '===' ? arbitraryEqual(item, s.version) : operatorHolds(s.operator, v, s.version),
        );
      });
    }
    return pre !== undefined ? matched : dropPrereleasesUnlessOnly(matched);
  }
  if (pre === true) return list;
  if (pre === false) {
    return list.filter((item) => {
      const v = coerce(item);
      return v === undefined || !isPrerelease(v);
    });
  }
  return dropPrereleasesUnlessOnly(list);
}

/** Options for {@link specifierSetContains}. */
export interface ContainsOptions {
  /** Force pre-releases in (`true`) or out (`false`); default follows PEP 440. */
  prereleases?: boolean;
  /** The version is already installed: a pre-release is then always acceptable. */
  installed?: boolean;
}

/**
 * packaging `SpecifierSet.contains`. A string that is not a PEP 440 version
 * can only match `===`.
 *
 * @example
 * ```ts
 * const s = parseSpecifierSet('>=1.0,!=1.3.*');
 * if (s.ok) specifierSetContains(s.version, '1.2.post1'); // true
 * ```
 */
export function specifierSetContains(set: SpecifierSet, item: VersionInput, options: ContainsOptions = {}): boolean {
  const v = coerce(item);
  let pre = options.prereleases;
  if (v !== undefined && options.installed === true && isPrerelease(v)) pre = true;
  const check: VersionInput = v === undefined || (set.hasArbitrary && typeof item === 'string') ? item : v;
  return filterSpecifierSet(set, [check], pre).length > 0;
}
