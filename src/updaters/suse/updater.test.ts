import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord, VulnerableDistribution } from '../../model/index.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { ovalRpmRecords } from '../oval/index.js';
import { fetchAndParse, MALFORMED_OVAL, runOvalUpdaterCases, setContext, sharedData, testdata, TEST_TIMEOUT_MS } from '../oval/updater.case.js';
import { normalizeSuseSeverity, susePrototypes, suseSetFactory } from './index.js';
import { leapRelease, slesRelease } from '../../model/releases.js';

const DIR = 'pub/projects/security/oval/';
const XML = readFileSync(testdata('suse/testdata/suse.linux.enterprise.server.15.xml'));
const LISTING = readFileSync(testdata('suse/testdata/listing.html'));

const SLES15: VulnerableDistribution = { did: 'sles', name: 'SLES', version: '15', versionCodeName: '', versionId: '15', arch: '', cpe: '', prettyName: 'SUSE Linux Enterprise Server 15' };

/** The factory's SLES 15 updater, with the listing served at the server's OVAL directory. */
async function sles15(server: FeedServer) {
  server.routes.set(`/${DIR}`, { body: LISTING, contentType: 'text/html' });
  const updaters = await suseSetFactory.create(setContext({ url: `${server.url}${DIR}` }));
  const updater = updaters.find((u) => u.name === 'suse-updater-suse.linux.enterprise.server.15');
  assert.ok(updater);
  return updater;
}

const kernel = {
  updater: 'suse-updater-suse.linux.enterprise.server.15',
  name: 'CVE-2023-1001',
  description: "A use-after-free in the kernel's network scheduler allows local privilege escalation.",
  issued: new Date('2023-03-01T00:00:00Z'),
  links: 'https://www.cve.org/CVERecord?id=CVE-2023-1001 https://www.suse.com/security/cve/CVE-2023-1001 https://www.suse.com/security/cve/CVE-2023-1001/',
  severity: 'Important',
  normalizedSeverity: 'High',
  distribution: SLES15,
  archOp: 'pattern match',
} as const;
const libxml2 = {
  updater: 'suse-updater-suse.linux.enterprise.server.15',
  name: 'CVE-2023-1005',
  description: 'libxml2 and libxml2-tools read past a buffer.',
  issued: new Date('2023-06-06T00:00:00Z'),
  links: 'https://www.suse.com/security/cve/CVE-2023-1005 https://www.suse.com/security/cve/CVE-2023-1005/',
  severity: 'Critical',
  normalizedSeverity: 'Critical',
  distribution: SLES15,
  archOp: '',
  fixedInVersion: '0:2.10.3-150500.5.11.1',
} as const;
const pkg = (name: string, arch = '') => ({ name, version: '', module: '', arch, kind: 'binary' as const });

const EXPECTED: VulnerabilityRecord[] = [
  { ...kernel, package: pkg('kernel-default', '(aarch64|ppc64le|s390x|x86_64)'), fixedInVersion: '0:5.14.21-150400.24.100.2' },
  { ...kernel, package: pkg('kernel-devel', '(noarch)'), fixedInVersion: '0:5.14.21-150400.24.100.2' },
  { ...kernel, package: pkg('kernel-default', '(aarch64|ppc64le|s390x|x86_64)'), fixedInVersion: '0:5.14.21-150500.55.39.1' },
  { ...kernel, package: pkg('kernel-devel', '(noarch)'), fixedInVersion: '0:5.14.21-150500.55.39.1' },
  // CVE-1999-0524 ("not affected", no EVR) and CVE-2023-1004 (no criteria) give none.
  { ...libxml2, package: pkg('libxml2-2') },
  { ...libxml2, package: pkg('libxml2-tools') },
];

runOvalUpdaterCases({
  title: 'suse-updater-suse.linux.enterprise.server.15',
  path: `${DIR}suse.linux.enterprise.server.15.xml.gz`,
  body: gzipSync(XML),
  malformed: gzipSync(MALFORMED_OVAL),
  expectedRecords: EXPECTED.length,
  updater: sles15,
});

describe('suse set factory', () => {
  it('creates an updater per SLES and supported Leap file in the listing, named as claircore', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startFeedServer({ [`/${DIR}`]: { body: LISTING, contentType: 'text/html' } });
    try {
      const updaters = await suseSetFactory.create(setContext({ url: `${server.url}${DIR.slice(0, -1)}` }));
      assert.deepEqual(updaters.map((u) => u.name), [
        'suse-updater-opensuse.leap.15.5',
        'suse-updater-opensuse.leap.15.6',
        'suse-updater-suse.linux.enterprise.server.12',
        'suse-updater-suse.linux.enterprise.server.15',
      ]);
      assert.deepEqual(server.requests.map((r) => r.path), [`/${DIR}`]);
    } finally {
      await server.close();
    }
  });

  it('fails with a catalogued error naming the listing URL when it answers 500', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startFeedServer({ [`/${DIR}`]: { body: LISTING, failFirst: [500] } });
    try {
      await assert.rejects(suseSetFactory.create(setContext({ url: `${server.url}${DIR}` })), (err: unknown) => {
        assert.ok(isClairError(err, 'UPDATER_FETCH'));
        assert.equal(err.message, `suse: GET ${server.url}${DIR} answered 500 Internal Server Error`);
        return true;
      });
    } finally {
      await server.close();
    }
  });

  it('rejects a wrongly typed configuration or an unknown key', async () => {
    for (const config of [{ url: 42 }, { url: 'file:///srv/oval/' }]) {
      await assert.rejects(suseSetFactory.create(setContext(config)), (err: unknown) => isClairError(err, 'CONFIG_INVALID'), JSON.stringify(config));
    }
    assert.deepEqual(suseSetFactory.checkConfig({ urls: 'https://mirror.test/' }), [{ path: 'updaters.config.suse.urls', message: 'unknown key, ignored (known: url)' }]);
  });
});

describe('suse updater', () => {
  it('turns the gzipped SLES 15 file into exactly the expected records', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startFeedServer({ [`/${DIR}suse.linux.enterprise.server.15.xml.gz`]: { body: gzipSync(XML) } });
    try {
      const { records } = await fetchAndParse(await sles15(server));
      assert.deepEqual(records, EXPECTED);
    } finally {
      await server.close();
    }
  });

  it('emits distributions equal to what the SUSE distribution scanner reports', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.deepEqual(SLES15, slesRelease('15'));
    const server = await startFeedServer({
      [`/${DIR}`]: { body: LISTING },
      [`/${DIR}opensuse.leap.15.5.xml.gz`]: { body: gzipSync(XML) },
    });
    try {
      const updaters = await suseSetFactory.create(setContext({ url: `${server.url}${DIR}` }));
      const leap = updaters.find((u) => u.name === 'suse-updater-opensuse.leap.15.5');
      assert.ok(leap);
      const { records } = await fetchAndParse(leap);
      assert.equal(records.length, EXPECTED.length);
      for (const r of records) assert.deepEqual(r.distribution, leapRelease('15.5'));
    } finally {
      await server.close();
    }
  });

  it('maps severities as claircore does', () => {
    assert.deepEqual(['None', 'Low', 'Moderate', 'Important', 'Critical', 'moderate', ''].map(normalizeSuseSeverity), ['Unknown', 'Low', 'Medium', 'High', 'Critical', 'Medium', 'Unknown']);
  });
});

describe('suse updater on a real SUSE OVAL excerpt (vunnel fixture)', () => {
  const file = sharedData('suse', 'vunnel-fixture-suse_truncated.xml');
  it('yields the kernel and krb5 records', { skip: file ? false : 'shared data absent: suse/vunnel-fixture-suse_truncated.xml' }, async () => {
    const records = await collect(ovalRpmRecords(file!, { component: 't', prototypes: (d) => susePrototypes(slesRelease('15'))(d, 'suse-updater-suse.linux.enterprise.server.15') }));
    assert.deepEqual(
      records.map((r) => [r.name, r.package.name, r.fixedInVersion, r.package.arch, r.archOp]),
      [
        ['CVE-2021-29154', 'kernel-default', '0:4.12.14-150.72.1', '(aarch64|ppc64le|s390x|x86_64)', 'pattern match'],
        ['CVE-2021-29154', 'kernel-default', '0:4.12.14-197.89.2', '(aarch64|ppc64le|s390x|x86_64)', 'pattern match'],
        // The excerpt's krb5 state has operation="6" (not an OVAL operation): like claircore, its EVR is taken as the fix.
        ...['krb5', 'krb5-32bit', 'krb5-client', 'krb5-devel', 'krb5-plugin-preauth-otp', 'krb5-plugin-preauth-pkinit', 'krb5-plugin-kdb-ldap', 'krb5-server'].map((n) => ['CVE-2010-1323', n, '0:1.15.2-4.25', '', '']),
      ],
    );
    const first = records[0];
    assert.equal(first?.severity, 'Important');
    assert.equal(first?.normalizedSeverity, 'High');
    assert.deepEqual(first?.issued, new Date('2021-04-30T00:00:00Z'));
    assert.deepEqual(first?.distribution, slesRelease('15'));
  });
});
