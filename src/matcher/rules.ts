/**
 * @module The `vulnerable` rules matchers share, as claircore's matchers
 * implement them. A version that does not parse never counts as vulnerable
 * (the record cannot be compared), so a bad version can never throw in the
 * matching loop.
 */
import type { Vulnerability } from '../model/index.js';
import { compareVersions } from '../versions/index.js';
import type { SchemeName } from '../versions/scheme.js';
import { archMatches, type IndexRecord } from './matcher.js';

/**
 * The installed version to compare with a record's fix. Source-package
 * records (Debian, Alpine) carry fixes in the source package's versions, which
 * can differ from a binary's: an epoch only the binary has (`bsdutils
 * 1:2.38.1-5+b1` from `util-linux 2.38.1-5`) or a binNMU suffix. Upstream
 * compares the binary version and gets those wrong; the source version is
 * the right one when the match came through the source package.
 */
export function installedVersion(record: IndexRecord, vuln: Vulnerability): string {
  const source = record.package.source;
  if (vuln.package?.kind === 'source' && source?.version && source.name === vuln.package.name) return source.version;
  return record.package.version;
}

/**
 * Distribution rule (Debian, Alpine, Ubuntu): no fix means vulnerable; the
 * fixed version `0` means "never affected" unless `zeroMeansUnfixed`
 * (Ubuntu); otherwise vulnerable while the installed version is older.
 */
export function fixedVersionRule(scheme: SchemeName, options: { zeroMeansUnfixed?: boolean } = {}) {
  return (record: IndexRecord, vuln: Vulnerability): boolean => {
    const fixed = vuln.fixed_in_version;
    if (fixed === '') return true;
    if (fixed === '0') return options.zeroMeansUnfixed === true;
    return compareVersions(scheme, installedVersion(record, vuln), fixed) === -1;
  };
}

/** The "unfixed" sentinel upstream compares against: vulnerable whatever the installed version. */
const UNFIXED = '65535:65535-65535';

/**
 * rpm rule (claircore `internal/rpm`): with a fix, vulnerable while older
 * than it; without one, vulnerable up to the vulnerable package's version if
 * the record names one, else always; and the arch operation must match.
 */
export function rpmRule(record: IndexRecord, vuln: Vulnerability): boolean {
  if (!archMatches(vuln.arch_op, vuln.package?.arch, record.package.arch)) return false;
  const installed = record.package.version;
  if (vuln.fixed_in_version !== '') return compareVersions('rpm', installed, vuln.fixed_in_version) === -1;
  const last = vuln.package?.version ?? '';
  if (last !== '') {
    const order = compareVersions('rpm', installed, last);
    return order === -1 || order === 0;
  }
  return compareVersions('rpm', installed, UNFIXED) !== 1;
}
