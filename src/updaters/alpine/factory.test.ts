import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isClairError } from '../../lib/errors.js';
import { alpineFromOsRelease } from '../../scanners/alpine/distribution-scanner.js';
import { collect, startFeedServer, type FeedRoute, type FeedServer } from '../../test-support/feed-server.js';
import type { Updater } from '../updater.js';
import { createAlpineFactory, type AlpineUpdater } from './factory.js';
import { setContext, updaterContext } from '../../test-support/updater-context.js';

const testdata = (name: string): string => fileURLToPath(new URL(`testdata/${name}`, import.meta.url));
const json = (name: string): FeedRoute => ({ body: { file: testdata(name) }, contentType: 'application/json' });

/** A secdb layout: v3.3 (main), v3.4 (main, community), edge (main); v3.5/ and v4.0/ absent. */
function layout(prefix = ''): Record<string, FeedRoute> {
  return {
    [`${prefix}/last-update`]: { body: '1655237270\n' },
    [`${prefix}/v3.3/`]: { body: '' },
    [`${prefix}/v3.4/`]: { body: '' },
    [`${prefix}/v3.3/main.json`]: json('v3.17-main.json'),
    [`${prefix}/v3.4/main.json`]: json('v3.17-main.json'),
    [`${prefix}/v3.4/community.json`]: json('v3.17-community.json'),
    [`${prefix}/edge/main.json`]: json('edge-main.json'),
  };
}

const names = (us: Updater[]): string[] => us.map((u) => u.name);
const DISCOVERED = ['alpine-main-v3.3-updater', 'alpine-main-v3.4-updater', 'alpine-community-v3.4-updater', 'alpine-main-edge-updater'];

describe('alpine set factory', () => {
  const servers: FeedServer[] = [];
  const serve = async (routes: Record<string, FeedRoute>): Promise<FeedServer> => {
    const s = await startFeedServer(routes);
    servers.push(s);
    return s;
  };
  after(async () => {
    for (const s of servers) await s.close();
  });

  it('discovers releases by probing until a 404, plus edge, keeping only repositories that exist', async () => {
    const s = await serve(layout());
    const updaters = await createAlpineFactory().create(setContext({ url: s.url }));
    assert.deepEqual(names(updaters), DISCOVERED);
    assert.deepEqual(
      s.requests.map((r) => `${r.method} ${r.path}`),
      [
        'GET /last-update',
        'HEAD /v3.3/',
        'HEAD /v3.4/',
        'HEAD /v3.5/', // 404: on to the next major
        'HEAD /v4.0/', // 404 on a major's first minor: discovery stops
        'HEAD /v3.3/main.json',
        'HEAD /v3.3/community.json',
        'HEAD /v3.4/main.json',
        'HEAD /v3.4/community.json',
        'HEAD /edge/main.json',
        'HEAD /edge/community.json',
      ],
    );
  });

  it('reuses the previous set while last-update is unchanged (304, or the same body), and re-probes when it changes', async () => {
    const s = await serve(layout());
    const factory = createAlpineFactory();
    const ctx = setContext({ url: s.url });
    await factory.create(ctx);
    const afterFirst = s.requests.length;

    assert.deepEqual(names(await factory.create(ctx)), DISCOVERED);
    assert.equal(s.requests.length, afterFirst + 1);
    assert.ok(s.requests.at(-1)?.headers['if-none-match'], 'last-update is requested conditionally');

    // Same stamp under a new ETag: still nothing to probe.
    s.routes.set('/last-update', { body: '1655237270\n', etag: '"rotated"' });
    assert.deepEqual(names(await factory.create(ctx)), DISCOVERED);
    assert.equal(s.requests.length, afterFirst + 2);

    s.routes.set('/last-update', { body: '1700000000\n' });
    s.routes.set('/v3.5/', { body: '' });
    s.routes.set('/v3.5/community.json', json('v3.17-community.json'));
    assert.deepEqual(names(await factory.create(ctx)), [...DISCOVERED.slice(0, 3), 'alpine-community-v3.5-updater', 'alpine-main-edge-updater']);
  });

  it('accepts a base URL without the trailing slash', async () => {
    const s = await serve(layout('/secdb'));
    assert.deepEqual(names(await createAlpineFactory().create(setContext({ url: `${s.url}secdb` }))), DISCOVERED);
  });

  it('uses configured releases and repos as is, without any request', async () => {
    const s = await serve({});
    const updaters = await createAlpineFactory().create(setContext({ url: s.url, releases: ['v3.17', '3.18', 'edge'], repos: ['main'] }));
    assert.deepEqual(names(updaters), ['alpine-main-v3.17-updater', 'alpine-main-v3.18-updater', 'alpine-main-edge-updater']);
    assert.equal(s.requests.length, 0);
  });

  it('builds updaters whose records carry the distribution the scanner reports (edge included)', async () => {
    const s = await serve(layout());
    const updaters = await createAlpineFactory().create(setContext({ url: s.url }));
    const edge = updaters.find((u) => u.name === 'alpine-main-edge-updater');
    assert.ok(edge);
    const ctx = await updaterContext();
    try {
      assert.equal((await edge.fetch(ctx, undefined)).unchanged, false);
      const records = await collect(edge.parse(ctx));
      assert.deepEqual(records.map((r) => [r.package.name, r.name, r.fixedInVersion]), [['curl', 'CVE-2023-38545', '8.4.0-r0'], ['curl', 'CVE-2023-38546', '8.4.0-r0']]);
      const scanned = alpineFromOsRelease(new Map([['ID', 'alpine'], ['NAME', 'Alpine Linux'], ['VERSION_ID', '3.19_alpha20230901'], ['PRETTY_NAME', 'Alpine Linux edge']]));
      assert.deepEqual(records[0]?.distribution, scanned);
    } finally {
      await ctx.cleanup();
    }
  });

  it('fails with a catalogued error naming the URL and status when last-update answers 500', async () => {
    const s = await serve({ ...layout(), '/last-update': { body: 'x', failFirst: [500] } });
    await assert.rejects(createAlpineFactory().create(setContext({ url: s.url })), (err: unknown) => {
      assert.ok(isClairError(err, 'UPDATER_FETCH'));
      assert.equal(err.message, `alpine: unexpected status requesting ${s.url}last-update: 500 Internal Server Error`);
      return true;
    });
  });

  it('fails on an unexpected probe status instead of probing on forever', async () => {
    const s = await serve({ ...layout(), '/v3.4/': { body: '', failFirst: [503] } });
    await assert.rejects(createAlpineFactory().create(setContext({ url: s.url })), (err: unknown) => isClairError(err, 'UPDATER_FETCH') && err.message === `alpine: unexpected status probing ${s.url}v3.4/: 503`);
  });

  it('rejects invalid configuration', async () => {
    const factory = createAlpineFactory();
    await assert.rejects(factory.create(setContext({ url: 'ftp://x/' })), (err: unknown) => isClairError(err, 'CONFIG_INVALID') && /updaters\.config\.alpine\.url/.test(err.message));
    await assert.rejects(factory.create(setContext({ releases: ['3'] })), /updaters\.config\.alpine\.releases\[0\]: not a release: "3"/);
    await assert.rejects(factory.create(setContext('https://x/')), (err: unknown) => isClairError(err, 'CONFIG_INVALID') && err.message === 'config: updaters.config.alpine: must be a mapping, got string');
    assert.deepEqual(factory.checkConfig({ repo: ['main'] }), [{ path: 'updaters.config.alpine.repo', message: 'unknown key, ignored (known: url, releases, repos)' }], 'an unknown key is a lint, as claircore ignores it');
  });

  it('lets an updater block replace the discovered URL (claircore UpdaterConfig.url)', async () => {
    const s = await serve(layout());
    const [first] = await createAlpineFactory().create(setContext({ url: s.url }));
    const u = first as AlpineUpdater;
    assert.equal(u.url, `${s.url}v3.3/main.json`);
    assert.deepEqual(u.configure({ url: `${s.url}edge/main.json` }), []);
    assert.equal(u.url, `${s.url}edge/main.json`);
    assert.deepEqual(u.configure({ url: '' }), [], 'empty is the default, as Go\'s zero value');
    assert.equal(u.url, `${s.url}v3.3/main.json`);
    assert.throws(() => u.configure({ url: 5 }), (err: unknown) => isClairError(err, 'CONFIG_INVALID') && err.message === 'config: updaters.config.alpine-main-v3.3-updater.url: must be a string, got number');
  });
});
