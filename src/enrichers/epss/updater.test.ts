import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { isClairError } from '../../lib/errors.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { epssCsv } from '../../test-support/enrichment-feeds.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { defaultEpssUrl, EpssUpdater, parseEpssConfig } from './updater.js';
import { epssSetFactory } from './index.js';

const CSV = epssCsv([
  ['CVE-1999-0005', '0.91963', '0.99030'],
  ['CVE-2022-34667', '0.00073', '0.32799'],
  ['CVE-2024-0001', 'NaN?', '0.5'],
  ['CVE-2024-9986', '1.00000', '1.00000'],
], 'v2023.03.01', '2024-10-25T00:00:00+0000');

describe('clair.epss updater', () => {
  let feeds: FeedServer;
  const updater = (path = '/epss_scores-2024-10-25.csv.gz') => new EpssUpdater(parseEpssConfig({ url: `${feeds.url}${path.slice(1)}` }).config);
  before(async () => {
    feeds = await startFeedServer({ '/epss_scores-2024-10-25.csv.gz': { body: gzipSync(CSV), etag: '"epss-1"' } });
  });
  after(() => feeds.close());

  it('reads claircore\'s config: url, a .gz file; by default yesterday\'s file', () => {
    assert.equal(defaultEpssUrl(new Date('2025-03-01T01:00:00Z')), 'https://epss.cyentia.com/epss_scores-2025-02-28.csv.gz');
    assert.equal(new EpssUpdater(parseEpssConfig(undefined).config, { now: () => new Date('2025-01-01T12:00:00Z') }).url(), 'https://epss.cyentia.com/epss_scores-2024-12-31.csv.gz');
    assert.throws(() => parseEpssConfig({ url: 'https://epss.mirror.example/scores.csv' }), (err) => isClairError(err, 'CONFIG_INVALID') && err.message === 'config: updaters.config.clair.epss.url: expected a \'.gz\' file, got "https://epss.mirror.example/scores.csv"');
    assert.throws(() => epssSetFactory.checkConfig({ url: 7 }), /url: must be a string, got number/);
  });

  it('streams one record per row with the model version and date, skipping rows whose numbers are not numbers', async () => {
    const ctx = await updaterContext();
    try {
      const u = updater();
      assert.deepEqual(await u.fetch(ctx, undefined), { unchanged: false, fingerprint: '"epss-1"' });
      assert.deepEqual(await collect(u.parse(ctx)), [
        { tags: ['CVE-1999-0005'], enrichment: { modelVersion: 'v2023.03.01', date: '2024-10-25T00:00:00+0000', cve: 'CVE-1999-0005', epss: 0.91963, percentile: 0.9903 } },
        { tags: ['CVE-2022-34667'], enrichment: { modelVersion: 'v2023.03.01', date: '2024-10-25T00:00:00+0000', cve: 'CVE-2022-34667', epss: 0.00073, percentile: 0.32799 } },
        { tags: ['CVE-2024-9986'], enrichment: { modelVersion: 'v2023.03.01', date: '2024-10-25T00:00:00+0000', cve: 'CVE-2024-9986', epss: 1, percentile: 1 } },
      ]);
      // Go writes 0.99030 back as 0.9903 too: the JSON text is claircore's.
      assert.equal(JSON.stringify((await collect(u.parse(ctx)))[0]!.enrichment), '{"modelVersion":"v2023.03.01","date":"2024-10-25T00:00:00+0000","cve":"CVE-1999-0005","epss":0.91963,"percentile":0.9903}');
      const before = feeds.requests.length;
      assert.deepEqual(await u.fetch(ctx, '"epss-1"'), { unchanged: true });
      assert.equal(feeds.requests[before]!.headers['if-none-match'], '"epss-1"', 'asked conditionally');
    } finally {
      await ctx.cleanup();
    }
  });

  it('fails clearly on a 500, a file cut short, and a malformed file', async () => {
    const ctx = await updaterContext();
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['/truncated.csv.gz', gzipSync(CSV).subarray(0, 60), /^clair\.epss: unreadable EPSS file after line \d+: unexpected end of file$/],
      ['/header.csv.gz', gzipSync('#model_version:v1,score_date:2024-01-01\ncve,score,percentile\n'), /^clair\.epss: malformed EPSS file, line 2: unexpected CSV header "cve,score,percentile" \(want cve,epss,percentile\)$/],
      ['/meta.csv.gz', gzipSync('cve,epss,percentile\nCVE-1,0.1,0.2\n'), /^clair\.epss: malformed EPSS file, line 1: expected 2 metadata fields, got 3/],
      ['/fields.csv.gz', gzipSync(epssCsv([['CVE-1', '0.1', '0.2,9']])), /^clair\.epss: malformed EPSS file, line 3: expected 3 fields, got 4$/],
      ['/empty.csv.gz', gzipSync(''), /^clair\.epss: malformed EPSS file, line 1: empty file$/],
      ['/plain.csv.gz', Buffer.from(CSV), /^clair\.epss: unreadable EPSS file after line 0: incorrect header check$/],
    ];
    try {
      feeds.routes.set('/failing.csv.gz', { body: gzipSync(CSV), failFirst: [500] });
      await assert.rejects(updater('/failing.csv.gz').fetch(ctx, undefined), (err) => isClairError(err, 'UPDATER_FETCH') && err.message === `clair.epss: unexpected status requesting ${feeds.url}failing.csv.gz: 500 Internal Server Error`);
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
