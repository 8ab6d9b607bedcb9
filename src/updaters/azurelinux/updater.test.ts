import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord, VulnerableDistribution } from '../../model/index.js';
import { startFeedServer } from '../../test-support/feed-server.js';
import { fetchAndParse, MALFORMED_OVAL, runOvalUpdaterCases, setContext, testdata, TEST_TIMEOUT_MS, updaterContext } from '../oval/updater.case.js';
import { AZURELINUX_OVAL_BASE, azureLinuxFileName, azureLinuxSetFactory, azureLinuxUpdater, azureLinuxUpdaterName } from './index.js';

const DIR = 'microsoft/AzureLinuxVulnerabilityData/main/';
const file = (name: string): Buffer => readFileSync(testdata(`azurelinux/testdata/${name}`));
const AZL3 = file('azurelinux-3.0-oval.xml');
const CM2 = file('cbl-mariner-2.0-oval.xml');
const CM1 = file('cbl-mariner-1.0-oval.xml');

const azl = (v: string): VulnerableDistribution => ({ did: 'azurelinux', name: 'Microsoft Azure Linux', version: v, versionCodeName: '', versionId: v, arch: '', cpe: '', prettyName: `Microsoft Azure Linux ${v}` });
const mariner = (v: string): VulnerableDistribution => ({ did: 'mariner', name: 'CBL-Mariner', version: v, versionCodeName: '', versionId: v, arch: '', cpe: '', prettyName: `CBL-Mariner ${v}` });

/** A record as the files give them: source package, no arch, links to NVD. */
function record(
  updater: string,
  distribution: VulnerableDistribution,
  cve: string,
  pkg: string,
  bound: { fixed: string } | { last: string },
  severity: string,
  normalizedSeverity: VulnerabilityRecord['normalizedSeverity'],
  issued: string | undefined,
  description: string,
): VulnerabilityRecord {
  return {
    updater,
    name: cve,
    description,
    issued: issued === undefined ? undefined : new Date(issued),
    links: `https://nvd.nist.gov/vuln/detail/${cve}`,
    severity,
    normalizedSeverity,
    package: { name: pkg, version: 'last' in bound ? bound.last : '', module: '', arch: '', kind: 'source' },
    distribution,
    fixedInVersion: 'fixed' in bound ? bound.fixed : '',
    archOp: '',
  };
}

const U3 = 'azurelinux-updater-3.0';
const AZL3_RECORDS: VulnerabilityRecord[] = [
  record(U3, azl('3.0'), 'CVE-2024-6119', 'openssl', { fixed: '0:3.3.2-3.azl3' }, 'High', 'High', '2024-09-10T19:24:11Z',
    'CVE-2024-6119 affecting package openssl for versions less than 3.3.2-3. A patched version of the package is available.'),
  record(U3, azl('3.0'), 'CVE-2024-2398', 'curl', { fixed: '0:8.8.0-2.azl3' }, 'Medium', 'Medium', '2024-07-02T11:05:40Z',
    'CVE-2024-2398 affecting package curl for versions less than 8.8.0-2. A patched version of the package is available.'),
  record(U3, azl('3.0'), 'CVE-2024-45490', 'expat', { last: '0:2.6.3-1.azl3' }, 'Critical', 'Critical', '2024-09-04T16:45:02Z',
    'CVE-2024-45490 affecting package expat for versions less than or equal 2.6.3-1. No patch is available currently.'),
  // CVE-2023-4911 (glibc) is Not Applicable: no record.
  record(U3, azl('3.0'), 'CVE-2022-48303', 'tar', { fixed: '0:1.34-3.azl3' }, 'Medium', 'Medium', '2024-04-17T22:02:46Z',
    'CVE-2022-48303 affecting package tar for versions less than 1.34-3. An upgraded version of the package is available that resolves this issue.'),
  record(U3, azl('3.0'), 'CVE-2024-37032', 'bash', { last: '0:5.2.15-2.azl3' }, 'Low', 'Low', '2024-06-12T10:00:00Z',
    'CVE-2024-37032 affecting package bash for versions less than or equal 5.2.15-2. No patch is available currently.'),
  record(U3, azl('3.0'), 'CVE-2023-27534', 'tensorflow', { fixed: '0:2.16.1-1.azl3' }, 'High', 'High', '2024-04-17T22:02:46Z',
    'CVE-2023-27534 affecting package tensorflow for versions less than 2.16.1-1. An upgraded version of the package is available that resolves this issue.'),
];

const U2 = 'mariner-updater-2.0';
const CM2_RECORDS: VulnerabilityRecord[] = [
  record(U2, mariner('2.0'), 'CVE-2024-5535', 'openssl', { fixed: '0:1.1.1k-32.cm2' }, 'Medium', 'Medium', '2024-07-15T18:30:12Z',
    'CVE-2024-5535 affecting package openssl for versions less than 1.1.1k-32. A patched version of the package is available.'),
  record(U2, mariner('2.0'), 'CVE-2024-7264', 'curl', { fixed: '0:8.8.0-2.cm2' }, 'Medium', 'Medium', '2024-08-06T07:41:55Z',
    'CVE-2024-7264 affecting package curl for versions less than 8.8.0-2. A patched version of the package is available.'),
  record(U2, mariner('2.0'), 'CVE-2024-6197', 'curl', { last: '0:8.8.0-1.cm2' }, 'High', 'High', '2024-07-25T12:02:09Z',
    'CVE-2024-6197 affecting package curl for versions less than or equal 8.8.0-1. No patch is available currently.'),
  record(U2, mariner('2.0'), 'CVE-2023-45853', 'zlib', { fixed: '0:1.2.13-2.cm2' }, 'Critical', 'Critical', '2024-02-20T21:10:44Z',
    'CVE-2023-45853 affecting package zlib for versions less than 1.2.13-2. A patched version of the package is available.'),
  // CVE-2023-0464 (openssl) is Not Applicable: no record.
  record(U2, mariner('2.0'), 'CVE-2021-39924', 'wireshark', { last: '0:3.4.4-2.cm1' }, 'High', 'High', undefined,
    'CVE-2021-39924 affecting package wireshark 3.4.4. No patch is available currently.'),
];

const U1 = 'mariner-updater-1.0';
const CM1_RECORDS: VulnerabilityRecord[] = [
  record(U1, mariner('1.0'), 'CVE-2021-3711', 'openssl', { fixed: '0:1.1.1k-7.cm1' }, 'Critical', 'Critical', undefined,
    'CVE-2021-3711 affecting package openssl for versions less than 1.1.1k-7. A patched version of the package is available.'),
  record(U1, mariner('1.0'), 'CVE-2022-3715', 'bash', { last: '0:4.4.18-6.cm1' }, 'High', 'High', undefined,
    'CVE-2022-3715 affecting package bash for versions less than or equal 4.4.18-6. No patch is available currently.'),
];

runOvalUpdaterCases({
  title: U3,
  path: `${DIR}azurelinux-3.0-oval.xml`,
  body: AZL3,
  malformed: Buffer.from(MALFORMED_OVAL),
  expectedRecords: AZL3_RECORDS.length,
  updater: (server) => azureLinuxUpdater('3.0', `${server.url}${DIR}`),
});

describe('azurelinux updaters', () => {
  it('turn each release file into exactly the expected records', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startFeedServer({
      [`/${DIR}azurelinux-3.0-oval.xml`]: { body: AZL3 },
      [`/${DIR}cbl-mariner-2.0-oval.xml`]: { body: CM2 },
      [`/${DIR}cbl-mariner-1.0-oval.xml`]: { body: CM1 },
    });
    try {
      assert.deepEqual((await fetchAndParse(azureLinuxUpdater('3.0', `${server.url}${DIR}`))).records, AZL3_RECORDS);
      assert.deepEqual((await fetchAndParse(azureLinuxUpdater('2.0', `${server.url}${DIR}`))).records, CM2_RECORDS);
      assert.deepEqual((await fetchAndParse(azureLinuxUpdater('1.0', `${server.url}${DIR}`))).records, CM1_RECORDS);
    } finally {
      await server.close();
    }
  });

  it('fingerprints raw.githubusercontent.com answers, which carry an ETag and no Last-Modified', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startFeedServer({ [`/${DIR}cbl-mariner-2.0-oval.xml`]: { body: CM2, etag: '"5a1f"', contentType: 'text/plain; charset=utf-8' } });
    try {
      const updater = azureLinuxUpdater('2.0', `${server.url}${DIR}`);
      const { fingerprint } = await fetchAndParse(updater);
      assert.equal(fingerprint, '{"Etag":"\\"5a1f\\""}');
      const ctx = await updaterContext();
      try {
        assert.deepEqual(await updater.fetch(ctx, fingerprint), { unchanged: true });
        assert.equal(server.requests.at(-1)?.headers['if-none-match'], '"5a1f"');
      } finally {
        await ctx.cleanup();
      }
    } finally {
      await server.close();
    }
  });

  it('reads a gzipped copy when an updater is configured so', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startFeedServer({ '/mirror/azl3.xml.gz': { body: gzipSync(AZL3) } });
    try {
      const updater = azureLinuxUpdater('3.0');
      assert.deepEqual(updater.configure({ url: `${server.url}mirror/azl3.xml.gz`, compression: 'gz' }), []);
      assert.deepEqual((await fetchAndParse(updater)).records, AZL3_RECORDS);
      assert.throws(() => updater.configure({ compression: 'zip' }), (err: unknown) => isClairError(err, 'CONFIG_INVALID') && /updaters\.config\.azurelinux-updater-3\.0\.compression/.test(err.message));
    } finally {
      await server.close();
    }
  });

  it('names updaters and files by the release, as Microsoft names the files', () => {
    assert.deepEqual(['1.0', '2.0', '3.0', '4.0'].map(azureLinuxUpdaterName), ['mariner-updater-1.0', 'mariner-updater-2.0', 'azurelinux-updater-3.0', 'azurelinux-updater-4.0']);
    assert.deepEqual(['1.0', '2.0', '3.0'].map(azureLinuxFileName), ['cbl-mariner-1.0-oval.xml', 'cbl-mariner-2.0-oval.xml', 'azurelinux-3.0-oval.xml']);
    assert.equal(azureLinuxUpdater('3.0').url, `${AZURELINUX_OVAL_BASE}azurelinux-3.0-oval.xml`);
    assert.equal(azureLinuxUpdater('2.0').url, 'https://raw.githubusercontent.com/microsoft/AzureLinuxVulnerabilityData/main/cbl-mariner-2.0-oval.xml');
    assert.throws(() => azureLinuxUpdaterName('3'), (err: unknown) => isClairError(err, 'CONFIG_INVALID') && /"3" is not a release like 3\.0/.test(err.message));
  });
});

describe('azurelinux set factory', () => {
  it('creates one updater per published release by default, with no network access', async () => {
    const updaters = await azureLinuxSetFactory.create(setContext(undefined));
    assert.deepEqual(updaters.map((u) => u.name), ['mariner-updater-1.0', 'mariner-updater-2.0', 'azurelinux-updater-3.0']);
    assert.equal(azureLinuxSetFactory.name, 'azurelinux');
  });

  it('takes a base URL (adding the missing slash) and a release list', async () => {
    const updaters = await azureLinuxSetFactory.create(setContext({ url: 'http://127.0.0.1:9/oval', releases: ['3.0', '3.0'] }));
    assert.deepEqual(updaters.map((u) => [u.name, (u as ReturnType<typeof azureLinuxUpdater>).url]), [['azurelinux-updater-3.0', 'http://127.0.0.1:9/oval/azurelinux-3.0-oval.xml']]);
  });

  it('rejects bad releases, compression, URLs or types, naming the key', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ releases: ['3'] }, /updaters\.config\.azurelinux\.releases\[0\]: "3" is not a release like 3\.0/],
      [{ releases: ['azl3'] }, /releases\[0\]/],
      [{ releases: '3.0' }, /updaters\.config\.azurelinux\.releases/],
      [{ compression: 'zip' }, /updaters\.config\.azurelinux\.compression: unknown compression "zip"/],
      [{ url: 'ftp://example.com/' }, /updaters\.config\.azurelinux\.url/],
      [{ url: ['x'] }, /updaters\.config\.azurelinux\.url/],
    ];
    for (const [config, message] of cases) {
      await assert.rejects(azureLinuxSetFactory.create(setContext(config)), (err: unknown) => isClairError(err, 'CONFIG_INVALID') && message.test(err.message), JSON.stringify(config));
      assert.throws(() => azureLinuxSetFactory.checkConfig(config), (err: unknown) => isClairError(err, 'CONFIG_INVALID'), JSON.stringify(config));
    }
  });

  it('lints unknown keys', () => {
    assert.deepEqual(azureLinuxSetFactory.checkConfig({ release: ['3.0'] }), [{ path: 'updaters.config.azurelinux.release', message: 'unknown key, ignored (known: url, releases, compression)' }]);
    assert.deepEqual(azureLinuxSetFactory.checkConfig({ url: 'https://mirror.example/azl/', releases: ['2.0', '3.0'], compression: 'none' }), []);
  });
});
