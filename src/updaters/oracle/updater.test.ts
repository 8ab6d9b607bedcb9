import type { Alias } from '../../model/alias.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord, VulnerableDistribution } from '../../model/index.js';
import { collect, startFeedServer } from '../../test-support/feed-server.js';
import { ovalRpmRecords } from '../oval/index.js';
import { fetchAndParse, runOvalUpdaterCases, setContext, testdata, TEST_TIMEOUT_MS } from '../oval/updater.case.js';
import { oraclePrototypes, oracleSetFactory, oracleUpdater } from './index.js';
import { oracleRelease } from '../../model/releases.js';

const FIXTURE = testdata('oracle/testdata/com.oracle.elsa-2023.xml');
const PATH = 'security/oval/com.oracle.elsa-2023.xml.bz2';

const ol = (n: string): VulnerableDistribution => ({
  did: 'ol',
  name: 'Oracle Linux Server',
  version: n,
  versionCodeName: `Oracle Linux ${n}`,
  versionId: n,
  arch: '',
  cpe: '',
  prettyName: `Oracle Linux Server ${n}`,
});

const nodejs = {
  updater: 'oracle-2023-updater',
  name: 'ELSA-2023-0001',
  description: '[1:18.18.2-1]\n- Rebase to 18.18.2 (CVE-2023-0001)',
  issued: new Date('2023-01-10T00:00:00Z'),
  links: 'https://linux.oracle.com/errata/ELSA-2023-0001.html https://linux.oracle.com/cve/CVE-2023-0001.html',
  severity: 'IMPORTANT',
  normalizedSeverity: 'High',
  distribution: ol('8'),
  archOp: '',
  aliases: [{ space: 'CVE', name: '2023-0001' }] as Alias[],
} as const;

const uek = {
  updater: 'oracle-2023-updater',
  name: 'ELSA-2023-0002',
  description: '[5.4.17-2136.320.7]\n- net: fix a race (CVE-2023-0002)',
  issued: new Date('2023-02-14T00:00:00Z'),
  links: 'https://linux.oracle.com/errata/ELSA-2023-0002.html https://linux.oracle.com/cve/CVE-2023-0002.html',
  severity: 'MODERATE',
  normalizedSeverity: 'Medium',
  fixedInVersion: '0:5.4.17-2136.320.7.el7uek',
  aliases: [{ space: 'CVE', name: '2023-0002' }] as Alias[],
} as const;

/** What the fixture must parse to, in order. */
const EXPECTED: VulnerabilityRecord[] = [
  { ...nodejs, package: { name: 'nodejs', version: '', module: 'nodejs:18', arch: '', kind: 'binary' }, fixedInVersion: '1:18.18.2-1.module+el8.9.0+90000+aaaa0001' },
  { ...nodejs, package: { name: 'npm', version: '', module: 'nodejs:18', arch: '', kind: 'binary' }, fixedInVersion: '1:9.8.1-1.18.18.2.1.module+el8.9.0+90000+aaaa0001' },
  { ...uek, distribution: ol('7'), package: { name: 'kernel-uek', version: '', module: '', arch: 'x86_64|aarch64', kind: 'binary' }, archOp: 'pattern match' },
  { ...uek, distribution: ol('8'), package: { name: 'kernel-uek', version: '', module: '', arch: 'x86_64|aarch64', kind: 'binary' }, archOp: 'pattern match' },
  { ...uek, distribution: ol('7'), package: { name: 'kernel-uek-tools', version: '', module: '', arch: 'x86_64', kind: 'binary' }, archOp: 'equals' },
  { ...uek, distribution: ol('8'), package: { name: 'kernel-uek-tools', version: '', module: '', arch: 'x86_64', kind: 'binary' }, archOp: 'equals' },
];

runOvalUpdaterCases({
  title: 'oracle-2023-updater',
  path: PATH,
  body: readFileSync(`${FIXTURE}.bz2`),
  malformed: readFileSync(testdata('oracle/testdata/malformed.xml.bz2')),
  expectedRecords: EXPECTED.length,
  updater: (server) => oracleUpdater(2023, `${server.url}security/oval/`),
});

describe('oracle updater', () => {
  it('turns the bzip2 ELSA file into exactly the expected records', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startFeedServer({ [`/${PATH}`]: { body: readFileSync(`${FIXTURE}.bz2`) } });
    try {
      const { records } = await fetchAndParse(oracleUpdater(2023, `${server.url}security/oval/`));
      assert.deepEqual(records, EXPECTED);
      // The committed .bz2 is the plain fixture, compressed.
      const plain = await collect(ovalRpmRecords(FIXTURE, { component: 't', prototypes: (d) => oraclePrototypes(d, 'oracle-2023-updater') }));
      assert.deepEqual(plain, EXPECTED);
    } finally {
      await server.close();
    }
  });

  it('emits distributions equal to what the Oracle distribution scanner reports', () => {
    assert.deepEqual(ol('7'), oracleRelease(7));
    assert.deepEqual(ol('8'), oracleRelease(8));
  });

  it('requests com.oracle.elsa-<year>.xml.bz2 under the configured base', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startFeedServer({ [`/mirror/${PATH.replace('security/oval/', '')}`]: { body: readFileSync(`${FIXTURE}.bz2`) } });
    try {
      const [updater] = await oracleSetFactory.create(setContext({ url: `${server.url}mirror`, first_year: 2023, last_year: 2023 }));
      assert.ok(updater);
      const { records } = await fetchAndParse(updater);
      assert.equal(records.length, EXPECTED.length);
      assert.deepEqual(server.requests.map((r) => r.path), ['/mirror/com.oracle.elsa-2023.xml.bz2']);
    } finally {
      await server.close();
    }
  });
});

describe('oracle set factory', () => {
  it('creates oracle-<year>-updater for every year from 2007 to the current one', async () => {
    const updaters = await oracleSetFactory.create(setContext(undefined));
    const year = new Date().getUTCFullYear();
    assert.equal(updaters.length, year - 2007 + 1);
    assert.equal(updaters[0]?.name, 'oracle-2007-updater');
    assert.equal(updaters.at(-1)?.name, `oracle-${year}-updater`);
    assert.equal(new Set(updaters.map((u) => u.name)).size, updaters.length);
  });

  it('rejects a wrongly typed or inverted configuration', async () => {
    for (const config of [{ url: 5 }, { first_year: '2010' }, { first_year: 2020, last_year: 2010 }, 'oracle', { url: 'not a url' }, { url: 'ftp://example.test/' }]) {
      await assert.rejects(oracleSetFactory.create(setContext(config)), (err: unknown) => isClairError(err, 'CONFIG_INVALID'), JSON.stringify(config));
    }
    assert.deepEqual(oracleSetFactory.checkConfig({ years: [2020] }), [{ path: 'updaters.config.oracle.years', message: 'unknown key, ignored (known: url, first_year, last_year)' }]);
  });
});
