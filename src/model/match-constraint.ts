/**
 * @module Match constraints (claircore `driver.MatchConstraint`): the fields
 * a vulnerability and an index record must agree on for a matcher to
 * consider the pair. Each names the record field and the vulnerability
 * field it compares, so the matcher's lookups (record → vulnerabilities) and
 * the notifier's reverse lookups (vulnerability → records) read the same
 * fields. Pure: no I/O.
 */
import type { Distribution, Package, Repository } from './package.js';
import type { Vulnerability } from './vulnerability.js';

/** One package in one environment, with its distribution and repository. */
export interface IndexRecord {
  package: Package;
  distribution?: Distribution | undefined;
  repository?: Repository | undefined;
}

/** Lookup constraints, ANDed. */
export type MatchConstraint =
  | 'PackageModule'
  | 'DistributionDID'
  | 'DistributionName'
  | 'DistributionVersion'
  | 'DistributionVersionCodeName'
  | 'DistributionVersionID'
  | 'DistributionArch'
  | 'DistributionCPE'
  | 'DistributionPrettyName'
  | 'RepositoryName'
  | 'RepositoryKey'
  | 'HasFixedInVersion';

/** The constraints that compare one field; `HasFixedInVersion` is a condition on the vulnerability alone. */
export type FieldConstraint = Exclude<MatchConstraint, 'HasFixedInVersion'>;

/** The field a field constraint compares: on a record (absent when the record lacks it) and on a vulnerability. */
export const CONSTRAINT_FIELDS: Readonly<Record<FieldConstraint, { record: (r: IndexRecord) => string | undefined; vulnerability: (v: Vulnerability) => string }>> = {
  PackageModule: { record: (r) => r.package.module ?? '', vulnerability: (v) => v.package.module ?? '' },
  DistributionDID: { record: (r) => r.distribution?.did, vulnerability: (v) => v.distribution.did },
  DistributionName: { record: (r) => r.distribution?.name, vulnerability: (v) => v.distribution.name },
  DistributionVersion: { record: (r) => r.distribution?.version, vulnerability: (v) => v.distribution.version },
  DistributionVersionCodeName: { record: (r) => r.distribution?.version_code_name, vulnerability: (v) => v.distribution.version_code_name },
  DistributionVersionID: { record: (r) => r.distribution?.version_id, vulnerability: (v) => v.distribution.version_id },
  DistributionArch: { record: (r) => r.distribution?.arch, vulnerability: (v) => v.distribution.arch },
  DistributionCPE: { record: (r) => r.distribution?.cpe, vulnerability: (v) => v.distribution.cpe },
  DistributionPrettyName: { record: (r) => r.distribution?.pretty_name, vulnerability: (v) => v.distribution.pretty_name },
  RepositoryName: { record: (r) => r.repository?.name, vulnerability: (v) => v.repository.name ?? '' },
  RepositoryKey: { record: (r) => r.repository?.key, vulnerability: (v) => v.repository.key ?? '' },
};
