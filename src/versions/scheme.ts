/**
 * @module The one contract every version scheme implements, and claircore's
 * normalized version (`kind` + ten int32s) used to pre-filter vulnerabilities
 * in the database by range.
 *
 * Schemes are pure: no I/O, no global caches, and nothing here throws. A
 * string that does not parse is reported as `{ ok: false, reason }` so a
 * matcher can apply its ecosystem's rule (usually "not vulnerable") without a
 * try/catch in its hot loop.
 */

/** Names of the schemes in the default registry (`SCHEMES` in `index.ts`). */
export type SchemeName = 'dpkg' | 'rpm' | 'apk' | 'pep440' | 'maven' | 'semver' | 'gomod' | 'crates' | 'gem' | 'composer' | 'nuget';

/** Sign of a comparison. Every `compare` in this folder returns exactly one of these. */
export type Ordering = -1 | 0 | 1;

/** Outcome of parsing: the version, or a reason naming the problem (prefixed with the scheme name). */
export type ParseResult<V> = { readonly ok: true; readonly version: V } | { readonly ok: false; readonly reason: string };

/**
 * A version scheme: how one ecosystem spells and orders versions.
 *
 * @example
 * ```ts
 * const a = dpkg.parse('1:2.30-1'), b = dpkg.parse('2.31-1');
 * if (a.ok && b.ok) dpkg.compare(a.version, b.version); // 1
 * ```
 */
export interface VersionScheme<V> {
  /** Registry name; stable. */
  readonly name: SchemeName;
  /** Parses `text`. Never throws. */
  parse(text: string): ParseResult<V>;
  /** Orders two parsed versions. Never throws; returns -1, 0 or 1. */
  compare(a: V, b: V): Ordering;
  /**
   * Parses and orders two strings in one step, possibly without allocating.
   * `undefined` when either side does not parse.
   */
  compareStrings?(a: string, b: string): Ordering | undefined;
  /**
   * claircore's normalized form, for database range pre-filtering, where the
   * scheme has one (`pep440`, `semver`, `gomod`, `crates`). `undefined` when the
   * version cannot be represented (e.g. a number beyond int32).
   *
   * The mapping is lossy and, where claircore's is, imperfect: for `semver`,
   * `gomod` and `crates`, and for `pep440` versions without a dev segment,
   * `a < b` implies `normalize(a) <= normalize(b)`. claircore's pep440
   * encoding of `.devN` is not order-preserving (see README.md); it is
   * reproduced as is because the text form is part of Clair's API output.
   */
  normalize?(v: V): NormalizedVersion | undefined;
  /** A canonical string for the version, where the scheme defines one. */
  format?(v: V): string;
}

/** Creates a successful parse result. */
export function parsed<V>(version: V): ParseResult<V> {
  return { ok: true, version };
}

/** Creates a failed parse result. */
export function invalid<V = never>(reason: string): ParseResult<V> {
  return { ok: false, reason };
}

/** Clamps any number to its sign, as an {@link Ordering}. */
export function sign(n: number): Ordering {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Smallest and largest int32, the range of every normalized component. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/**
 * claircore's `Version`: a scheme kind and exactly ten int32s, compared
 * kind-first (as strings) then element by element. Text form `kind:v0.v1…v9`.
 */
export interface NormalizedVersion {
  readonly kind: string;
  /** Exactly ten int32 values. */
  readonly v: readonly number[];
}

/** A half-open normalized range `[lower, upper)` (claircore `Range`). */
export interface NormalizedRange {
  readonly lower: NormalizedVersion;
  readonly upper: NormalizedVersion;
}

/** The kind claircore uses for records that must never match (e.g. Go `(devel)`). */
export const UNMATCHABLE_KIND = 'unmatchable';

/**
 * Builds a normalized version, padding `values` with zeros to ten entries.
 * `undefined` if a value is not an int32 or there are more than ten.
 */
export function normalizedVersion(kind: string, values: readonly number[]): NormalizedVersion | undefined {
  if (values.length > 10) return undefined;
  const v: number[] = [];
  for (let i = 0; i < 10; i++) {
    const n = values[i] ?? 0;
    if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) return undefined;
    v.push(n);
  }
  return { kind, v };
}

/** Formats as claircore's `MarshalText`: `kind:v0.v1.v2.v3.v4.v5.v6.v7.v8.v9`; empty kind gives `''`. */
export function formatNormalized(n: NormalizedVersion): string {
  if (n.kind === '') return '';
  return `${n.kind}:${n.v.join('.')}`;
}

/** Parses the text form produced by {@link formatNormalized}. */
export function parseNormalized(text: string): ParseResult<NormalizedVersion> {
  const colon = text.indexOf(':');
  if (colon < 0) return invalid(`normalized: "${text}" has no kind separator ":"`);
  const kind = text.slice(0, colon);
  const parts = text.slice(colon + 1).split('.');
  if (parts.length !== 10) return invalid(`normalized: "${text}" must have exactly 10 components, has ${parts.length}`);
  const values: number[] = [];
  for (const p of parts) {
    if (!/^-?[0-9]+$/.test(p)) return invalid(`normalized: component "${p}" is not an integer`);
    values.push(Number(p));
  }
  const n = normalizedVersion(kind, values);
  return n ? parsed(n) : invalid(`normalized: a component of "${text}" is outside int32`);
}

/** claircore `Version.Compare`: kinds compared as strings first, then the ten values in order. */
export function compareNormalized(a: NormalizedVersion, b: NormalizedVersion): Ordering {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  for (let i = 0; i < 10; i++) {
    const x = a.v[i] ?? 0;
    const y = b.v[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** claircore `Range.Contains`: `lower <= v < upper`. */
export function normalizedRangeContains(r: NormalizedRange, v: NormalizedVersion): boolean {
  return compareNormalized(r.lower, v) !== 1 && compareNormalized(r.upper, v) === 1;
}

/**
 * `compareStrings` for a scheme with no faster path: parses both sides and
 * compares; `undefined` when either does not parse.
 */
export function parsedComparer<V>(parse: (text: string) => ParseResult<V>, compare: (a: V, b: V) => Ordering): (a: string, b: string) => Ordering | undefined {
  return (a, b) => {
    const x = parse(a);
    if (!x.ok) return undefined;
    const y = parse(b);
    if (!y.ok) return undefined;
    return compare(x.version, y.version);
  };
}
