/**
 * @module RHEL matcher (claircore `rhel` matcher): rpm packages in layers
 * with Red Hat CPE repositories (content sets), against Red Hat's VEX data.
 * The lookup is by package (and module) and repository key; a candidate then
 * applies only if the record's repository CPE falls within the vulnerability's
 * CPE (NISTIR 7696 superset), and the rpm version rule holds.
 */
import type { IndexRecord, Matcher } from '../../matcher/matcher.js';
import { rpmRule } from '../../matcher/rules.js';
import type { Vulnerability } from '../../model/index.js';
import { unbindCpe } from '../../model/cpe.js';
import { cpeIsSuperset, repositoryCpeCovers } from './cpe-match.js';
import { RHEL_CPE_REPOSITORY_KEY } from '../../model/releases.js';

export const RHEL_MATCHER_NAME = 'rhel'; // persisted; never rename

/**
 * True when the vulnerability's CPE is a superset of the record's (NISTIR
 * 7696, claircore `cpe.Compare(…).IsSuperset()`); false when either does not
 * parse.
 */
export function cpeCovers(vulnCpe: string, recordCpe: string): boolean {
  const v = unbindCpe(vulnCpe);
  const r = unbindCpe(recordCpe);
  if (!v || !r) return false;
  return cpeIsSuperset(v, r);
}

function rhelVulnerable(record: IndexRecord, vuln: Vulnerability): boolean {
  const vulnCpe = vuln.repository?.name ?? '';
  const recordCpe = record.repository?.cpe || record.repository?.name || '';
  if (vulnCpe !== '' && recordCpe !== '' && !repositoryCpeCovers(vulnCpe, recordCpe)) return false;
  return rpmRule(record, vuln);
}

/** `ignoreUnpatched` (config `matchers.config.rhel.ignore_unpatched`) skips records without a fix. */
export function rhelMatcher(options: { ignoreUnpatched?: boolean } = {}): Matcher {
  return {
    name: RHEL_MATCHER_NAME,
    filter: (r) => r.repository?.key === RHEL_CPE_REPOSITORY_KEY,
    query: () => (options.ignoreUnpatched ? ['PackageModule', 'RepositoryKey', 'HasFixedInVersion'] : ['PackageModule', 'RepositoryKey']),
    vulnerable: rhelVulnerable,
  };
}

export const RHEL_DISTRIBUTION_MATCHER_NAME = 'rhel-distribution'; // persisted; never rename

/** True when a vulnerability's Red Hat CPE names the distribution's RHEL major release. */
export function cpeNamesRelease(vulnCpe: string, distributionCpe: string): boolean {
  const v = unbindCpe(vulnCpe);
  const d = unbindCpe(distributionCpe);
  if (!v || !d) return false;
  const value = (x: (typeof v)[keyof typeof v]) => (x.kind === 'value' ? x.wfn : undefined);
  const major = (s: string | undefined) => s?.split(/[._]/)[0];
  return (
    value(v.vendor) === 'redhat' &&
    value(v.product) === value(d.product) &&
    major(value(v.version)) !== undefined &&
    major(value(v.version)) === major(value(d.version))
  );
}

/**
 * Red Hat data for RHEL-family layers without content sets: CentOS, Rocky
 * Linux and AlmaLinux (reported as the RHEL release of the same major
 * version) and RHEL images built without content manifests. Peers match these
 * against Red Hat's advisories; upstream Clair reports nothing for them. The
 * lookup is by package name; a candidate applies when it is Red Hat CPE data
 * naming the same major release, and the rpm rule holds.
 */
export const rhelDistributionMatcher: Matcher = {
  name: RHEL_DISTRIBUTION_MATCHER_NAME,
  filter: (r) => r.distribution?.did === 'rhel' && r.distribution.cpe !== '' && r.repository?.key !== RHEL_CPE_REPOSITORY_KEY,
  query: () => ['PackageModule'],
  vulnerable: (record, vuln) =>
    vuln.repository?.key === RHEL_CPE_REPOSITORY_KEY &&
    cpeNamesRelease(vuln.repository.name ?? '', record.distribution?.cpe ?? '') &&
    rpmRule(record, vuln),
};
