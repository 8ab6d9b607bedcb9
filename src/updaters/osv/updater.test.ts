import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isClairError } from '../../lib/errors.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { createOsvFactory, wantedEcosystems } from './factory.js';
import { GHSA_NPM, GO_VULN, PYSEC, PYSEC_GIT_ONLY, PYSEC_NO_AFFECTED, PYSEC_WITHDRAWN, zipOf } from './fixtures.case.js';
import { OsvUpdater } from './updater.js';
import { setContext, updaterContext } from './test-helpers.case.js';

const ECOSYSTEMS = 'PyPI\nnpm\nGo\nDebian\nAlpine\nUbuntu:22.04:LTS\nLinux\nRed Hat\n\n';

describe('osv updater set', () => {
  let server: FeedServer;
  before(async () => {
    server = await startFeedServer({
      '/ecosystems.txt': { body: ECOSYSTEMS, contentType: 'text/plain' },
      '/PyPI/all.zip': { body: zipOf([PYSEC, PYSEC_WITHDRAWN, PYSEC_GIT_ONLY, PYSEC_NO_AFFECTED]) },
      '/npm/all.zip': { body: zipOf([GHSA_NPM]) },
      '/Go/all.zip': { body: zipOf([GO_VULN]) },
    });
  });
  after(() => server.close());

  it('lists wanted ecosystems, ignoring distributions and versioned names', () => {
    assert.deepEqual(wantedEcosystems(ECOSYSTEMS), ['PyPI', 'npm', 'Go']);
    assert.deepEqual(wantedEcosystems(ECOSYSTEMS, new Set(['pypi', 'debian'])), ['PyPI']);
  });

  it('builds one osv/<eco> updater per wanted ecosystem, honouring the allow-list', async () => {
    const factory = createOsvFactory();
    const all = await factory.create(setContext({ url: server.url }));
    assert.deepEqual(all.map((u) => u.name), ['osv/pypi', 'osv/npm', 'osv/go']);
    // The second discovery is conditional on the ETag.
    const again = await factory.create(setContext({ url: server.url }));
    assert.deepEqual(again.map((u) => u.name), ['osv/pypi', 'osv/npm', 'osv/go']);
    const lists = server.requests.filter((r) => r.path === '/ecosystems.txt');
    assert.ok(lists.at(-1)?.headers['if-none-match']);
    const some = await createOsvFactory().create(setContext({ url: server.url, ecosystems: ['PyPI', 'go'] }));
    assert.deepEqual(some.map((u) => u.name), ['osv/pypi', 'osv/go']);
  });

  it('fetches and parses a bundle into exact records; unchanged on the next fetch', async () => {
    const ctx = await updaterContext();
    try {
      const u = new OsvUpdater('PyPI', server.url);
      const out = await u.fetch(ctx, undefined);
      assert.equal(out.unchanged, false);
      const records = await collect(u.parse(ctx));
      assert.deepEqual(records.map((r) => [r.updater, r.name, r.package.name, r.fixedInVersion, r.range]), [
        ['osv/pypi', 'PYSEC-2099-1', 'foo-bar-baz', 'fixed=1.2.3', undefined],
        ['osv/pypi', 'PYSEC-2099-1', 'foo-bar-baz', 'introduced=2.0&lastAffected=2.1', undefined],
      ]);
      assert.ok(!out.unchanged);
      assert.deepEqual(await u.fetch(ctx, out.fingerprint), { unchanged: true });
    } finally {
      await ctx.cleanup();
    }
  });

  it('parses npm and Go bundles', async () => {
    const ctx = await updaterContext();
    try {
      const npm = new OsvUpdater('npm', server.url);
      await npm.fetch(ctx, undefined);
      const n = await collect(npm.parse(ctx));
      assert.deepEqual(n.map((r) => [r.updater, r.package.name, r.range?.upper]), [['osv/npm', 'minimist', [0, 1, 2, 6, 0, 0, 0, 0, 0, 0]], ['osv/npm', 'minimist', [0, 9, 9, 9, 0, 0, 0, 0, 0, 0]]]);
      const go = new OsvUpdater('Go', server.url);
      await go.fetch(ctx, undefined);
      const g = await collect(go.parse(ctx));
      assert.deepEqual(g.map((r) => [r.updater, r.package.name, r.fixedInVersion, r.repository?.uri]), [
        ['osv/go', 'golang.org/x/text', '0.3.8', 'https://pkg.go.dev/'],
        ['osv/go', 'golang.org/x/text', '', 'https://pkg.go.dev/'],
      ]);
    } finally {
      await ctx.cleanup();
    }
  });

  it('closes the archive when the consumer stops early', async () => {
    const ctx = await updaterContext();
    try {
      const u = new OsvUpdater('PyPI', server.url);
      await u.fetch(ctx, undefined);
      for await (const rec of u.parse(ctx)) {
        assert.equal(rec.name, 'PYSEC-2099-1');
        break;
      }
      assert.equal((await collect(u.parse(ctx))).length, 2);
    } finally {
      await ctx.cleanup();
    }
  });

  it('reports a 500 as a catalogued UPDATER_FETCH error (bundle and ecosystems.txt)', async () => {
    const s = await startFeedServer({
      '/ecosystems.txt': { body: 'PyPI\n', failFirst: [500] },
      '/PyPI/all.zip': { body: zipOf([PYSEC]), failFirst: [500] },
    });
    const ctx = await updaterContext();
    try {
      await assert.rejects(new OsvUpdater('PyPI', s.url).fetch(ctx, undefined), (err) => isClairError(err, 'UPDATER_FETCH') && /500/.test((err as Error).message));
      await assert.rejects(createOsvFactory().create(setContext({ url: s.url })), (err) => isClairError(err, 'UPDATER_FETCH'));
    } finally {
      await ctx.cleanup();
      await s.close();
    }
  });

  it('rejects a body cut short, and a truncated archive on parse, without hanging', async () => {
    const zip = zipOf([PYSEC, GO_VULN]);
    const s = await startFeedServer({ '/PyPI/all.zip': { body: zip, truncateAt: Math.floor(zip.length / 2) } });
    const ctx = await updaterContext();
    try {
      const u = new OsvUpdater('PyPI', s.url);
      await assert.rejects(u.fetch(ctx, undefined), (err) => isClairError(err, 'UPDATER_FETCH'));
      // A complete download of a damaged archive fails in parse.
      await writeFile(join(ctx.dir, 'all.zip'), zip.subarray(0, zip.length - 30));
      await assert.rejects(collect(u.parse(ctx)), (err) => isClairError(err, 'UPDATER_PARSE'));
      // Invalid JSON in a member.
      const { buildZip } = await import('../../test-support/jar-builder.js');
      await writeFile(join(ctx.dir, 'all.zip'), buildZip([{ name: 'X-1.json', content: '{"id": ' }]));
      await assert.rejects(collect(u.parse(ctx)), (err) => isClairError(err, 'UPDATER_PARSE') && /X-1\.json/.test((err as Error).message));
    } finally {
      await ctx.cleanup();
      await s.close();
    }
  });
});
