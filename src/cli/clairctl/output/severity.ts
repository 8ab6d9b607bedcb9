/**
 * @module Severities and fixed versions as the output formats read them.
 * Severities are ranked in the model's `SEVERITIES` order (Unknown lowest,
 * Critical highest); a severity outside that list counts as Unknown rather
 * than hiding the vulnerability.
 *
 * `fixed_in_version` is usually a plain version, but OSV's ECOSYSTEM ranges
 * arrive as a query string (`introduced=1.0&fixed=1.2`, or
 * `lastAffected=1.5` when nothing fixes it); {@link fixedVersion} reads the
 * fix out of that form so "fixed in" and `--ignore-unfixed` mean what they say.
 */
import { SEVERITIES, type NormalizedSeverity, type Vulnerability } from '../../../model/vulnerability.js';
import { clairError } from '../../../lib/errors.js';

const RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));

/** 0 for Unknown up to 5 for Critical; anything unrecognised ranks as Unknown. */
export function severityRank(severity: string): number {
  return RANK.get(severity) ?? 0;
}

/** The severity as one of the model's names; anything unrecognised is Unknown. */
export function normalizedSeverity(severity: string): NormalizedSeverity {
  return RANK.has(severity) ? (severity as NormalizedSeverity) : 'Unknown';
}

/** Parses a severity given on the command line, in any case (`high`, `HIGH`, `High`). */
export function parseSeverity(value: string): NormalizedSeverity {
  const found = SEVERITIES.find((s) => s.toLowerCase() === value.trim().toLowerCase());
  if (found === undefined) {
    throw clairError('CLI_USAGE', `unknown severity "${value}": use one of ${SEVERITIES.join(', ')}`);
  }
  return found;
}

/** The keys OSV range query strings use. */
const RANGE_KEYS = ['introduced', 'fixed', 'lastAffected'];

/** The version that fixes the vulnerability, or `''` when none is known. */
export function fixedVersion(vulnerability: Pick<Vulnerability, 'fixed_in_version'>): string {
  const raw = typeof vulnerability.fixed_in_version === 'string' ? vulnerability.fixed_in_version.trim() : '';
  if (!raw.includes('=')) return raw;
  const query = new URLSearchParams(raw);
  if (![...query.keys()].some((k) => RANGE_KEYS.includes(k))) return raw;
  return query.get('fixed') ?? '';
}

/** Highest first, then by name: the order every listing uses. */
export function bySeverityThenName(a: { severity: string; name: string }, b: { severity: string; name: string }): number {
  return severityRank(b.severity) - severityRank(a.severity) || compareText(a.name, b.name);
}

/** A locale-independent string order, so output is the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
