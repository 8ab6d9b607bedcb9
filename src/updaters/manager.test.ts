import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { UpdateManager } from './manager.js';
import { UpdaterMetrics } from './metrics.js';
import type { Updater, UpdaterSetFactory } from './updater.js';
import { SqlMatcherStore } from '../store/matcher/sql-matcher-store.js';
import { openDatabase } from '../store/open.js';
import { migrate } from '../store/migrate.js';
import type { Database } from '../store/database.js';
import { debianRecord } from '../store/matcher/matcher-store.case.js';
import { createHttpClient } from '../lib/http-client.js';
import type { Lint } from '../lib/config-lint.js';
import { createLogger } from '../lib/logger.js';
import { ConfigBlock } from './config-block.js';
import { BACKENDS, createTestDatabase, postgresUnavailable } from '../test-support/databases.js';
import { quietLogger } from '../test-support/config.js';
import type { VulnerabilityRecord } from '../model/index.js';

const pgSkip = await postgresUnavailable();

/** An updater whose upstream is a mutable in-test "feed". */
function fakeUpdater(name: string, feed: { version: string; records: VulnerabilityRecord[]; failAfter?: number; fetchError?: string; delayMs?: number }): Updater & { fetches: number } {
  const u = {
    name,
    fetches: 0,
    async fetch(_ctx: unknown, previous: string | undefined) {
      u.fetches++;
      if (feed.delayMs) await new Promise((r) => setTimeout(r, feed.delayMs));
      if (feed.fetchError) throw new Error(feed.fetchError);
      return previous === feed.version ? { unchanged: true as const } : { unchanged: false as const, fingerprint: feed.version };
    },
    async *parse() {
      let n = 0;
      for (const r of feed.records) {
        if (feed.failAfter !== undefined && n++ >= feed.failAfter) throw new Error('feed truncated');
        yield r;
      }
    },
  };
  return u;
}

const setOf = (name: string, updaters: Updater[] | (() => never)): UpdaterSetFactory => ({
  name,
  checkConfig: () => [],
  create: async () => (typeof updaters === 'function' ? updaters() : updaters),
});

/** A fake updater with claircore-style per-updater config: `url` (a string), which it records. */
function configurableUpdater(name: string, feed: Parameters<typeof fakeUpdater>[1]): ReturnType<typeof fakeUpdater> & { configure(raw: unknown): Lint[]; urls: Array<string | undefined> } {
  const u = Object.assign(fakeUpdater(name, feed), {
    urls: [] as Array<string | undefined>,
    configure(raw: unknown) {
      const c = new ConfigBlock(name, raw, ['url']);
      u.urls.push(c.url('url'));
      return c.lints;
    },
  });
  return u;
}

/** A logger whose warnings are kept, as parsed JSON lines. */
function recordingLogger(): { log: ReturnType<typeof createLogger>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('warn', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

const many = (n: number, fixed = '1.0-1') => Array.from({ length: n }, (_, i) => debianRecord(`CVE-2026-${String(i).padStart(5, '0')}`, `pkg${i}`, fixed));

for (const backend of BACKENDS) {
  describe(`UpdateManager (${backend})`, { skip: backend === 'postgres' ? pgSkip : undefined }, () => {
    const cleanups: Array<() => Promise<void>> = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });
    const fresh = async (): Promise<{ db: Database; connstring: string }> => {
      const target = await createTestDatabase(backend);
      const db = await openDatabase(target.connstring, { dataDir: 'unused' });
      await migrate(db, 'matcher');
      cleanups.push(async () => {
        await db.close();
        await target.drop();
      });
      return { db, connstring: target.connstring };
    };
    const manager = (db: Database, factories: UpdaterSetFactory[], registry = new Registry(), retention = 10, config: Record<string, unknown> = {}, log = quietLogger()) =>
      new UpdateManager({ db, store: new SqlMatcherStore(db), factories, config, http: createHttpClient(), log, metrics: new UpdaterMetrics(registry), retention });

    it('records a new operation for a changed feed, none for an unchanged one, and keeps old data through a failure', async () => {
      const { db } = await fresh();
      const store = new SqlMatcherStore(db);
      const feed: { version: string; records: VulnerabilityRecord[]; failAfter?: number } = { version: 'v1', records: many(2500) };
      const registry = new Registry();
      const m = manager(db, [setOf('debian', [fakeUpdater('debian/updater', feed)])], registry);
      assert.deepEqual(await m.runOnce(), { 'debian/updater': 'changed' });
      assert.deepEqual(await m.runOnce(), { 'debian/updater': 'unchanged' });
      assert.equal((await store.updateOperations('vulnerability'))['debian/updater']!.length, 1);

      feed.version = 'v2';
      feed.records = many(2500, '2.0-1');
      feed.failAfter = 1500; // the feed breaks mid-way, after whole batches were written
      assert.deepEqual(await m.runOnce(), { 'debian/updater': 'failed' });
      const ops = (await store.updateOperations('vulnerability'))['debian/updater']!;
      assert.deepEqual(ops.map((o) => o.fingerprint), ['v1'], 'no operation for the failed run');
      const [found] = await store.query([{ names: [{ name: 'pkg7', kind: 'source' }], constraints: { dist_id: 'debian' } }]);
      assert.deepEqual(found!.map((c) => c.vulnerability.fixed_in_version), ['1.0-1'], 'matching still sees the previous data');
      const status = await store.updaterStatus('debian/updater');
      assert.equal(status?.lastRunSucceeded, false);
      assert.equal(status?.lastError, 'feed truncated');
      const metrics = await registry.metrics();
      assert.match(metrics, /clair_updater_failures_total\{updater="debian\/updater"\} 1/);
      assert.match(metrics, /clair_updater_records_written_total\{updater="debian\/updater"\} 2500/);
      assert.match(metrics, /clair_updater_last_success_timestamp_seconds\{updater="debian\/updater"\} \d+/);

      delete feed.failAfter;
      assert.deepEqual(await m.runOnce(), { 'debian/updater': 'changed' }, 'the next period retries');
      const [now] = await store.query([{ names: [{ name: 'pkg7', kind: 'source' }], constraints: { dist_id: 'debian' } }]);
      assert.deepEqual(now!.map((c) => c.vulnerability.fixed_in_version), ['2.0-1']);
    });

    it('stops a run whose lock is lost mid-way, writing no operation, and runs it again next period', async () => {
      const { db } = await fresh();
      const store = new SqlMatcherStore(db);
      let killAt: number | undefined = 1200;
      const records = many(2500);
      const updater: Updater = {
        name: 'fragile/updater',
        fetch: async (_ctx, previous) => (previous === 'v1' ? { unchanged: true } : { unchanged: false, fingerprint: 'v1' }),
        async *parse() {
          for (const [i, r] of records.entries()) {
            if (i === killAt) {
              // The lock session dies (a failover, pg_terminate_backend) while the feed is read.
              await db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'clair-locks'");
              await new Promise((r) => setTimeout(r, 300));
            }
            yield r;
          }
        },
      };
      const m = manager(db, [setOf('fragile', [updater])]);
      assert.deepEqual(await m.runOnce(), { 'fragile/updater': 'failed' });
      assert.equal((await store.updateOperations('vulnerability'))['fragile/updater'], undefined, 'no operation from a run that lost its lock');
      assert.match((await store.updaterStatus('fragile/updater'))?.lastError ?? '', /lock "fragile\/updater" .* was lost with its session/);
      killAt = undefined;
      assert.deepEqual(await m.runOnce(), { 'fragile/updater': 'changed' }, 'the lock is taken again on a new session');
    });

    it('skips a set that fails to build and an updater that fails to fetch, running the rest', async () => {
      const { db } = await fresh();
      const good = fakeUpdater('good', { version: 'a', records: many(3) });
      const bad = fakeUpdater('bad', { version: 'a', records: [], fetchError: 'upstream 500' });
      const m = manager(db, [setOf('broken', () => { throw new Error('no releases'); }), setOf('mixed', [good, bad])]);
      assert.deepEqual(await m.runOnce(), { good: 'changed', bad: 'failed' });
    });

    it('configures each updater with its own block before the run; a refused block skips only that updater and records why', async () => {
      const { db } = await fresh();
      const store = new SqlMatcherStore(db);
      const good = configurableUpdater('osv/pypi', { version: 'a', records: many(2) });
      const bad = configurableUpdater('osv/go', { version: 'a', records: many(2) });
      const plain = fakeUpdater('osv/npm', { version: 'a', records: many(2) });
      const untouched = configurableUpdater('osv/maven', { version: 'a', records: many(2) });
      const registry = new Registry();
      const { log, lines } = recordingLogger();
      const config = { 'osv/pypi': { url: 'http://mirror.example/PyPI/all.zip', extra: true }, 'osv/go': { url: 5 }, 'osv/npm': { url: 'ignored' } };
      const m = manager(db, [setOf('osv', [good, bad, plain, untouched])], registry, 10, config, log);
      assert.deepEqual(await m.runOnce(), { 'osv/pypi': 'changed', 'osv/go': 'failed', 'osv/npm': 'changed', 'osv/maven': 'changed' });
      assert.deepEqual(good.urls, ['http://mirror.example/PyPI/all.zip'], 'its block was applied once, before the run');
      assert.deepEqual(untouched.urls, [], 'no block, no configure call');
      assert.equal(bad.fetches, 0, 'the refused updater never fetched');
      assert.equal(good.fetches, 1);
      const status = await store.updaterStatus('osv/go');
      assert.equal(status?.lastRunSucceeded, false);
      assert.equal(status?.lastError, 'config: updaters.config.osv/go.url: must be a string, got number');
      assert.equal((await store.updaterStatus('osv/pypi'))?.lastRunSucceeded, true);
      assert.match(await registry.metrics(), /clair_updater_failures_total\{updater="osv\/go"\} 1/);
      const warned = lines.map((l) => [l.updater, l.msg, l.path ?? (l.err as { message?: string } | undefined)?.message]);
      assert.deepEqual(warned, [
        ['osv/pypi', 'updater config lint', 'updaters.config.osv/pypi.extra'],
        ['osv/go', 'updater configuration refused; skipping this run', 'config: updaters.config.osv/go.url: must be a string, got number'],
      ]);
    });

    it('keeps only the newest update_retention operations per updater', async () => {
      const { db } = await fresh();
      const feed = { version: 'v0', records: many(2) };
      const m = manager(db, [setOf('s', [fakeUpdater('u', feed)])], new Registry(), 2);
      for (let i = 1; i <= 4; i++) {
        feed.version = `v${i}`;
        feed.records = many(2, `${i}.0`);
        await m.runOnce();
      }
      const ops = (await new SqlMatcherStore(db).updateOperations('vulnerability')).u!;
      assert.deepEqual(ops.map((o) => o.fingerprint), ['v4', 'v3']);
    });

    it('runs each update once when two matcher replicas run together', async () => {
      const { db, connstring } = await fresh();
      const other = await openDatabase(connstring, { dataDir: 'unused' });
      cleanups.push(() => other.close());
      const feed = { version: 'v1', records: many(500), delayMs: 200 };
      const a = fakeUpdater('debian/updater', feed);
      const b = fakeUpdater('debian/updater', feed);
      const [ra, rb] = await Promise.all([manager(db, [setOf('debian', [a])]).runOnce(), manager(other, [setOf('debian', [b])]).runOnce()]);
      assert.deepEqual([ra['debian/updater'], rb['debian/updater']].sort(), ['changed', 'skipped']);
      assert.equal(a.fetches + b.fetches, 1, 'only the lock holder fetched');
      assert.equal((await new SqlMatcherStore(db).updateOperations('vulnerability'))['debian/updater']!.length, 1);
    });
  });
}
