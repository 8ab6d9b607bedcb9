/**
 * @module ALAS advisories → records, as claircore's `aws/updater.go`: one
 * record per (advisory, package), named by the advisory id, matched by
 * binary package name and arch (`equals`), fixed in `[epoch:]version-release`.
 */
import type { NormalizedSeverity } from '../../model/vulnerability.js';
import type { VulnerabilityRecord, VulnerableDistribution } from '../../model/vulnerability-record.js';
import { clairError } from '../../lib/errors.js';
import type { Update, UpdatePackage } from './updateinfo.js';

/** claircore's `aws.NormalizeSeverity` (ALAS uses "important" where others say "high"). */
export function normalizeAwsSeverity(severity: string): NormalizedSeverity {
  switch (severity.toLowerCase()) {
    case 'low':
      return 'Low';
    case 'medium':
      return 'Medium';
    case 'important':
      return 'High';
    case 'critical':
      return 'Critical';
    default:
      return 'Unknown';
  }
}

/** `[E:]V-R`, the epoch omitted when empty or 0 (claircore `versionString`). */
export function fixedVersion(p: UpdatePackage): string {
  const epoch = p.epoch !== '' && p.epoch !== '0' ? `${p.epoch}:` : '';
  return `${epoch}${p.version}-${p.release}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The `<issued date>` as UTC, accepting claircore's two layouts
 * (`2006-01-02 15:04`, `2006-01-02 15:04:05`); undefined when absent.
 * An unparsable date fails the parse, as in claircore.
 */
export function parseIssued(text: string | undefined, component: string, id: string): Date | undefined {
  if (text === undefined || text === '') return undefined;
  const m = DATE.exec(text.trim());
  if (!m) throw clairError('UPDATER_PARSE', `${component}: advisory ${id}: unparsable issued date ${JSON.stringify(text)}`);
  const n = (i: number): number => Number(m[i] ?? 0);
  return new Date(Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6)));
}

/** The records of one advisory. */
export function updateRecords(update: Update, updater: string, dist: VulnerableDistribution): VulnerabilityRecord[] {
  const issued = parseIssued(update.issued, updater, update.id);
  const links = update.references.map((r) => r.href).filter((href) => href !== '').join(' ');
  return update.packages.map((p) => ({
    updater,
    name: update.id,
    description: update.description,
    ...(issued ? { issued } : {}),
    links,
    severity: update.severity,
    normalizedSeverity: normalizeAwsSeverity(update.severity),
    package: { name: p.name, version: '', module: '', arch: p.arch, kind: 'binary' as const },
    distribution: { ...dist },
    fixedInVersion: fixedVersion(p),
    archOp: 'equals' as const,
  }));
}
