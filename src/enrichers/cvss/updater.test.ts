import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { isClairError } from '../../lib/errors.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { cvss3Data, feedYears, nvdCve, nvdFeed, nvdMeta, nvdRoutes } from '../../test-support/enrichment-feeds.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { CvssUpdater, DEFAULT_CVSS_FEED_ROOT, parseCvssConfig } from './updater.js';
import { cvssSetFactory } from './index.js';

const V30 = cvss3Data('CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:C/C:N/I:H/A:N', 6.5, 'MEDIUM');
const V31 = cvss3Data('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 'HIGH');
const V31_CNA = cvss3Data('CVSS:3.1/AV:L/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N', 4.6, 'MEDIUM');
const V40 = { version: '4.0', vectorString: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', baseScore: 7.7, baseSeverity: 'HIGH' };

/** 2016: one CVE per rule of which score is chosen. */
const FEED_2016 = nvdFeed([
  nvdCve({ id: 'CVE-2016-2781', status: 'Deferred', metrics: { cvssMetricV31: [{ type: 'Secondary', cvssData: V31_CNA }], cvssMetricV30: [{ type: 'Primary', cvssData: V30 }], cvssMetricV2: [{ type: 'Primary', cvssData: { version: '2.0', vectorString: 'AV:L/AC:L/Au:N/C:N/I:P/A:N', baseScore: 2.1 } }] } }),
  nvdCve({ id: 'CVE-2016-3197', status: 'Rejected', metrics: { cvssMetricV31: [{ type: 'Primary', cvssData: V31 }] } }),
  nvdCve({ id: 'CVE-2016-3674', metrics: { cvssMetricV30: [{ type: 'Primary', cvssData: V30 }], cvssMetricV31: [{ type: 'Primary', cvssData: V31 }] } }),
  nvdCve({ id: 'CVE-2016-5000', status: 'Awaiting Analysis', metrics: { cvssMetricV31: [{ type: 'Secondary', cvssData: V31_CNA }] } }),
  nvdCve({ id: 'CVE-2016-5001', metrics: { cvssMetricV2: [{ type: 'Primary', cvssData: { version: '2.0', vectorString: 'AV:N/AC:L/Au:N/C:N/I:N/A:C', baseScore: 7.8 } }] } }),
  nvdCve({ id: 'CVE-2016-5002', metrics: { cvssMetricV40: [{ type: 'Primary', cvssData: V40 }] } }),
  nvdCve({ id: 'CVE-2016-5003', metrics: { cvssMetricV31: [{ type: 'Primary', cvssData: { ...V31, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N' } }] } }),
  nvdCve({ id: 'CVE-2016-5004', metrics: { cvssMetricV31: [{ type: 'Primary', cvssData: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' } }] } }),
  nvdCve({ id: 'CVE-2016-6000', metrics: { cvssMetricV31: [{ type: 'Primary', cvssData: V31 }] } }),
]);

/** The `modified` feed: a newer score for CVE-2016-6000, and CVE-2016-3674 since rejected. */
const MODIFIED = nvdFeed([
  nvdCve({ id: 'CVE-2016-6000', metrics: { cvssMetricV31: [{ type: 'Primary', cvssData: cvss3Data('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CRITICAL') }] } }),
  nvdCve({ id: 'CVE-2016-3674', status: 'Rejected' }),
]);

const EXPECTED = [
  { tags: ['CVE-2016-6000'], enrichment: cvss3Data('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CRITICAL') },
  { tags: ['CVE-2016-2781'], enrichment: V30 },
  { tags: ['CVE-2016-5002'], enrichment: V40 },
  { tags: ['CVE-2016-5004'], enrichment: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8, baseSeverity: 'CRITICAL' } },
];

describe('clair.cvss updater', () => {
  let feeds: FeedServer;
  const root = () => `${feeds.url}nvd/`;
  const updater = () => new CvssUpdater(parseCvssConfig({ feed_root: root() }).config);
  before(async () => {
    feeds = await startFeedServer(nvdRoutes({ 2016: FEED_2016, modified: MODIFIED }));
  });
  after(() => feeds.close());

  it('reads claircore\'s config: feed_root, which must end in a slash', () => {
    assert.deepEqual(parseCvssConfig(undefined), { config: { feedRoot: DEFAULT_CVSS_FEED_ROOT }, lints: [] });
    assert.deepEqual(parseCvssConfig({ feed_root: 'https://nvd.mirror.example/2.0/' }).config, { feedRoot: 'https://nvd.mirror.example/2.0/' });
    assert.throws(() => parseCvssConfig({ feed_root: 'https://nvd.mirror.example/2.0' }), (err) => isClairError(err, 'CONFIG_INVALID') && err.message === 'config: updaters.config.clair.cvss.feed_root: URL missing trailing slash: "https://nvd.mirror.example/2.0"');
    assert.throws(() => parseCvssConfig({ feed_root: 'file:///srv/nvd/' }), /feed_root: must be an http\(s\) URL/);
    assert.deepEqual(cvssSetFactory.checkConfig({ url: 'https://x/' }), [{ path: 'updaters.config.clair.cvss.url', message: 'unknown key, ignored (known: feed_root)' }]);
  });

  it('fingerprints every feed\'s sha256 as claircore does, the modified feed under "0", and streams each CVE\'s chosen score', async () => {
    const ctx = await updaterContext();
    try {
      const u = updater();
      const fetched = await u.fetch(ctx, undefined);
      assert.equal(fetched.unchanged, false);
      const fingerprint = JSON.parse((fetched as { fingerprint: string }).fingerprint) as Record<string, string>;
      assert.deepEqual(Object.keys(fingerprint), ['0', ...feedYears()]);
      assert.equal(fingerprint['2016'], nvdMeta(FEED_2016).match(/sha256:(\w+)/)![1]);
      assert.equal(fingerprint['0'], nvdMeta(MODIFIED).match(/sha256:(\w+)/)![1]);
      assert.deepEqual(await collect(u.parse(ctx)), EXPECTED);
    } finally {
      await ctx.cleanup();
    }
  });

  it('downloads nothing while no meta changed, and everything once one did', async () => {
    const ctx = await updaterContext();
    try {
      const first = (await updater().fetch(ctx, undefined)) as { fingerprint: string };
      const before = feeds.requests.length;
      assert.deepEqual(await updater().fetch(ctx, first.fingerprint), { unchanged: true });
      const asked = feeds.requests.slice(before).map((r) => r.path);
      assert.equal(asked.length, feedYears().length + 1);
      assert.ok(asked.every((p) => p.endsWith('.meta')), 'only the meta files');
      const stale = JSON.stringify({ ...JSON.parse(first.fingerprint), 2010: 'ABC' });
      const again = await updater().fetch(ctx, stale);
      assert.equal(again.unchanged, false);
      assert.equal((again as { fingerprint: string }).fingerprint, first.fingerprint);
      assert.equal((await updater().fetch(ctx, '{not json')).unchanged, false, 'an unreadable fingerprint means fetch everything');
    } finally {
      await ctx.cleanup();
    }
  });

  it('does without a modified feed the mirror lacks', async () => {
    const plain = await startFeedServer(nvdRoutes({ 2016: FEED_2016 }));
    const ctx = await updaterContext();
    try {
      const u = new CvssUpdater(parseCvssConfig({ feed_root: `${plain.url}nvd/` }).config);
      const fetched = (await u.fetch(ctx, undefined)) as { fingerprint: string };
      assert.ok(!('0' in JSON.parse(fetched.fingerprint)));
      const tags = (await collect(u.parse(ctx))).map((r) => r.tags[0]);
      assert.deepEqual(tags, ['CVE-2016-2781', 'CVE-2016-3674', 'CVE-2016-5002', 'CVE-2016-5004', 'CVE-2016-6000']);
    } finally {
      await ctx.cleanup();
      await plain.close();
    }
  });

  it('fails a run naming the URL when a feed answers 500 or breaks off, and a feed cut short fails the parse', async () => {
    const broken = await startFeedServer(nvdRoutes({ 2016: FEED_2016 }));
    const gz = `/nvd/nvdcve-2.0-2016.json.gz`;
    const ctx = await updaterContext();
    try {
      const u = new CvssUpdater(parseCvssConfig({ feed_root: `${broken.url}nvd/` }).config);
      broken.routes.set(gz, { ...broken.routes.get(gz)!, failFirst: [500] });
      await assert.rejects(u.fetch(ctx, undefined), (err) => isClairError(err, 'UPDATER_FETCH') && err.message === `clair.cvss: unexpected status requesting ${broken.url}nvd/nvdcve-2.0-2016.json.gz: 500 Internal Server Error`);
      broken.routes.set(gz, { ...broken.routes.get(gz)!, truncateAt: 100 });
      // Cut off after 100 bytes: undici fails the request or the body, depending on when the socket goes.
      await assert.rejects(u.fetch(ctx, undefined), (err) => isClairError(err, 'UPDATER_FETCH') && new RegExp(`^clair\\.cvss: (error requesting|download of) ${broken.url}nvd/nvdcve-2\\.0-2016\\.json\\.gz`).test(err.message));
      const cut = FEED_2016.slice(0, FEED_2016.length / 2);
      broken.routes.set(gz, { body: gzipSync(cut) });
      broken.routes.set('/nvd/nvdcve-2.0-2016.meta', { body: nvdMeta(cut) });
      await u.fetch(ctx, undefined);
      await assert.rejects(collect(u.parse(ctx)), (err) => isClairError(err, 'UPDATER_PARSE') && err.message.startsWith('clair.cvss: nvdcve-2.0-2016.json.gz: malformed NVD feed: '));
      broken.routes.set('/nvd/nvdcve-2.0-2003.meta', { body: 'lastModifiedDate:2025-08-07T03:01:41-04:00\nsize:12\n' });
      await assert.rejects(u.fetch(ctx, undefined), (err) => isClairError(err, 'UPDATER_PARSE') && err.message === `clair.cvss: malformed meta file ${broken.url}nvd/nvdcve-2.0-2003.meta: no sha256 line`);
    } finally {
      await ctx.cleanup();
      await broken.close();
    }
  });
});
