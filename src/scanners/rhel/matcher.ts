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
import { CPE_ATTRIBUTES, unbindCpe } from '../osrelease/cpe.js';

export const RHEL_MATCHER_NAME = 'rhel'; // persisted; never rename
export const RHEL_CPE_REPOSITORY_KEY = 'rhel-cpe-repository';

/** True when every attribute the vulnerability's CPE names, the record's CPE names equally. */
export function cpeCovers(vulnCpe: string, recordCpe: string): boolean {
  const v = unbindCpe(vulnCpe);
  const r = unbindCpe(recordCpe);
  if (!v || !r) return false;
  return CPE_ATTRIBUTES.every((a) => {
    const want = v[a];
    if (want.kind === 'any') return true;
    const got = r[a];
    return got.kind === want.kind && (got.kind !== 'value' || want.kind !== 'value' || got.wfn === want.wfn);
  });
}

function rhelVulnerable(record: IndexRecord, vuln: Vulnerability): boolean {
  const vulnCpe = vuln.repository?.name ?? '';
  const recordCpe = record.repository?.cpe || record.repository?.name || '';
  if (vulnCpe !== '' && recordCpe !== '') {
    const trimmed = (s: string) => s.replace(/(:\*)+$/, '');
    if (!cpeCovers(vulnCpe, recordCpe) && !trimmed(recordCpe).startsWith(trimmed(vulnCpe))) return false;
  }
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
