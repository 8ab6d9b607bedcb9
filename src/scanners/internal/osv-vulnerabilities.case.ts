/**
 * @module Test support for language matchers: an OSV advisory run through
 * the OSV updater's record mapping, then shaped as the matcher store hands
 * vulnerabilities back (ids, normalized range as text), so a matcher test
 * starts from what OSV publishes rather than from hand-made vulnerabilities.
 */
import type { IndexRecord } from '../../matcher/matcher.js';
import type { Repository, Vulnerability } from '../../model/index.js';
import type { ScannedPackage, ScannedRepository } from '../../model/scanned.js';
import { NO_DISTRIBUTION } from '../../test-support/vulnerabilities.js';
import { osvRecords } from '../../updaters/osv/records.js';
import { formatNormalized } from '../../versions/scheme.js';

/** The vulnerabilities one OSV advisory gives for `ecosystem`, as the store returns them. */
export function osvVulnerabilities(advisory: object, ecosystem: string): Vulnerability[] {
  return [...osvRecords(advisory as Record<string, unknown>, ecosystem, new Date('2025-01-01T00:00:00Z'))].map((r, i) => ({
    id: String(i + 1),
    updater: r.updater,
    name: r.name,
    description: r.description,
    issued: r.issued?.toISOString() ?? '',
    links: r.links,
    severity: r.severity,
    normalized_severity: r.normalizedSeverity,
    package: { id: '', name: r.package.name, version: '', kind: 'binary', normalized_version: '', cpe: '' },
    distribution: NO_DISTRIBUTION,
    repository: { name: r.repository?.name ?? '', key: r.repository?.key ?? '', uri: r.repository?.uri ?? '', cpe: '' },
    fixed_in_version: r.fixedInVersion,
    ...(r.range === undefined
      ? {}
      : { range: { '[': formatNormalized({ kind: r.range.kind, v: r.range.lower }), ')': formatNormalized({ kind: r.range.kind, v: r.range.upper }) } }),
  }));
}

/** The index record of a scanned package in its scanner's repository, as the controller builds it. */
export function indexRecord(p: ScannedPackage, repository: ScannedRepository | undefined): IndexRecord {
  const repo: Repository | undefined = repository === undefined ? undefined : { id: '1', ...repository };
  return {
    package: {
      id: '1',
      name: p.name,
      version: p.version,
      kind: p.kind,
      normalized_version: p.normalizedVersion === undefined ? '' : formatNormalized(p.normalizedVersion),
      cpe: p.cpe,
    },
    repository: repo,
  };
}
