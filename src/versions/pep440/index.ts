/**
 * @module PEP 440 (Python) versions and specifiers.
 *
 * Ordering follows pypa/packaging (local versions included, as PEP 440
 * orders them). `normalize` is claircore's `pep440` normalized version, which
 * drops the local part and is coarser than the real order.
 */
import type { Ordering, ParseResult, VersionScheme } from '../scheme.js';
import { compareVersion, formatVersion, normalizeVersion, parseVersion, type Pep440Version } from './version.js';

export * from './version.js';
export * from './specifier.js';

/** Parses both strings and compares them; `undefined` if either does not parse. */
export function compareStrings(a: string, b: string): Ordering | undefined {
  const x = parseVersion(a);
  if (!x.ok) return undefined;
  const y = parseVersion(b);
  if (!y.ok) return undefined;
  return compareVersion(x.version, y.version);
}

/** The pep440 scheme. */
export const pep440 = {
  name: 'pep440',
  parse: (text: string): ParseResult<Pep440Version> => parseVersion(text),
  compare: compareVersion,
  compareStrings,
  normalize: normalizeVersion,
  format: formatVersion,
} as const satisfies VersionScheme<Pep440Version>;
