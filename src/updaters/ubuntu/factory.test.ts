import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpClient } from '../../lib/http-client.js';
import { isClairError } from '../../lib/errors.js';
import { quietLogger } from '../../test-support/config.js';
import { startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import type { SetContext } from '../updater.js';
import { ubuntuSetFactory, UbuntuUpdater } from './index.js';

const TESTDATA = fileURLToPath(new URL('./testdata/', import.meta.url));

function setContext(config: unknown, log = quietLogger()): SetContext {
  return { http: createHttpClient({ timeoutMs: 10_000 }), signal: AbortSignal.timeout(30_000), log, config };
}

describe('ubuntu set factory', { timeout: 60_000 }, () => {
  let s: FeedServer;
  let bz2: Buffer;
  const config = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ url: `${s.url}1.0/`, oval_url: `${s.url}oval`, ...extra });
  const built = async (extra: Record<string, unknown> = {}): Promise<Array<[string, string, string]>> => {
    const updaters = (await ubuntuSetFactory.create(setContext(config(extra)))) as UbuntuUpdater[];
    return updaters.map((u) => [u.name, u.release.versionId, u.url.slice(s.url.length)]);
  };

  before(async () => {
    bz2 = await readFile(join(TESTDATA, 'com.ubuntu.jammy.cve.oval.xml.bz2'));
    s = await startFeedServer({
      '/1.0/ubuntu/series': { body: await readFile(join(TESTDATA, 'series.json')), contentType: 'application/json' },
      '/oval/com.ubuntu.jammy.cve.oval.xml.bz2': { body: bz2 },
      // noble: only the uncompressed document.
      '/oval/com.ubuntu.noble.cve.oval.xml': { body: '<oval_definitions/>' },
      // focal: the server names where the bytes really are.
      '/oval/com.ubuntu.focal.cve.oval.xml.bz2': { body: bz2, headers: { 'content-location': 'archive/com.ubuntu.focal.cve.oval.xml.bz2' } },
      // mantic is inactive: it has data but is only used when asked for.
      '/oval/com.ubuntu.mantic.cve.oval.xml.bz2': { body: bz2 },
      '/oval/com.ubuntu.xenial.cve.oval.xml.bz2': { body: bz2 },
    });
  });
  after(() => s.close());

  it('is the persisted set name ubuntu', () => {
    assert.equal(ubuntuSetFactory.name, 'ubuntu');
  });

  it('builds ubuntu/updater/<codename> for each active series with an OVAL document, version ids from Launchpad', async () => {
    s.requests.length = 0;
    assert.deepEqual(await built(), [
      ['ubuntu/updater/noble', '24.04', 'oval/com.ubuntu.noble.cve.oval.xml'],
      ['ubuntu/updater/jammy', '22.04', 'oval/com.ubuntu.jammy.cve.oval.xml.bz2'],
      ['ubuntu/updater/focal', '20.04', 'oval/archive/com.ubuntu.focal.cve.oval.xml.bz2'],
    ]);
    const heads = s.requests.filter((r) => r.method === 'HEAD').map((r) => r.path).sort();
    assert.deepEqual(heads, [
      '/oval/com.ubuntu.focal.cve.oval.xml.bz2',
      '/oval/com.ubuntu.jammy.cve.oval.xml.bz2',
      '/oval/com.ubuntu.noble.cve.oval.xml',
      '/oval/com.ubuntu.noble.cve.oval.xml.bz2',
      '/oval/com.ubuntu.oracular.cve.oval.xml',
      '/oval/com.ubuntu.oracular.cve.oval.xml.bz2',
    ], 'inactive series are never probed; oracular has no OVAL and is skipped');
    assert.equal(s.requests.find((r) => r.path === '/1.0/ubuntu/series')?.headers.accept, 'application/json');
  });

  it('limits to the configured releases (active or not) and adds forced ones', async () => {
    const warnings: unknown[] = [];
    const log = Object.assign(quietLogger(), { warn: (o: unknown) => warnings.push(o) });
    const updaters = (await ubuntuSetFactory.create(setContext(config({ releases: ['mantic', 'jammy', 'lunar'], force: [{ name: 'xenial', version: '16.04' }] }), log))) as UbuntuUpdater[];
    assert.deepEqual(updaters.map((u) => [u.name, u.release.versionId]), [
      ['ubuntu/updater/mantic', '23.10'],
      ['ubuntu/updater/jammy', '22.04'],
      ['ubuntu/updater/xenial', '16.04'],
    ]);
    assert.deepEqual(warnings, [{ releases: ['lunar'] }]);
  });

  it('adds forced releases even when Launchpad lists none (url and name as claircore: <url><name>/series)', async () => {
    s.routes.set('/1.0/empty/series', { body: JSON.stringify({ entries: [] }), contentType: 'application/json' });
    s.requests.length = 0;
    assert.deepEqual(await built({ name: 'empty', force: [{ name: 'xenial', version: '16.04' }] }), [['ubuntu/updater/xenial', '16.04', 'oval/com.ubuntu.xenial.cve.oval.xml.bz2']]);
    assert.deepEqual(s.requests.filter((r) => r.path.startsWith('/1.0/')).map((r) => r.path), ['/1.0/empty/series']);
  });

  it('follows the series collection’s next_collection_link', async () => {
    const page1 = JSON.parse(await readFile(join(TESTDATA, 'series.json'), 'utf8')) as { entries: unknown[]; next_collection_link?: string };
    const page2 = { ...page1, start: 3, entries: page1.entries.slice(3) };
    page1.entries = page1.entries.slice(0, 3);
    page1.next_collection_link = `${s.url}1.0/ubuntu/series-page-2?ws.size=3&memo=3&ws.start=3`;
    s.routes.set('/1.0/paged/series', { body: JSON.stringify(page1) });
    s.routes.set('/1.0/ubuntu/series-page-2', { body: JSON.stringify(page2) });
    assert.deepEqual((await built({ name: 'paged' })).map(([name]) => name), ['ubuntu/updater/noble', 'ubuntu/updater/jammy', 'ubuntu/updater/focal']);
  });

  it('fails the set with a catalogued error when Launchpad answers 500', async () => {
    s.routes.get('/1.0/ubuntu/series')!.failFirst = [500];
    await assert.rejects(ubuntuSetFactory.create(setContext(config())), (err: unknown) => {
      assert.ok(isClairError(err, 'UPDATER_FETCH'), String(err));
      assert.match((err as Error).message, new RegExp(`ubuntu: unexpected status requesting ${s.url}1.0/ubuntu/series: 500`));
      return true;
    });
  });

  it('fails the set when the series list is not JSON', async () => {
    s.routes.set('/1.0/bad/series', { body: '<html>maintenance</html>' });
    await assert.rejects(ubuntuSetFactory.create(setContext(config({ name: 'bad' }))), /ubuntu: series list .* is not JSON/);
  });

  it('rejects bad config, naming the key', async () => {
    await assert.rejects(ubuntuSetFactory.create(setContext({ releases: 'jammy' })), /updaters\.config\.ubuntu\.releases: must be a list, got string/);
    await assert.rejects(ubuntuSetFactory.create(setContext({ force: [{ name: 'jammy' }] })), /updaters\.config\.ubuntu\.force\[0\]\.version: "" is not a version/);
    await assert.rejects(ubuntuSetFactory.create(setContext({ oval_url: 'file:///x' })), /updaters\.config\.ubuntu\.oval_url: must be an http\(s\) URL/);
  });
});
