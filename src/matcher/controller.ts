/**
 * @module Matching an index report (claircore `internal/matcher`): expand it
 * into index records, let each matcher pick its records, run one batched
 * lookup per matcher, confirm candidates with the matcher's `vulnerable`,
 * assemble the VulnerabilityReport, then let the enrichers fill its
 * `enrichments` (claircore `EnrichedMatch`).
 */
import type { Logger } from 'pino';
import type { IndexReport, Vulnerability, VulnerabilityReport } from '../model/index.js';
import type { MatchColumn, MatcherStore, VulnerabilityQuery } from '../store/matcher-store.js';
import type { IndexRecord, Matcher } from './matcher.js';
import { CONSTRAINT_FIELDS, type FieldConstraint } from '../model/match-constraint.js';
import { parseNormalized } from '../versions/scheme.js';
import { runEnrichers, type Enricher } from './enricher.js';

/** Every (package, environment, repository) record of a report. */
export function indexRecords(report: IndexReport): IndexRecord[] {
  const records: IndexRecord[] = [];
  for (const [id, envs] of Object.entries(report.environments)) {
    const pkg = report.packages[id];
    if (!pkg) continue;
    for (const env of envs) {
      const distribution = env.distribution_id ? report.distributions[env.distribution_id] : undefined;
      const repos = env.repository_ids?.length ? env.repository_ids.map((r) => report.repository[r]) : [undefined];
      for (const repository of repos) records.push({ package: pkg, distribution, repository });
    }
  }
  return records;
}

/** The store column each field constraint compares. */
const COLUMN_OF: Record<FieldConstraint, MatchColumn> = {
  PackageModule: 'package_module',
  DistributionDID: 'dist_id',
  DistributionName: 'dist_name',
  DistributionVersion: 'dist_version',
  DistributionVersionCodeName: 'dist_version_code_name',
  DistributionVersionID: 'dist_version_id',
  DistributionArch: 'dist_arch',
  DistributionCPE: 'dist_cpe',
  DistributionPrettyName: 'dist_pretty_name',
  RepositoryName: 'repo_name',
  RepositoryKey: 'repo_key',
};

export function buildQuery(matcher: Matcher, record: IndexRecord): VulnerabilityQuery | undefined {
  const names = [{ name: record.package.name, kind: record.package.kind ?? 'binary' }];
  if (record.package.source?.name) names.push({ name: record.package.source.name, kind: record.package.source.kind ?? 'source' });
  const query: VulnerabilityQuery = { names, constraints: {} };
  for (const c of matcher.query()) {
    if (c === 'HasFixedInVersion') {
      query.hasFixedInVersion = true;
      continue;
    }
    const value = CONSTRAINT_FIELDS[c].record(record);
    if (value === undefined) return undefined; // the record lacks what the matcher must constrain on
    query.constraints[COLUMN_OF[c]] = value;
  }
  if (matcher.versionFilter) {
    const parsed = record.package.normalized_version ? parseNormalized(record.package.normalized_version) : undefined;
    if (!parsed?.ok) return undefined;
    query.versionIn = parsed.version;
  }
  return query;
}

/**
 * A vulnerability as a report shows it: without the normalized range, which
 * claircore's report lookups never read and Quay's client schema types as a
 * string, so an object there would make Quay reject the whole report.
 */
function reportVulnerability(vuln: Vulnerability): Vulnerability {
  if (vuln.range === undefined) return vuln;
  const { range: _range, ...rest } = vuln;
  return rest;
}

/** What a match runs besides the matchers. */
export interface MatchOptions {
  /** Fill `enrichments` (none: `{}`, as with `matcher.disable_enrichment`). */
  enrichers?: readonly Enricher[] | undefined;
  /** Where an enricher's failure is logged. */
  log?: Logger | undefined;
}

/** Runs every matcher over the report, then the enrichers, and returns the vulnerabilities by package id. */
export async function match(report: IndexReport, matchers: readonly Matcher[], store: MatcherStore, options: MatchOptions = {}): Promise<VulnerabilityReport> {
  const records = indexRecords(report).filter((r) => !r.package.normalized_version?.startsWith('unmatchable:'));
  const vulnerabilities: Record<string, Vulnerability> = {};
  const byPackage = new Map<string, Set<string>>();
  for (const matcher of matchers) {
    const mine = records.filter((r) => matcher.filter(r));
    const pairs = mine.map((r) => [r, buildQuery(matcher, r)] as const).filter((p): p is readonly [IndexRecord, VulnerabilityQuery] => p[1] !== undefined);
    if (pairs.length === 0) continue;
    const results = await store.query(pairs.map((p) => p[1]));
    pairs.forEach(([record, _], i) => {
      const applies = (vuln: Vulnerability) => matcher.versionFilter?.authoritative === true || matcher.vulnerable(record, vuln);
      // A vendor statement that this package is not affected (claircore's
      // Invert) cancels same-named findings for the record.
      const notAffected = new Set(results[i]!.filter((c) => c.notVulnerable && applies(c.vulnerability)).map((c) => c.vulnerability.name));
      for (const { vulnerability: vuln, notVulnerable } of results[i]!) {
        if (notVulnerable || notAffected.has(vuln.name) || !applies(vuln)) continue;
        vulnerabilities[vuln.id] = reportVulnerability(vuln);
        const set = byPackage.get(record.package.id) ?? new Set<string>();
        set.add(vuln.id);
        byPackage.set(record.package.id, set);
      }
    });
  }
  const packageVulnerabilities = Object.fromEntries(
    [...byPackage].sort(([a], [b]) => Number(a) - Number(b)).map(([id, set]) => [id, [...set].sort((a, b) => Number(a) - Number(b))]),
  );
  const result: VulnerabilityReport = {
    manifest_hash: report.manifest_hash,
    packages: report.packages,
    distributions: report.distributions,
    repository: report.repository,
    environments: report.environments,
    vulnerabilities,
    package_vulnerabilities: packageVulnerabilities,
    enrichments: {},
  };
  const enrichers = options.enrichers ?? [];
  if (enrichers.length > 0 && Object.keys(vulnerabilities).length > 0) {
    result.enrichments = await runEnrichers(result, enrichers, store, options.log);
  }
  return result;
}
