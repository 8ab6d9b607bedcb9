import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isClairError } from '../../lib/errors.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { kevCatalog } from '../../test-support/enrichment-feeds.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { DEFAULT_KEV_URL, KevUpdater, parseKevConfig } from './updater.js';

const CATALOG = kevCatalog([
  { cveID: 'CVE-2021-44228', dateAdded: '2021-12-10', dueDate: '2021-12-24', knownRansomwareCampaignUse: 'Known', requiredAction: 'For all affected software assets for which updates exist, the only acceptable remediation actions are: 1) Apply updates; OR 2) remove affected assets from agency networks.' },
  { cveID: 'CVE-2025-48384', dateAdded: '2025-08-25', dueDate: '2025-09-15' },
]);
const MODIFIED = new Date('2025-08-25T17:04:20Z');

describe('clair.kev updater', () => {
  let feeds: FeedServer;
  const updater = (path = '/kev.json') => new KevUpdater(parseKevConfig({ feed_root: `${feeds.url}${path.slice(1)}` }).config);
  before(async () => {
    feeds = await startFeedServer({ '/kev.json': { body: CATALOG, lastModified: MODIFIED, etag: null } });
  });
  after(() => feeds.close());

  it('reads claircore\'s config: feed_root, the catalog URL', () => {
    assert.deepEqual(parseKevConfig(undefined).config, { url: DEFAULT_KEV_URL });
    assert.deepEqual(parseKevConfig({ feed_root: 'https://kev.mirror.example/kev.json' }).config, { url: 'https://kev.mirror.example/kev.json' });
    assert.throws(() => parseKevConfig({ feed_root: 'kev.json' }), (err) => isClairError(err, 'CONFIG_INVALID') && err.message === 'config: updaters.config.clair.kev.feed_root: not an absolute URL: "kev.json"');
    assert.deepEqual(parseKevConfig({ feed: 'https://x/' }).lints, [{ path: 'updaters.config.clair.kev.feed', message: 'unknown key, ignored (known: feed_root)' }]);
  });

  it('streams claircore\'s entry for each catalog item, fingerprinted by Last-Modified', async () => {
    const ctx = await updaterContext();
    try {
      const u = updater();
      assert.deepEqual(await u.fetch(ctx, undefined), { unchanged: false, fingerprint: MODIFIED.toUTCString() });
      const records = await collect(u.parse(ctx));
      assert.deepEqual(records[0], {
        tags: ['CVE-2021-44228'],
        enrichment: {
          cve: 'CVE-2021-44228',
          vulnerability_name: 'Example Thing flaw CVE-2021-44228',
          catalog_version: '2025.08.25',
          date_added: '2021-12-10',
          short_description: 'Example Thing contains a flaw (CVE-2021-44228).',
          required_action: 'For all affected software assets for which updates exist, the only acceptable remediation actions are: 1) Apply updates; OR 2) remove affected assets from agency networks.',
          due_date: '2021-12-24',
          known_ransomware_campaign_use: 'Known',
        },
      });
      assert.deepEqual(Object.keys(records[1]!.enrichment as object), ['cve', 'vulnerability_name', 'catalog_version', 'date_added', 'short_description', 'required_action', 'due_date', 'known_ransomware_campaign_use'], 'claircore\'s field order');
      const before = feeds.requests.length;
      assert.deepEqual(await u.fetch(ctx, MODIFIED.toUTCString()), { unchanged: true });
      assert.equal(feeds.requests[before]!.headers['if-modified-since'], MODIFIED.toUTCString());
    } finally {
      await ctx.cleanup();
    }
  });

  it('fails clearly on a 500, a catalog cut short, one of the wrong shape, and one listing nothing', async () => {
    const ctx = await updaterContext();
    try {
      feeds.routes.set('/failing.json', { body: CATALOG, failFirst: [500] });
      await assert.rejects(updater('/failing.json').fetch(ctx, undefined), (err) => isClairError(err, 'UPDATER_FETCH') && err.message === `clair.kev: unexpected status requesting ${feeds.url}failing.json: 500 Internal Server Error`);
      const cases: Array<[string, string, RegExp]> = [
        ['/cut.json', CATALOG.slice(0, CATALOG.length - 40), /^clair\.kev: malformed KEV catalog: /],
        ['/shape.json', kevCatalog([{ cveID: 'CVE-1' }]).replace('"dueDate": "2025-01-23"', '"dueDate": 20250123'), /^clair\.kev: malformed KEV catalog: vulnerabilities\[0\]\.dueDate: expected a string$/],
        ['/nocve.json', kevCatalog([{ cveID: '' }]), /^clair\.kev: malformed KEV catalog: vulnerabilities\[0\]\.cveID: missing$/],
        ['/empty.json', kevCatalog([]), /^clair\.kev: malformed KEV catalog: no vulnerabilities listed$/],
        ['/html.json', '<html>maintenance</html>', /^clair\.kev: malformed KEV catalog: /],
      ];
      for (const [path, body, message] of cases) {
        feeds.routes.set(path, { body });
        const u = updater(path);
        await u.fetch(ctx, undefined);
        await assert.rejects(collect(u.parse(ctx)), (err) => isClairError(err, 'UPDATER_PARSE') && message.test(err.message), path);
      }
    } finally {
      await ctx.cleanup();
    }
  });
});
