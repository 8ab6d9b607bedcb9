/**
 * @module Version schemes: the default registry and a string-level compare.
 *
 * Each scheme is a pure module under `src/versions/<scheme>/`; this file only
 * lists them (explicitly, no discovery) and re-exports the shared contract.
 *
 * @example
 * ```ts
 * compareVersions('apk', '1.6-r0', '1.6_rc1-r0'); // 1: the rc is older
 * compareVersions('dpkg', '1.0~rc1', '1.0');       // -1
 * compareVersions('rpm', 'x:1', '1');              // undefined: bad epoch
 * ```
 */
import { apk } from './apk/index.js';
import { composer } from './composer/index.js';
import { dpkg } from './dpkg/index.js';
import { gem } from './gem/index.js';
import { maven } from './maven/index.js';
import { nuget } from './nuget/index.js';
import { pep440 } from './pep440/index.js';
import { rpm } from './rpm/index.js';
import { clairError } from '../lib/errors.js';
import type { Ordering, SchemeName, VersionScheme } from './scheme.js';
import { crates, gomod, semver } from './semver/index.js';

export * from './scheme.js';
export { apk } from './apk/index.js';
export { composer } from './composer/index.js';
export { dpkg } from './dpkg/index.js';
export { gem } from './gem/index.js';
export { maven } from './maven/index.js';
export { nuget } from './nuget/index.js';
export { pep440 } from './pep440/index.js';
export { rpm } from './rpm/index.js';
export { crates, gomod, semver } from './semver/index.js';
export type { ApkVersion } from './apk/index.js';
export type { ComposerVersion } from './composer/index.js';
export type { DpkgVersion } from './dpkg/index.js';
export type { GemVersion } from './gem/index.js';
export type { MavenVersion } from './maven/index.js';
export type { NuGetVersion } from './nuget/index.js';
export type { Pep440Version, Specifier, SpecifierSet } from './pep440/index.js';
export type { RpmEvr, Rpmver } from './rpm/index.js';
export type { CrateVersion, GoVersion, NpmRange, NpmVersion, SemverOptions } from './semver/index.js';

// Scheme-specific operations beyond the common contract.
export { compareRaw as apkCompareRaw, fuzzyMatch as apkFuzzyMatch } from './apk/index.js';
export { verrevcmp } from './dpkg/index.js';
export { canonical as mavenCanonical } from './maven/index.js';
export { isDevBranch as composerIsDevBranch, normalizeComposer, phpVersionCompare } from './composer/index.js';
export {
  filterSpecifierSet,
  parseSpecifier,
  parseSpecifierSet,
  specifierSetContains,
  type ContainsOptions,
} from './pep440/index.js';
export { compareRpmver, formatRpmver, parseRpmver, rpmvercmp } from './rpm/index.js';
export { isPseudoVersion, parseGo, parseNpm, parseRange, satisfies } from './semver/index.js';

/** The default schemes, by registry name. */
export const SCHEMES = {
  dpkg,
  rpm,
  apk,
  pep440,
  maven,
  semver,
  gomod,
  crates,
  gem,
  composer,
  nuget,
} as const satisfies { readonly [K in SchemeName]: VersionScheme<unknown> & { readonly name: K } };

/** The registry names, in registry order. */
export const SCHEME_NAMES = Object.keys(SCHEMES) as readonly SchemeName[];

/** Looks a scheme up by name; `undefined` for an unknown name. */
export function getScheme(name: string): VersionScheme<unknown> | undefined {
  return Object.hasOwn(SCHEMES, name) ? (SCHEMES[name as SchemeName] as VersionScheme<unknown>) : undefined;
}

/**
 * Compares two version strings under a scheme: -1, 0 or 1, or `undefined`
 * when either string does not parse (or the scheme name is unknown). Never
 * throws, so it is safe in a matching loop; what "does not parse" means for
 * a match is the caller's ecosystem rule (see README.md).
 */
export function compareVersions(scheme: SchemeName | VersionScheme<unknown>, a: string, b: string): Ordering | undefined {
  const s = typeof scheme === 'string' ? getScheme(scheme) : scheme;
  if (s === undefined) return undefined;
  if (s.compareStrings) return s.compareStrings(a, b);
  const x = s.parse(a);
  if (!x.ok) return undefined;
  const y = s.parse(b);
  if (!y.ok) return undefined;
  return s.compare(x.version, y.version);
}

/**
 * Parses or throws the catalogued `CLAIR_ERR_VERSION_INVALID` (HTTP 400), for
 * callers outside a matching loop, such as request validation.
 *
 * @throws ClairError `VERSION_INVALID` with the scheme's reason as message.
 */
export function mustParse<V>(scheme: VersionScheme<V>, text: string): V {
  const r = scheme.parse(text);
  if (!r.ok) throw clairError('VERSION_INVALID', r.reason);
  return r.version;
}
