/**
 * Streaming behaviour on feeds far larger than the fixtures: parse must hold
 * one source package at a time, never the document, and a download cut
 * short mid-body must reject rather than hang or pass a partial file on.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isClairError } from '../../lib/errors.js';
import { startFeedServer } from '../../test-support/feed-server.js';
import { testContext, treeRoutes } from '../../test-support/dpkg-feeds.js';
import { fileURLToPath } from 'node:url';
import { debianConfig } from './config.js';
import { writeSyntheticTracker } from '../../test-support/debian-tracker.js';
import { DebianUpdater, RELEASES_FILE, TRACKER_FILE } from './updater.js';

const TESTDATA = fileURLToPath(new URL('./testdata/', import.meta.url));

/** A full GC, so heap samples measure what is retained rather than garbage awaiting collection. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('debian updater streaming', { timeout: 180_000 }, () => {
  it('parses a 20k-package tracker record by record, with heap growth well under the file size', async (t) => {
    const ctx = await testContext(170_000);
    try {
      const summary = await writeSyntheticTracker(join(ctx.dir, TRACKER_FILE), { packages: 20_000, seed: 7, numbered: ['bullseye', 'bookworm'] });
      await writeFile(join(ctx.dir, RELEASES_FILE), JSON.stringify({ releases: [{ codeName: 'bullseye', versionId: 11 }, { codeName: 'bookworm', versionId: 12 }] }));
      const u = new DebianUpdater(debianConfig({}));
      const gc = collectGarbage();
      gc();
      const base = process.memoryUsage().heapUsed;
      let peak = base;
      let count = 0;
      let sources = 0;
      let last = '';
      for await (const r of u.parse(ctx)) {
        count++;
        if (r.package.name !== last) sources++;
        last = r.package.name;
        if (count % 5000 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
      }
      assert.equal(count, summary.records);
      assert.ok(summary.bytes > 35_000_000, `synthetic file is ${summary.bytes} bytes`);
      assert.ok(sources > 15_000, 'records come from the whole file');
      const growth = peak - base;
      t.diagnostic(`${count} records from ${Math.round(summary.bytes / 1e6)} MB; retained heap growth peaked at ${Math.round(growth / 1e6)} MB`);
      // JSON.parse of the whole file would retain several times its size; streaming
      // retains one CVE entry at a time.
      assert.ok(growth < summary.bytes / 4, `retained heap grew ${Math.round(growth / 1e6)} MB while parsing a ${Math.round(summary.bytes / 1e6)} MB file`);
    } finally {
      await ctx.cleanup();
    }
  });

  it('rejects a large tracker download cut short mid-body with UPDATER_FETCH', async () => {
    const ctx = await testContext();
    try {
      const file = join(ctx.dir, 'source.json');
      await writeSyntheticTracker(file, { packages: 1000, seed: 3 });
      const body = await readFile(file);
      const s = await startFeedServer({
        ...(await treeRoutes(join(TESTDATA, 'mirror'), '/')),
        '/json': { body, truncateAt: Math.floor(body.length / 2), lastModified: new Date('2024-01-01T00:00:00Z') },
      });
      try {
        const u = new DebianUpdater(debianConfig({ mirror_url: s.url, json_url: `${s.url}json` }));
        await assert.rejects(u.fetch(ctx, undefined), (err: unknown) => {
          assert.ok(isClairError(err, 'UPDATER_FETCH'), String(err));
          // Depending on timing undici reports the cut before or after handing out the response.
          assert.match((err as Error).message, new RegExp(`debian: (download of|error requesting) ${s.url}json`));
          return true;
        });
      } finally {
        await s.close();
      }
    } finally {
      await ctx.cleanup();
    }
  });
});
