import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord } from '../../model/vulnerability-record.js';
import { chainguardDistributionScanner } from '../../scanners/chainguard/distribution-scanner.js';
import { wolfiDistributionScanner } from '../../scanners/wolfi/distribution-scanner.js';
import { lines, scanFile } from '../../test-support/scan.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { setContext, updaterContext } from '../../test-support/updater-context.js';
import { chainguardFactory, DEFAULT_CHAINGUARD_URL, DEFAULT_WOLFI_URL, wolfiFactory } from './wolfi.js';
import type { SecdbUpdater } from './secdb-updater.js';

const testdata = (name: string): string => fileURLToPath(new URL(`testdata/${name}`, import.meta.url));

const wolfi = (pkg: string, name: string, fixed: string): VulnerabilityRecord => ({
  updater: 'wolfi-updater',
  name,
  description: '',
  links: `https://images.chainguard.dev/security/${name}`,
  severity: '',
  normalizedSeverity: 'Unknown',
  package: { name: pkg, version: '', module: '', arch: '', kind: 'source' },
  distribution: { did: 'wolfi', name: 'Wolfi', version: '', versionCodeName: '', versionId: '', arch: '', cpe: '', prettyName: 'Wolfi' },
  fixedInVersion: fixed,
  archOp: '',
});

describe('wolfi and chainguard updater sets', async () => {
  let server: FeedServer;
  const ctx = await updaterContext();
  before(async () => {
    server = await startFeedServer({
      '/os/security.json': { body: { file: testdata('wolfi-security.json') } },
      '/chainguard/security.json': { body: { file: testdata('wolfi-security.json') } },
    });
  });
  after(async () => {
    await server.close();
    await ctx.cleanup();
  });

  it('build one updater each, at the default feed URLs', async () => {
    const [w] = (await wolfiFactory.create(setContext(undefined))) as SecdbUpdater[];
    const [c] = (await chainguardFactory.create(setContext(undefined))) as SecdbUpdater[];
    assert.equal(wolfiFactory.name, 'wolfi');
    assert.equal(chainguardFactory.name, 'chainguard');
    assert.deepEqual([w?.name, w?.url], ['wolfi-updater', DEFAULT_WOLFI_URL]);
    assert.deepEqual([c?.name, c?.url], ['chainguard-updater', DEFAULT_CHAINGUARD_URL]);
    assert.equal(DEFAULT_WOLFI_URL, 'https://packages.wolfi.dev/os/security.json');
    assert.equal(DEFAULT_CHAINGUARD_URL, 'https://packages.cgr.dev/chainguard/security.json');
  });

  it('parse a security.json into exact records: ids split on whitespace and de-duplicated, fixed 0 kept', async () => {
    const [u] = await wolfiFactory.create(setContext({ url: `${server.url}os/security.json` }));
    assert.ok(u);
    const fetched = await u.fetch(ctx, undefined);
    assert.ok(!fetched.unchanged);
    assert.deepEqual(await collect(u.parse(ctx)), [
      wolfi('coreutils', 'CVE-2016-2781', '0'),
      wolfi('glibc', 'CVE-2023-25139', '2.37-r1'),
      wolfi('glibc', 'GHSA-abcd-efgh-ijkl', '2.37-r1'),
      wolfi('git', 'CVE-2022-41903', '2.39.1-r0'),
      wolfi('git', 'CVE-2022-23521', '2.39.1-r0'),
      wolfi('git', 'CVE-2022-39253', '2.38.1-r0'),
    ]);
    assert.deepEqual(await u.fetch(ctx, fetched.fingerprint), { unchanged: true });
  });

  it('carry exactly the distributions the Wolfi and Chainguard scanners emit', async () => {
    const [wolfiScanned] = await scanFile(wolfiDistributionScanner, 'etc/os-release', lines('ID=wolfi', 'NAME="Wolfi"', 'PRETTY_NAME="Wolfi"', 'VERSION_ID="20230201"'));
    const [cgScanned] = await scanFile(chainguardDistributionScanner, 'etc/os-release', lines('ID=chainguard', 'NAME="Chainguard"', 'PRETTY_NAME="Chainguard"', 'VERSION_ID="20230214"'));
    for (const [factory, path, scanned, updater] of [
      [wolfiFactory, 'os/security.json', wolfiScanned, 'wolfi-updater'],
      [chainguardFactory, 'chainguard/security.json', cgScanned, 'chainguard-updater'],
    ] as const) {
      const [u] = await factory.create(setContext({ url: `${server.url}${path}` }));
      assert.ok(u);
      await u.fetch(ctx, undefined);
      const records = await collect(u.parse(ctx));
      assert.equal(records.length, 6);
      for (const r of records) {
        assert.deepEqual(r.distribution, scanned);
        assert.equal(r.updater, updater);
      }
    }
  });

  it('fail with a catalogued error naming the URL and status on a 500', async () => {
    const s = await startFeedServer({ '/security.json': { body: '{}', failFirst: [500] } });
    try {
      const [u] = await chainguardFactory.create(setContext({ url: `${s.url}security.json` }));
      assert.ok(u);
      await assert.rejects(u.fetch(ctx, undefined), (err: unknown) => isClairError(err, 'UPDATER_FETCH') && err.message === `chainguard-updater: unexpected status requesting ${s.url}security.json: 500 Internal Server Error`);
    } finally {
      await s.close();
    }
  });

  it('reject invalid configuration', async () => {
    await assert.rejects(wolfiFactory.create(setContext({ url: 'not a url' })), (err: unknown) => isClairError(err, 'CONFIG_INVALID') && /updaters\.config\.wolfi\.url: not an absolute URL/.test(err.message));
    assert.deepEqual(chainguardFactory.checkConfig({ uri: 'https://x/' }), [{ path: 'updaters.config.chainguard.uri', message: 'unknown key, ignored (known: url)' }]);
  });
});
