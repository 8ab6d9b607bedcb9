import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cvss2BaseScore, cvss3BaseScore } from './cvss.js';
import { GHSA_CRATES, GHSA_NPM, GHSA_NUGET, GHSA_PACKAGIST, GO_VULN, INF, PYSEC, PYSEC_GIT_ONLY, PYSEC_NO_AFFECTED, PYSEC_WITHDRAWN, ZERO } from './fixtures.case.js';
import { ecosystemQuery, intervals, osvPackageName, osvRecords, osvRepository, osvSeverity, pep503, skipReason } from './records.js';

const recs = (a: object, eco: string) => [...osvRecords(a as Record<string, unknown>, eco)];

describe('osv records', () => {
  it('maps PyPI ECOSYSTEM ranges to query-string records, one per interval', () => {
    const links = 'https://example.com/advisory https://example.com/fix https://osv.dev/vulnerability/PYSEC-2099-1';
    const common = {
      updater: 'osv/pypi',
      name: 'PYSEC-2099-1',
      description: 'Foo bar is broken',
      issued: new Date('2021-01-02T03:04:05Z'),
      links,
      severity: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      normalizedSeverity: 'Critical',
      package: { name: 'foo-bar-baz', version: '', module: '', arch: '', kind: 'binary' },
      repository: { name: 'pypi', key: '', uri: 'https://pypi.org/simple' },
      archOp: '',
      self: { space: 'PYSEC', name: '2099-1' },
      aliases: [{ space: 'CVE', name: '2099-0001' }],
    };
    assert.deepEqual(recs(PYSEC, 'PyPI'), [
      { ...common, fixedInVersion: 'fixed=1.2.3' },
      { ...common, fixedInVersion: 'introduced=2.0&lastAffected=2.1' },
    ]);
  });

  it('maps npm SEMVER last_affected to upper = patch + 1, reads npm ECOSYSTEM ranges as semver, and skips other ecosystems', () => {
    const common = {
      updater: 'osv/npm',
      name: 'GHSA-aaaa-bbbb-cccc',
      description: 'Details only.',
      issued: new Date('2022-03-04T05:06:07Z'),
      links: 'https://nvd.nist.gov/vuln/detail/CVE-2099-0002 https://osv.dev/vulnerability/GHSA-aaaa-bbbb-cccc',
      severity: '',
      normalizedSeverity: 'Medium',
      package: { name: 'minimist', version: '', module: '', arch: '', kind: 'binary' },
      repository: { name: 'npm', key: '', uri: 'https://www.npmjs.com/' },
      archOp: '',
      self: { space: 'GHSA', name: 'aaaa-bbbb-cccc' },
    };
    assert.deepEqual(recs(GHSA_NPM, 'npm'), [
      { ...common, fixedInVersion: '', range: { kind: 'semver', lower: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0], upper: [0, 1, 2, 6, 0, 0, 0, 0, 0, 0] } },
      { ...common, fixedInVersion: '9.9.9', range: { kind: 'semver', lower: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], upper: [0, 9, 9, 9, 0, 0, 0, 0, 0, 0] } },
    ]);
  });

  it('maps Go SEMVER ranges: introduced 0 is all zeros, fixed is the upper bound, open-ended is infinite', () => {
    const common = {
      updater: 'osv/go',
      name: 'GO-2099-0001',
      description: 'Text panics',
      issued: new Date('2022-10-11T00:00:00Z'),
      links: 'https://osv.dev/vulnerability/GO-2099-0001',
      severity: '',
      normalizedSeverity: 'Unknown',
      package: { name: 'golang.org/x/text', version: '', module: '', arch: '', kind: 'binary' },
      repository: { name: 'go', key: '', uri: 'https://pkg.go.dev/' },
      archOp: '',
      self: { space: 'GO', name: '2099-0001' },
    };
    assert.deepEqual(recs(GO_VULN, 'Go'), [
      { ...common, fixedInVersion: '0.3.8', range: { kind: 'semver', lower: ZERO, upper: [0, 0, 3, 8, 0, 0, 0, 0, 0, 0] } },
      { ...common, fixedInVersion: '', range: { kind: 'semver', lower: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0], upper: INF } },
    ]);
  });

  it('maps Packagist ECOSYSTEM ranges to one query string per branch, lower-cased names, this bundle\'s packages only', () => {
    const symfony = recs(GHSA_PACKAGIST, 'Packagist');
    assert.deepEqual(
      symfony.map((r) => [r.updater, r.name, r.package.name, r.fixedInVersion, r.range, r.normalizedSeverity, r.repository]),
      [
        ['introduced=2.0.0&fixed=4.4.50', 'symfony/http-kernel'],
        ['introduced=5.0.0&fixed=5.4.20', 'symfony/http-kernel'],
        ['introduced=6.0.0&fixed=6.0.20', 'symfony/http-kernel'],
        ['introduced=6.1.0&fixed=6.1.12', 'symfony/http-kernel'],
        ['introduced=6.2.0&fixed=6.2.6', 'symfony/http-kernel'],
        ['introduced=6.2.0&fixed=6.2.6', 'symfony/symfony'],
      ].map(([fixed, name]) => ['osv/packagist', 'GHSA-h7vf-5wrv-9fhv', name, fixed, undefined, 'Medium', { name: 'packagist', key: '', uri: 'https://packagist.org/' }]),
    );
    assert.equal(symfony[0]!.links, 'https://nvd.nist.gov/vuln/detail/CVE-2022-24894 https://symfony.com/cve-2022-24894 https://osv.dev/vulnerability/GHSA-h7vf-5wrv-9fhv');
  });

  it('maps NuGet records exactly, with the package name lower-cased', () => {
    assert.deepEqual(recs(GHSA_NUGET, 'NuGet'), [
      {
        updater: 'osv/nuget',
        name: 'GHSA-5crp-9r3c-p9vr',
        description: 'Improper Handling of Exceptional Conditions in Newtonsoft.Json',
        issued: new Date('2022-06-22T15:08:47Z'),
        links: 'https://nvd.nist.gov/vuln/detail/CVE-2024-21907 https://github.com/JamesNK/Newtonsoft.Json https://osv.dev/vulnerability/GHSA-5crp-9r3c-p9vr',
        severity: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
        normalizedSeverity: 'High',
        package: { name: 'newtonsoft.json', version: '', module: '', arch: '', kind: 'binary' },
        repository: { name: 'nuget', key: '', uri: 'https://www.nuget.org/packages/' },
        fixedInVersion: 'fixed=13.0.1',
        archOp: '',
        self: { space: 'GHSA', name: '5crp-9r3c-p9vr' },
        aliases: [{ space: 'CVE', name: '2024-21907' }],
      },
    ]);
    assert.equal(osvPackageName('NuGet', 'System.Text.Json'), 'system.text.json');
    assert.equal(osvPackageName('Packagist', 'Symfony/Console'), 'symfony/console');
    assert.equal(osvPackageName('crates.io', 'Inflector'), 'Inflector');
    assert.deepEqual(osvRepository('crates.io'), { name: 'crates.io', key: '', uri: 'https://crates.io/' });
  });

  it('reads crates.io ECOSYSTEM ranges as semver ranges, like SEMVER ones', () => {
    assert.deepEqual(recs(GHSA_CRATES, 'crates.io').map((r) => [r.updater, r.package.name, r.fixedInVersion, r.range]), [
      ['osv/crates.io', 'h2', '0.4.4', { kind: 'semver', lower: [0, 0, 4, 0, 0, 0, 0, 0, 0, 0], upper: [0, 0, 4, 4, 0, 0, 0, 0, 0, 0] }],
    ]);
  });

  it('skips withdrawn, no-affected and GIT-only advisories', () => {
    assert.equal(skipReason(PYSEC_WITHDRAWN), 'withdrawn');
    assert.equal(skipReason(PYSEC_NO_AFFECTED), 'no affected entries');
    assert.equal(skipReason({ ...PYSEC_WITHDRAWN, withdrawn: '2999-01-01T00:00:00Z' }), undefined);
    assert.deepEqual(recs(PYSEC_WITHDRAWN, 'PyPI'), []);
    assert.deepEqual(recs(PYSEC_NO_AFFECTED, 'PyPI'), []);
    assert.deepEqual(recs(PYSEC_GIT_ONLY, 'PyPI'), []);
  });

  it('splits events into intervals and encodes query strings', () => {
    assert.deepEqual(intervals([{ introduced: '0' }, { fixed: '1' }, { introduced: '2' }, { limit: '*' }]), [{ introduced: '0', fixed: '1' }, { introduced: '2' }]);
    assert.deepEqual(intervals([{ fixed: '3' }]), [{ fixed: '3' }]);
    assert.equal(ecosystemQuery({ introduced: '0' }), '');
    assert.equal(ecosystemQuery({ introduced: '1.0 rc', fixed: '2+x' }), 'introduced=1.0+rc&fixed=2%2Bx');
    assert.equal(pep503('Django_REST.framework--x'), 'django-rest-framework-x');
  });

  it('rates severity from CVSS v3, v2, then database_specific', () => {
    assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 9.8);
    assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N'), 6.4);
    assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N'), 0);
    assert.equal(cvss3BaseScore('garbage'), undefined);
    assert.equal(cvss2BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P'), 7.5);
    assert.equal(cvss2BaseScore('AV:N/AC:M/Au:N/C:N/I:P/A:N'), 4.3);
    assert.deepEqual(osvSeverity({ severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N' }] }), {
      severity: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N',
      normalizedSeverity: 'Negligible',
    });
    assert.deepEqual(osvSeverity({ severity: [{ type: 'CVSS_V2', score: 'AV:N/AC:M/Au:N/C:N/I:P/A:N' }] }), { severity: 'AV:N/AC:M/Au:N/C:N/I:P/A:N', normalizedSeverity: 'Medium' });
    assert.deepEqual(osvSeverity({ severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N' }], database_specific: { severity: 'HIGH' } }), { severity: 'CVSS:4.0/AV:N', normalizedSeverity: 'High' });
    assert.deepEqual(osvSeverity({ database_specific: { severity: 'moderate' } }), { severity: '', normalizedSeverity: 'Medium' });
    assert.deepEqual(osvSeverity({}), { severity: '', normalizedSeverity: 'Unknown' });
  });
});
