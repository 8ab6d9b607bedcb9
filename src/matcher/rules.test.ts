import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixedVersionRule, rpmRule } from './rules.js';
import { archMatches, type IndexRecord } from './matcher.js';
import type { Vulnerability } from '../model/index.js';
import { cpeCovers, cpeNamesRelease, rhelDistributionMatcher, rhelMatcher } from '../scanners/rhel/matcher.js';
import { NO_DISTRIBUTION } from '../test-support/vulnerabilities.js';

const record = (version: string, arch = 'x86_64', extra: Partial<IndexRecord> = {}): IndexRecord => ({
  package: { id: '1', name: 'openssl-libs', version, kind: 'binary', normalized_version: '', arch, cpe: '' },
  ...extra,
});
const vuln = (fixed: string, extra: Partial<Vulnerability> = {}): Vulnerability => ({
  id: '1', updater: 'u', name: 'CVE-1', description: '', issued: '', links: '', severity: '', normalized_severity: 'Unknown',
  package: { id: '', name: 'openssl-libs', version: '', kind: 'binary', normalized_version: '', cpe: '' },
  distribution: NO_DISTRIBUTION,
  repository: { cpe: '' },
  fixed_in_version: fixed,
  ...extra,
});

describe('vulnerable rules', () => {
  it('Debian/Alpine: no fix is vulnerable, 0 never affected, else older than the fix', () => {
    const dpkg = fixedVersionRule('dpkg');
    assert.equal(dpkg(record('3.0.11-1~deb12u2'), vuln('3.0.13-1~deb12u1')), true);
    assert.equal(dpkg(record('3.0.13-1~deb12u1'), vuln('3.0.13-1~deb12u1')), false, 'fixed at the installed version');
    assert.equal(dpkg(record('3.0.14-1'), vuln('3.0.13-1~deb12u1')), false);
    assert.equal(dpkg(record('1.0'), vuln('')), true);
    assert.equal(dpkg(record('1.0'), vuln('0')), false);
    assert.equal(fixedVersionRule('dpkg', { zeroMeansUnfixed: true })(record('1.0'), vuln('0')), true, 'Ubuntu');
    assert.equal(fixedVersionRule('apk')(record('1.6-r0'), vuln('1.6_rc1-r0')), false, 'the apk rc case that fooled other scanners');
    assert.equal(dpkg(record('not a version!'), vuln('1.0')), false, 'an unparsable version never matches');
    const bsdutils = record('1:2.38.1-5+b1', 'amd64', {});
    bsdutils.package.source = { id: '2', name: 'util-linux', version: '2.38.1-5', kind: 'source', normalized_version: '', cpe: '' };
    const sourceVuln = vuln('2.38.1-5+deb12u1', { package: { id: '', name: 'util-linux', version: '', kind: 'source', normalized_version: '', cpe: '' } });
    assert.equal(dpkg(bsdutils, sourceVuln), true, 'a source fix is compared with the source version, not the epoch-bearing binary one');
    assert.equal(dpkg(bsdutils, { ...sourceVuln, fixed_in_version: '2.38.1-5' }), false);
  });

  it('rpm: fix, last affected version, unfixed, and arch operations', () => {
    assert.equal(rpmRule(record('1:3.0.7-24.el9'), vuln('1:3.0.7-25.el9')), true);
    assert.equal(rpmRule(record('1:3.0.7-25.el9'), vuln('1:3.0.7-25.el9')), false);
    assert.equal(rpmRule(record('3.0.7-24.el9'), vuln('1:3.0.7-1.el9')), true, 'epoch 0 is older than epoch 1');
    const lastAffected = vuln('', { package: { id: '', name: 'x', version: '2.0-1', kind: 'binary', normalized_version: '', cpe: '' } });
    assert.equal(rpmRule(record('2.0-1'), lastAffected), true);
    assert.equal(rpmRule(record('2.0-2'), lastAffected), false);
    assert.equal(rpmRule(record('99.0-1'), vuln('')), true, 'unfixed affects every version');
    const archVuln = (op: 'equals' | 'pattern match', arch: string) => vuln('2.0-1', { arch_op: op, package: { id: '', name: 'x', version: '', kind: 'binary', normalized_version: '', arch, cpe: '' } });
    assert.equal(rpmRule(record('1.0-1', 'x86_64'), archVuln('equals', 'aarch64')), false);
    assert.equal(rpmRule(record('1.0-1', 'x86_64'), archVuln('pattern match', 'aarch64|x86_64')), true);
    assert.equal(rpmRule(record('1.0-1', ''), archVuln('equals', 'x86_64')), false, 'a package without arch matches no arch-specific record');
  });

  it('arch operations', () => {
    assert.equal(archMatches('', 'x86_64', 'aarch64'), true);
    assert.equal(archMatches('not equals', 'x86_64', 'aarch64'), true);
    assert.equal(archMatches('pattern match', '(', 'x'), false, 'a bad pattern never matches');
  });

  it('RHEL: the record\'s repository CPE must fall within the vulnerability\'s', () => {
    assert.equal(cpeCovers('cpe:/o:redhat:enterprise_linux:9', 'cpe:2.3:o:redhat:enterprise_linux:9:*:baseos:*:*:*:*:*'), true);
    assert.equal(cpeCovers('cpe:/a:redhat:enterprise_linux:9::appstream', 'cpe:/o:redhat:enterprise_linux:9::baseos'), false);
    assert.equal(cpeCovers('cpe:/o:redhat:enterprise_linux:8', 'cpe:/o:redhat:enterprise_linux:9::baseos'), false);
    const m = rhelMatcher();
    const rec = record('1:3.0.7-24.el9', 'x86_64', { repository: { id: '1', name: 'cpe:/o:redhat:enterprise_linux:9::baseos', key: 'rhel-cpe-repository', cpe: 'cpe:2.3:o:redhat:enterprise_linux:9:*:baseos:*:*:*:*:*' } });
    assert.equal(m.filter(rec), true);
    assert.equal(m.vulnerable(rec, vuln('1:3.0.7-25.el9', { repository: { id: '', name: 'cpe:/o:redhat:enterprise_linux:9', key: 'rhel-cpe-repository', cpe: '' } })), true);
    assert.equal(m.vulnerable(rec, vuln('1:3.0.7-25.el9', { repository: { id: '', name: 'cpe:/o:redhat:enterprise_linux:8', key: 'rhel-cpe-repository', cpe: '' } })), false);
    assert.deepEqual(rhelMatcher({ ignoreUnpatched: true }).query(), ['PackageModule', 'RepositoryKey', 'HasFixedInVersion']);
  });

  it('Rocky, Alma and CentOS (RHEL distribution, no content sets) match Red Hat data for the same major release', () => {
    const rocky9 = { id: '1', did: 'rhel', name: 'Red Hat Enterprise Linux Server', version: '9', version_code_name: '', version_id: '9', arch: '', cpe: 'cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:*', pretty_name: 'Red Hat Enterprise Linux Server 9' };
    const rec = record('1:3.0.7-24.el9', 'x86_64', { distribution: rocky9 });
    const m = rhelDistributionMatcher;
    assert.equal(m.filter(rec), true);
    assert.equal(m.filter({ ...rec, repository: { id: '2', key: 'rhel-cpe-repository', name: 'cpe:/o:redhat:enterprise_linux:9::baseos', cpe: '' } }), false, 'records with content sets go to the rhel matcher');
    const redHat = (cpe: string, fixed: string) => vuln(fixed, { repository: { id: '', name: cpe, key: 'rhel-cpe-repository', cpe: '' } });
    assert.equal(m.vulnerable(rec, redHat('cpe:/o:redhat:enterprise_linux:9::baseos', '1:3.0.7-25.el9')), true);
    assert.equal(m.vulnerable(rec, redHat('cpe:/a:redhat:enterprise_linux:9::appstream', '1:3.0.7-25.el9')), true);
    assert.equal(m.vulnerable(rec, redHat('cpe:/o:redhat:enterprise_linux:8::baseos', '1:3.0.7-25.el9')), false, 'another major release');
    assert.equal(m.vulnerable(rec, redHat('cpe:/o:redhat:enterprise_linux:9::baseos', '1:3.0.7-20.el9')), false, 'already fixed');
    assert.equal(m.vulnerable(rec, vuln('1:3.0.7-25.el9')), false, 'not Red Hat data');
    assert.equal(cpeNamesRelease('cpe:/o:redhat:rhel_eus:9.2::baseos', rocky9.cpe), false, 'an EUS stream is another product');
  });
});
