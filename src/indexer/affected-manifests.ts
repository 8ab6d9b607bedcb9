/**
 * @module AffectedManifests (the notifier's reverse lookup): for each
 * vulnerability and each matcher whose constraints the vulnerability can
 * satisfy, find candidate index records in stored manifests, then keep those
 * the matcher's `filter` and `vulnerable` accept.
 */
import type { Queryable } from '../store/database.js';
import { candidateRecords, type CandidateColumn } from '../store/indexer/affected.js';
import type { AffectedManifests, Vulnerability } from '../model/index.js';
import type { MatchConstraint, Matcher } from '../matcher/matcher.js';
import { mapLimit } from '../lib/concurrency.js';

const COLUMNS: Record<Exclude<MatchConstraint, 'HasFixedInVersion'>, [CandidateColumn, (v: Vulnerability) => string | undefined]> = {
  PackageModule: ['p.module', (v) => v.package?.module ?? ''],
  DistributionDID: ['d.did', (v) => v.distribution?.did],
  DistributionName: ['d.name', (v) => v.distribution?.name],
  DistributionVersion: ['d.version', (v) => v.distribution?.version],
  DistributionVersionCodeName: ['d.version_code_name', (v) => v.distribution?.version_code_name],
  DistributionVersionID: ['d.version_id', (v) => v.distribution?.version_id],
  DistributionArch: ['d.arch', (v) => v.distribution?.arch],
  DistributionCPE: ['d.cpe', (v) => v.distribution?.cpe],
  DistributionPrettyName: ['d.pretty_name', (v) => v.distribution?.pretty_name],
  RepositoryName: ['r.name', (v) => v.repository?.name],
  RepositoryKey: ['r.key', (v) => v.repository?.key],
};

/** Lookups run at once, as upstream's affected-manifest concurrency. */
const CONCURRENCY = 20;

async function affectedBy(q: Queryable, vuln: Vulnerability, matchers: readonly Matcher[]): Promise<Set<string>> {
  const name = vuln.package?.name;
  const digests = new Set<string>();
  if (!name) return digests;
  for (const matcher of matchers) {
    const equal: Partial<Record<CandidateColumn, string>> = {};
    let applicable = true;
    for (const c of matcher.query()) {
      if (c === 'HasFixedInVersion') {
        if (vuln.fixed_in_version === '') applicable = false;
        continue;
      }
      const [column, read] = COLUMNS[c];
      const value = read(vuln);
      // An empty value means the vulnerability is not of this matcher's kind.
      if (value === undefined || (value === '' && c !== 'PackageModule')) {
        applicable = false;
        break;
      }
      equal[column] = value;
    }
    if (!applicable) continue;
    for (const record of await candidateRecords(q, name, equal)) {
      if (digests.has(record.manifest)) continue;
      if (matcher.filter(record) && matcher.vulnerable(record, vuln)) digests.add(record.manifest);
    }
  }
  return digests;
}

export async function affectedManifests(q: Queryable, vulnerabilities: readonly Vulnerability[], matchers: readonly Matcher[]): Promise<AffectedManifests> {
  const result: AffectedManifests = { vulnerabilities: {}, vulnerable_manifests: {} };
  const found = await mapLimit(vulnerabilities, CONCURRENCY, (v) => affectedBy(q, v, matchers));
  vulnerabilities.forEach((vuln, i) => {
    if (found[i]!.size === 0) return;
    result.vulnerabilities[vuln.id] = vuln;
    for (const digest of found[i]!) (result.vulnerable_manifests[digest] ??= []).push(vuln.id);
  });
  return result;
}
