import type { Alias } from '../../model/alias.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord, VulnerableDistribution } from '../../model/index.js';
import { startFeedServer } from '../../test-support/feed-server.js';
import { fetchAndParse, MALFORMED_OVAL, runOvalUpdaterCases, setContext, sharedData, testdata, TEST_TIMEOUT_MS } from '../oval/updater.case.js';
import { normalizePhotonSeverity, photonSetFactory, photonUpdater } from './index.js';
import { photonRelease } from '../../model/releases.js';

const DIR = 'photon/photon_oval_definitions/';
const XML = readFileSync(testdata('photon/testdata/com.vmware.phsa-photon4.xml'));

const photon = (v: string): VulnerableDistribution => ({ did: 'photon', name: 'VMware Photon OS', version: v, versionCodeName: '', versionId: v, arch: '', cpe: '', prettyName: 'VMware Photon OS/Linux' });
const pkg = (name: string) => ({ name, version: '', module: '', arch: '', kind: 'binary' as const });

const openssl = {
  updater: 'photon-updater-4.0',
  name: 'PHSA-2023-4.0-0001 openssl Security Update. (Critical)',
  description: "This update upgrade openssl to 3.0.9-1.ph4 #Fixes {'CVE-2023-4001'}",
  issued: new Date('2023-06-01T00:00:00Z'),
  links: 'https://github.com/vmware/photon/wiki/Security-Update-4.0-0001 https://nvd.nist.gov/vuln/detail?vulnId=CVE-2023-4001',
  severity: 'Critical',
  normalizedSeverity: 'Critical',
  distribution: photon('4.0'),
  fixedInVersion: '0:3.0.9-1.ph4',
  archOp: '',
  aliases: [{ space: 'CVE', name: '2023-4001' }] as Alias[],
} as const;
const curl = {
  ...openssl,
  name: 'PHSA-2023-4.0-0002 curl Security Update. (Moderate)',
  description: "This update upgrade curl to 8.1.2-1.ph4 #Fixes {'CVE-2023-4002', 'CVE-2023-4003'}",
  issued: new Date('2023-07-02T00:00:00Z'),
  links: 'https://github.com/vmware/photon/wiki/Security-Update-4.0-0002 https://nvd.nist.gov/vuln/detail?vulnId=CVE-2023-4002 https://nvd.nist.gov/vuln/detail?vulnId=CVE-2023-4003',
  severity: 'Moderate',
  normalizedSeverity: 'Medium',
  fixedInVersion: '0:8.1.2-1.ph4',
  aliases: [{ space: 'CVE', name: '2023-4002' }, { space: 'CVE', name: '2023-4003' }] as Alias[],
} as const;

const EXPECTED: VulnerabilityRecord[] = [
  { ...openssl, package: pkg('openssl') },
  { ...openssl, package: pkg('openssl-devel') },
  { ...curl, package: pkg('curl') },
  { ...curl, package: pkg('curl-libs') },
  // PHSA-2023-4.0-0003 has only the release check: no records.
];

runOvalUpdaterCases({
  title: 'photon-updater-4.0',
  path: `${DIR}com.vmware.phsa-photon4.xml`,
  body: XML,
  malformed: Buffer.from(MALFORMED_OVAL),
  expectedRecords: EXPECTED.length,
  updater: (server) => photonUpdater('4.0', `${server.url}${DIR}`),
});

describe('photon updater', () => {
  it('turns the plain XML file into exactly the expected records', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startFeedServer({ [`/${DIR}com.vmware.phsa-photon4.xml`]: { body: XML } });
    try {
      assert.deepEqual((await fetchAndParse(photonUpdater('4.0', `${server.url}${DIR}`))).records, EXPECTED);
    } finally {
      await server.close();
    }
  });

  it('reads the gzipped .xml.gz file when configured so', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startFeedServer({ [`/${DIR}com.vmware.phsa-photon4.xml.gz`]: { body: gzipSync(XML) } });
    try {
      const updaters = await photonSetFactory.create(setContext({ url: `${server.url}${DIR}`, releases: ['4.0'], compression: 'gz' }));
      assert.deepEqual(updaters.map((u) => u.name), ['photon-updater-4.0']);
      assert.deepEqual((await fetchAndParse(updaters[0]!)).records, EXPECTED);
      assert.deepEqual(server.requests.map((r) => r.path), [`/${DIR}com.vmware.phsa-photon4.xml.gz`]);
    } finally {
      await server.close();
    }
  });

  it('emits distributions equal to what the Photon distribution scanner reports', () => {
    for (const v of ['1.0', '2.0', '3.0', '4.0', '5.0']) assert.deepEqual(photon(v), photonRelease(v));
  });

  it('maps severities as claircore does', () => {
    assert.deepEqual(['Low', 'Moderate', 'Important', 'Critical', 'critical', 'Unknown', ''].map(normalizePhotonSeverity), ['Low', 'Medium', 'High', 'Critical', 'Critical', 'Unknown', 'Unknown']);
  });
});

describe('photon set factory', () => {
  it('creates photon-updater-1.0 … photon-updater-5.0 by default, named as claircore', async () => {
    const updaters = await photonSetFactory.create(setContext(undefined));
    assert.deepEqual(updaters.map((u) => u.name), ['1.0', '2.0', '3.0', '4.0', '5.0'].map((r) => `photon-updater-${r}`));
  });

  it('rejects bad releases, compression or types', async () => {
    for (const config of [{ releases: ['3'] }, { releases: ['3.1'] }, { releases: '3.0' }, { compression: 'zip' }, { url: ['x'] }]) {
      await assert.rejects(photonSetFactory.create(setContext(config)), (err: unknown) => isClairError(err, 'CONFIG_INVALID'), JSON.stringify(config));
    }
    assert.deepEqual(photonSetFactory.checkConfig({ release: ['3.0'] }), [{ path: 'updaters.config.photon.release', message: 'unknown key, ignored (known: url, releases, compression)' }]);
  });
});

describe('photon updater on the complete Photon 3 OVAL file (claircore testdata)', () => {
  const gz = sharedData('photon', 'com.vmware.phsa-photon3.xml.gz');
  const skip = gz ? false : 'shared data absent: photon/com.vmware.phsa-photon3.xml.gz';

  it('parses 778 records from 222 advisories, served as plain XML', { skip, timeout: 60_000 }, async () => {
    const server = await startFeedServer({ [`/${DIR}com.vmware.phsa-photon3.xml`]: { body: gunzipSync(readFileSync(gz!)) } });
    try {
      const { records } = await fetchAndParse(photonUpdater('3.0', `${server.url}${DIR}`));
      assert.equal(records.length, 778);
      assert.equal(new Set(records.map((r) => r.name)).size, 222);
      assert.ok(records.every((r) => r.updater === 'photon-updater-3.0' && r.fixedInVersion !== '' && r.package.kind === 'binary'));
      assert.ok(records.every((r) => r.distribution === records[0]?.distribution));
      assert.deepEqual(records[0], {
        updater: 'photon-updater-3.0',
        name: 'PHSA-2020:00001 sqlite Security Update. (Important)',
        description: "This update upgrade sqlite to 3.27.2-5.ph3 #Fixes {'CVE-2019-16168'}",
        issued: new Date('2019-10-23T00:00:00Z'),
        links: 'https://github.com/vmware/photon/wiki/Security-Updates-3.0-0036 https://nvd.nist.gov/vuln/detail?vulnId=CVE-2019-16168',
        severity: 'Important',
        normalizedSeverity: 'High',
        distribution: photonRelease('3.0'),
        package: pkg('sqlite'),
        fixedInVersion: '0:3.27.2-5.ph3',
        archOp: '',
        aliases: [{ space: 'CVE', name: '2019-16168' }],
      });
      assert.deepEqual(
        records.filter((r) => r.package.name === 'openssl').map((r) => [r.name, r.fixedInVersion, r.normalizedSeverity]),
        [
          ['PHSA-2020:00196 openssl Security Update. (Low)', '0:1.0.2t-1.ph3', 'Low'],
          ['PHSA-2020:00197 openssl Security Update. (Low)', '0:1.0.2u-1.ph3', 'Low'],
        ],
      );
      const last = records.at(-1);
      assert.equal(last?.name, 'PHSA-2020:00222 openjdk8 Security Update. (Important)');
      assert.equal(last?.package.name, 'openjdk8-src');
      assert.equal(last?.fixedInVersion, '0:1.8.0.212-1.ph3');
    } finally {
      await server.close();
    }
  });

  it('parses the same records from the gzipped copy', { skip, timeout: 60_000 }, async () => {
    const server = await startFeedServer({ [`/${DIR}com.vmware.phsa-photon3.xml.gz`]: { body: { file: gz! } } });
    try {
      const { records } = await fetchAndParse(photonUpdater('3.0', `${server.url}${DIR}`, 'gzip'));
      assert.equal(records.length, 778);
    } finally {
      await server.close();
    }
  });
});
