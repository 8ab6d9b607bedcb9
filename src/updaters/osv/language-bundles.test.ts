/**
 * The Packagist, NuGet and crates.io bundles through the set factory and the
 * updater, served at OSV's bucket layout (`ecosystems.txt`, then
 * `<Ecosystem>/all.zip`; `crates.io` keeps its dot in the path).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { createOsvFactory } from './factory.js';
import { GHSA_CRATES, GHSA_NUGET, GHSA_PACKAGIST, zipOf } from './fixtures.case.js';
import { setContext, updaterContext } from './test-helpers.case.js';
import type { OsvUpdater } from './updater.js';

describe('osv Packagist, NuGet and crates.io bundles', () => {
  let server: FeedServer;
  before(async () => {
    server = await startFeedServer({
      '/ecosystems.txt': { body: 'Packagist\nNuGet\ncrates.io\nDebian:12\n', contentType: 'text/plain' },
      '/Packagist/all.zip': { body: zipOf([GHSA_PACKAGIST]), etag: '"p1"' },
      '/NuGet/all.zip': { body: zipOf([GHSA_NUGET]), etag: '"n1"' },
      '/crates.io/all.zip': { body: zipOf([GHSA_CRATES]), etag: '"c1"' },
    });
  });
  after(() => server.close());

  it('builds osv/packagist, osv/nuget and osv/crates.io, fetches each bundle and parses exact records', async () => {
    const updaters = (await createOsvFactory().create(setContext({ url: server.url }))) as OsvUpdater[];
    assert.deepEqual(updaters.map((u) => u.name), ['osv/packagist', 'osv/nuget', 'osv/crates.io']);
    const got: Record<string, unknown[]> = {};
    for (const u of updaters) {
      const ctx = await updaterContext();
      try {
        const out = await u.fetch(ctx, undefined);
        assert.equal(out.unchanged, false);
        got[u.name] = (await collect(u.parse(ctx))).map((r) => [r.package.name, r.repository?.name, r.fixedInVersion, r.range?.upper ?? null]);
      } finally {
        await ctx.cleanup();
      }
    }
    assert.deepEqual(got, {
      'osv/packagist': [
        ['symfony/http-kernel', 'packagist', 'introduced=2.0.0&fixed=4.4.50', null],
        ['symfony/http-kernel', 'packagist', 'introduced=5.0.0&fixed=5.4.20', null],
        ['symfony/http-kernel', 'packagist', 'introduced=6.0.0&fixed=6.0.20', null],
        ['symfony/http-kernel', 'packagist', 'introduced=6.1.0&fixed=6.1.12', null],
        ['symfony/http-kernel', 'packagist', 'introduced=6.2.0&fixed=6.2.6', null],
        ['symfony/symfony', 'packagist', 'introduced=6.2.0&fixed=6.2.6', null],
      ],
      'osv/nuget': [['newtonsoft.json', 'nuget', 'fixed=13.0.1', null]],
      'osv/crates.io': [['h2', 'crates.io', '0.4.4', [0, 0, 4, 4, 0, 0, 0, 0, 0, 0]]],
    });
    assert.deepEqual(
      server.requests.filter((r) => r.path.endsWith('/all.zip')).map((r) => r.path),
      ['/Packagist/all.zip', '/NuGet/all.zip', '/crates.io/all.zip'],
    );
  });

  it('honours an allow-list naming them in any case', async () => {
    const some = await createOsvFactory().create(setContext({ url: server.url, allowlist: ['nuget', 'PACKAGIST'] }));
    assert.deepEqual(some.map((u) => u.name), ['osv/packagist', 'osv/nuget']);
  });
});
