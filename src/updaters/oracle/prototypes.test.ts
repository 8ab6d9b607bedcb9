import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect } from '../../test-support/feed-server.js';
import { ovalRpmRecords, readDefinitions, type OvalDefinition } from '../oval/index.js';
import { sharedData } from '../oval/updater.case.js';
import { elsaName, isOnlyKsplice, normalizeOracleSeverity, oracleDistribution, oraclePrototypes } from './index.js';
import { oracleRelease } from '../../model/releases.js';

function definition(fields: Partial<OvalDefinition> & { cpes?: string[] }): OvalDefinition {
  return {
    id: 'oval:x:def:1',
    class: 'patch',
    title: '',
    description: '',
    affected: [],
    references: [],
    advisory: { severity: '', issued: undefined, updated: undefined, cves: [], bugzillas: [], refs: [], bugs: [], affectedCpes: fields.cpes ?? [] },
    criteria: undefined,
    ...fields,
  };
}

describe('oracle prototypes', () => {
  it('maps severities as claircore does', () => {
    assert.deepEqual(
      ['N/A', 'LOW', 'MODERATE', 'IMPORTANT', 'CRITICAL', 'important', '', 'SEVERE'].map(normalizeOracleSeverity),
      ['Unknown', 'Low', 'Medium', 'High', 'Critical', 'High', 'Unknown', 'Unknown'],
    );
  });

  it('maps "Oracle Linux N" platforms to the scanner\'s release records, and nothing else', () => {
    for (const n of [5, 6, 7, 8, 9, 10]) assert.deepEqual(oracleDistribution(`Oracle Linux ${n}`), oracleRelease(n));
    assert.equal(oracleDistribution('Oracle VM 3'), undefined);
    assert.equal(oracleDistribution('Oracle Linux 8 for aarch64'), undefined);
  });

  it('skips advisories whose CPEs are all userspace ksplice, and only those', () => {
    assert.equal(isOnlyKsplice(definition({ cpes: ['cpe:/a:oracle:linux:8::userspace_ksplice'] })), true);
    assert.equal(isOnlyKsplice(definition({ cpes: ['cpe:/a:oracle:linux:8::userspace_ksplice', 'cpe:/a:oracle:linux:8::baseos_latest'] })), false);
    assert.equal(isOnlyKsplice(definition({ cpes: ['cpe:/a:oracle:linux:8::userspace_ksplice', 'not a cpe'] })), false);
    assert.equal(isOnlyKsplice(definition({})), false);
  });

  it('names records by the ELSA id', () => {
    assert.equal(elsaName(definition({ title: '\nELSA-2023-0001: x (LOW)\n', references: [{ source: 'elsa', refId: 'ELSA-2023-0009', refUrl: '' }] })), 'ELSA-2023-0009');
    assert.equal(elsaName(definition({ title: '\nELSA-2023-0001: x (LOW)\n' })), 'ELSA-2023-0001');
    assert.equal(elsaName(definition({ title: '  Something else  ' })), 'Something else');
  });
});

describe('oracle prototypes on real ELSA excerpts (vunnel fixtures)', () => {
  const ksplice = sharedData('oracle', 'vunnel-fixture-mock_ksplice_data.xml');
  it('parses the ksplice-based openssl advisory into one record per package', { skip: ksplice ? false : 'shared data absent: oracle/vunnel-fixture-mock_ksplice_data.xml' }, async () => {
    const records = await collect(ovalRpmRecords(ksplice!, { component: 't', prototypes: (d) => oraclePrototypes(d, 'oracle-2021-updater') }));
    // Each package appears under both the aarch64 and the x86_64 branch; repeats are folded.
    assert.deepEqual(records.map((r) => r.package.name), ['openssl', 'openssl-debugsource', 'openssl-devel', 'openssl-libs', 'openssl-perl', 'openssl-static']);
    for (const r of records) {
      assert.equal(r.name, 'ELSA-2021-9151');
      assert.equal(r.fixedInVersion, '2:1.1.1g-15.ksplice1.el8_3');
      assert.equal(r.severity, 'IMPORTANT');
      assert.equal(r.normalizedSeverity, 'High');
      assert.deepEqual(r.issued, new Date('2021-04-01T00:00:00Z'));
      assert.deepEqual(r.distribution, oracleRelease(8));
      assert.equal(r.links, 'https://linux.oracle.com/errata/ELSA-2021-9151.html https://linux.oracle.com/cve/CVE-2021-3449.html https://linux.oracle.com/cve/CVE-2021-3450.html');
    }
  });

  const mock = sharedData('oracle', 'vunnel-fixture-mock_data.xml');
  it('reads the definitions of the truncated mock excerpt, whose tests do not resolve', { skip: mock ? false : 'shared data absent: oracle/vunnel-fixture-mock_data.xml' }, async () => {
    const defs = await collect(readDefinitions(mock!, { component: 't' }));
    assert.deepEqual(defs.map(elsaName), ['ELSA-2007-0057', 'ELSA-2018-4250']);
    assert.deepEqual(defs.map((d) => oraclePrototypes(d, 'u').map((p) => p.distribution?.version)), [['5'], ['6']]);
    assert.deepEqual(defs.map((d) => d.advisory.severity), ['MODERATE', 'IMPORTANT']);
    // The excerpt keeps only 2 of the tests and objects, and they do not point at each other.
    assert.deepEqual(await collect(ovalRpmRecords(mock!, { component: 't', prototypes: (d) => oraclePrototypes(d, 'u') })), []);
  });

  const perArch = sharedData('oracle', 'vunnel-fixture-mock_per_arch_data.xml');
  it('maps the per-arch excerpt\'s platforms, Oracle Linux 10 included', { skip: perArch ? false : 'shared data absent: oracle/vunnel-fixture-mock_per_arch_data.xml' }, async () => {
    const defs = await collect(readDefinitions(perArch!, { component: 't' }));
    assert.deepEqual(defs.map(elsaName), ['ELSA-2022-4803', 'ELSA-2025-10073', 'ELSA-2024-2961']);
    assert.deepEqual(defs.map((d) => oraclePrototypes(d, 'u').map((p) => p.distribution)), [[oracleRelease(7)], [oracleRelease(10)], [oracleRelease(8)]]);
    assert.equal(defs[0]?.advisory.affectedCpes.length, 39);
    assert.equal(isOnlyKsplice(defs[0]!), false);
    // This excerpt stops after </definitions>: no tests, so no records.
    assert.deepEqual(await collect(ovalRpmRecords(perArch!, { component: 't', prototypes: (d) => oraclePrototypes(d, 'u') })), []);
  });
});
