/**
 * @module The rhel-container matcher (claircore `rhel/rhcc` matcher): Red
 * Hat container images, which the rhcc scanner reports as packages named by
 * their registry repositories (`ubi9/ubi-minimal`) at their tag
 * (`9.3-1361`), against the container-image records of Red Hat's VEX data
 * (`pkg:oci` products).
 *
 * - Filter: records in a repository with the key
 *   {@link RHCC_REPOSITORY_KEY} (the gold repository, or a container CPE).
 * - Query: the repository key, with the package name and kind, plus a
 *   database version filter on the rhctag normalized version that is not
 *   authoritative: it keeps the records whose range holds the image's minor
 *   stream (a fix in 4.14 says nothing about 4.15), and {@link
 *   rhccVulnerable} still decides.
 * - Vulnerable: see {@link rhccVulnerable}.
 */
import type { IndexRecord, Matcher } from '../../matcher/matcher.js';
import type { Vulnerability } from '../../model/index.js';
import { compareRpmver, parseRpmver } from '../../versions/rpm/index.js';
import { RHCC_GOLD_REPOSITORY } from './container-scanner.js';
import { repositoryCpeCovers } from './cpe-match.js';
import { RHCC_REPOSITORY_KEY } from '../../model/releases.js';

/** Persisted and selectable by `matchers.names`; never rename. */
export const RHCC_MATCHER_NAME = 'rhel-container-matcher';

/**
 * claircore's `ensureEVR`: `-0` appended to a version without a release, so
 * that image timestamps (`1744596866`) and bare tags (`9.3`) read as rpm
 * `version-release`; tags with a release (`v3.5.7-8`) are unchanged.
 */
export function ensureEvr(version: string): string {
  return version.includes('-') ? version : `${version}-0`;
}

/**
 * The kind claircore gives VEX "known not affected" image records (its
 * `Invert`): they cover the whole image, so a name match is enough.
 */
const NOT_AFFECTED_KIND = 'ancestry';

/**
 * Whether `vuln` affects the image `record`, as claircore's rhcc
 * `Vulnerable`:
 *
 * 1. Unless the record is in the gold repository, the vulnerability's
 *    repository CPE must cover the record's (superset, or Red Hat's prefix
 *    rule); an unparsable vulnerability CPE covers nothing.
 * 2. A "not affected" statement applies by name alone.
 * 3. An image without a version is not vulnerable (claircore reports an
 *    error, which would fail the whole report; here nothing throws).
 * 4. No fixed version: vulnerable.
 * 5. Otherwise vulnerable when the tag sorts before the fixed tag as an rpm
 *    `[name-][epoch:]version-release`, after {@link ensureEvr}.
 */
export function rhccVulnerable(record: IndexRecord, vuln: Vulnerability): boolean {
  if (record.repository?.name !== RHCC_GOLD_REPOSITORY.name) {
    const recordCpe = record.repository?.cpe || record.repository?.name || '';
    if (!repositoryCpeCovers(vuln.repository?.name ?? '', recordCpe)) return false;
  }
  if (vuln.package?.kind === NOT_AFFECTED_KIND) return true;
  const version = record.package.version;
  if (version === '') return false;
  if (vuln.fixed_in_version === '') return true;
  // ensureEvr leaves a `-` in both, so neither parse can fail.
  const installed = parseRpmver(ensureEvr(version));
  const fixed = parseRpmver(ensureEvr(vuln.fixed_in_version));
  if (!installed.ok || !fixed.ok) return false;
  return compareRpmver(installed.version, fixed.version) < 0;
}

/** The rhel-container matcher. */
export const rhccMatcher = {
  name: RHCC_MATCHER_NAME,
  filter: (record: IndexRecord) => record.repository?.key === RHCC_REPOSITORY_KEY,
  query: () => ['RepositoryKey'] as const,
  vulnerable: rhccVulnerable,
  versionFilter: { authoritative: false },
} as const satisfies Matcher;
