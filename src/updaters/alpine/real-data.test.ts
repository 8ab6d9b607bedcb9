/**
 * Real upstream data from the shared data directory (never copied into the
 * project): the Alpine secdb v3.3–v3.11 served at secdb.alpinelinux.org's
 * layout, claircore's truncated fixture, and vunnel's Wolfi and Chainguard
 * security.json fixtures. Skipped, with the reason, when the data is absent.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { VulnerabilityRecord } from '../../model/vulnerability-record.js';
import { collect, startFeedServer, type FeedRoute, type FeedServer } from '../../test-support/feed-server.js';
import type { Updater } from '../updater.js';
import { alpineUpdater, createAlpineFactory } from './factory.js';
import { SHARED_DATA, setContext, sharedDataSkip, updaterContext } from '../../test-support/updater-context.js';
import { chainguardFactory, wolfiFactory } from './wolfi.js';

const SECDB = join(SHARED_DATA, 'alpine', 'secdb');

/** secdb/ as the document root: files as themselves, directories as a bare 200 (README "Loopback layout"). */
function secdbRoutes(): Record<string, FeedRoute> {
  const routes: Record<string, FeedRoute> = {};
  for (const entry of readdirSync(SECDB, { recursive: true, encoding: 'utf8' })) {
    const path = join(SECDB, entry);
    routes[`/${entry}${statSync(path).isDirectory() ? '/' : ''}`] = statSync(path).isDirectory() ? { body: '' } : { body: { file: path } };
  }
  return routes;
}

/** Records per file, counted from the data (12,028 in all, as its README states). */
const COUNTS: Record<string, number> = {
  'alpine-main-v3.3-updater': 461, 'alpine-community-v3.3-updater': 0,
  'alpine-main-v3.4-updater': 672, 'alpine-community-v3.4-updater': 14,
  'alpine-main-v3.5-updater': 826, 'alpine-community-v3.5-updater': 102,
  'alpine-main-v3.6-updater': 898, 'alpine-community-v3.6-updater': 219,
  'alpine-main-v3.7-updater': 1078, 'alpine-community-v3.7-updater': 411,
  'alpine-main-v3.8-updater': 1139, 'alpine-community-v3.8-updater': 485,
  'alpine-main-v3.9-updater': 1121, 'alpine-community-v3.9-updater': 601,
  'alpine-main-v3.10-updater': 1182, 'alpine-community-v3.10-updater': 720,
  'alpine-main-v3.11-updater': 1204, 'alpine-community-v3.11-updater': 895,
};

const key = (r: VulnerabilityRecord): string => `${r.package.name} ${r.fixedInVersion} ${r.name}`;

describe('alpine updaters on the real secdb (v3.3–v3.11)', { skip: sharedDataSkip('alpine/secdb/last-update') }, async () => {
  let server: FeedServer;
  let updaters: Updater[] = [];
  const byUpdater = new Map<string, VulnerabilityRecord[]>();
  const ctx = await updaterContext();
  before(async () => {
    server = await startFeedServer(secdbRoutes());
    updaters = await createAlpineFactory().create(setContext({ url: server.url }));
    for (const u of updaters) {
      const fetched = await u.fetch(ctx, undefined);
      assert.equal(fetched.unchanged, false);
      byUpdater.set(u.name, await collect(u.parse(ctx)));
    }
  });
  after(async () => {
    await server.close();
    await ctx.cleanup();
  });

  it('discovers every release and repository, stopping at the first missing release', () => {
    assert.deepEqual(updaters.map((u) => u.name).sort(), Object.keys(COUNTS).sort());
    const probes = server.requests.filter((r) => r.method === 'HEAD' && r.path.endsWith('/')).map((r) => r.path);
    assert.deepEqual(probes, ['/v3.3/', '/v3.4/', '/v3.5/', '/v3.6/', '/v3.7/', '/v3.8/', '/v3.9/', '/v3.10/', '/v3.11/', '/v3.12/', '/v4.0/']);
  });

  it('yields the expected number of records per file', () => {
    assert.deepEqual(Object.fromEntries([...byUpdater].map(([name, records]) => [name, records.length])), COUNTS);
    assert.equal([...byUpdater.values()].reduce((n, rs) => n + rs.length, 0), 12_028);
  });

  it('contains known (package, fixed version, id) records with the release distribution', () => {
    const v311 = byUpdater.get('alpine-main-v3.11-updater') ?? [];
    const ansible = v311.find((r) => key(r) === 'ansible 2.9.3-r0 CVE-2019-14904');
    assert.deepEqual(ansible, {
      updater: 'alpine-main-v3.11-updater',
      name: 'CVE-2019-14904',
      description: '',
      links: 'https://security.alpinelinux.org/vuln/CVE-2019-14904',
      severity: '',
      normalizedSeverity: 'Unknown',
      package: { name: 'ansible', version: '', module: '', arch: '', kind: 'source' },
      distribution: { did: 'alpine', name: 'Alpine Linux', version: '3.11', versionCodeName: '', versionId: '', arch: '', cpe: '', prettyName: 'Alpine Linux v3.11' },
      fixedInVersion: '2.9.3-r0',
      archOp: '',
    });
    const keys = (name: string): Set<string> => new Set((byUpdater.get(name) ?? []).map(key));
    // "0": never affected, kept for the matcher to read as not vulnerable.
    assert.ok(keys('alpine-main-v3.8-updater').has('db 0 CVE-2016-0682'));
    // Annotated ids are kept verbatim, as claircore does.
    assert.ok(keys('alpine-main-v3.10-updater').has('sdl2_image 2.0.5-r0 CVE-2019-5060 TALOS-2019-0844'));
    assert.ok(keys('alpine-main-v3.3-updater').has('xen 4.6.3-r4 CVE-2016-9932 XSA-200'));
    assert.ok(keys('alpine-main-v3.9-updater').has('ansible 2.7.3-r0 CVE 2018-16859'));
    // heimdal 7.4.0-r0 lists no ids ("" in this conversion): no record, no error.
    assert.ok(![...keys('alpine-main-v3.6-updater')].some((k) => k.startsWith('heimdal 7.4.0-r0 ')));
    for (const [name, records] of byUpdater) {
      const release = name.replace(/^alpine-(main|community)-v/, '').replace(/-updater$/, '');
      for (const r of records) assert.equal(r.distribution?.prettyName, `Alpine Linux v${release}`);
    }
  });

  it('reports every file unchanged on a second fetch with its fingerprint', async () => {
    for (const u of updaters.slice(0, 4)) {
      const first = await u.fetch(ctx, undefined);
      assert.ok(!first.unchanged);
      assert.deepEqual(await u.fetch(ctx, first.fingerprint), { unchanged: true });
    }
  });
});

describe('alpine updater on claircore’s truncated v3.10 community fixture', { skip: sharedDataSkip('alpine/claircore-fixture-v3.10-community-truncated.json') }, () => {
  it('yields the records claircore’s parser test expects', async () => {
    const server = await startFeedServer({ '/v3.10/community.json': { body: { file: join(SHARED_DATA, 'alpine', 'claircore-fixture-v3.10-community-truncated.json') } } });
    const ctx = await updaterContext();
    try {
      const u = alpineUpdater(server.url, { kind: 'stable', major: 3, minor: 10 }, 'community');
      await u.fetch(ctx, undefined);
      const records = await collect(u.parse(ctx));
      assert.deepEqual(records.map(key).sort(), [
        'botan 2.5.0-r0 CVE-2018-9127',
        'botan 2.6.0-r0 CVE-2018-9860',
        'botan 2.7.0-r0 CVE-2018-12435',
        'botan 2.9.0-r0 CVE-2018-20187',
        'cfengine 3.12.2-r0 CVE-2019-9929',
        'chicken 4.11.1-r0 CVE-2016-6830',
        'chicken 4.11.1-r0 CVE-2016-6831',
        'chicken 4.12.0-r2 CVE-2017-9334',
        'chicken 4.12.0-r3 CVE-2017-6949',
      ]);
      for (const r of records) {
        assert.equal(r.updater, 'alpine-community-v3.10-updater');
        assert.equal(r.package.kind, 'source');
      }
    } finally {
      await server.close();
      await ctx.cleanup();
    }
  });
});

describe('wolfi and chainguard updaters on vunnel’s security.json fixtures', { skip: sharedDataSkip('wolfi/vunnel-fixture-security.json') }, () => {
  for (const [factory, file, expected, updater, did] of [
    [wolfiFactory, 'vunnel-fixture-security.json', 59, 'wolfi-updater', 'wolfi'],
    [chainguardFactory, 'vunnel-fixture-chainguard-security.json', 197, 'chainguard-updater', 'chainguard'],
  ] as const) {
    it(`${updater} yields ${expected} records, keeping "0" fixes`, async () => {
      const server = await startFeedServer({ '/security.json': { body: { file: join(SHARED_DATA, 'wolfi', file) } } });
      const ctx = await updaterContext();
      try {
        const [u] = await factory.create(setContext({ url: `${server.url}security.json` }));
        assert.ok(u);
        await u.fetch(ctx, undefined);
        const records = await collect(u.parse(ctx));
        assert.equal(records.length, expected);
        const keys = new Set(records.map(key));
        assert.ok(keys.has('coreutils 0 CVE-2016-2781'));
        if (did === 'wolfi') assert.ok(keys.has('busybox 1.35.0-r3 CVE-2022-30065'));
        else assert.ok(keys.has('bind 9.18.10-r0 CVE-2022-2795'));
        for (const r of records) {
          assert.equal(r.updater, updater);
          assert.equal(r.distribution?.did, did);
        }
      } finally {
        await server.close();
        await ctx.cleanup();
      }
    });
  }
});
