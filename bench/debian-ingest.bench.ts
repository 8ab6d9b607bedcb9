/**
 * @module Benchmark: Debian tracker ingest end to end. A synthetic tracker
 * JSON of upstream size (~70 MB, 40k source packages, the real schema) is
 * served from a loopback server next to a small mirror; the `debian/updater`
 * fetches it, parses it as a stream and writes every record into an embedded
 * matcher store.
 *
 * Two measurements, because the embedded store keeps its whole database in
 * WASM memory inside this process (several hundred MB before a single row):
 *
 * 1. the updater alone (fetch + parse, records counted and dropped), in a
 *    child process so its RSS is its own: target peak RSS < 256 MB;
 * 2. the full ingest (fetch + parse + store) here, with the RSS of the idle
 *    store reported next to the peak so the updater's share is visible.
 *
 * Times are compared with a baseline measured in the same run: one plain
 * `fs.createReadStream` pass over the same file.
 *
 * Run: node --expose-gc --import tsx bench/debian-ingest.bench.ts
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './harness.js';
import { createHttpClient } from '../src/lib/http-client.js';
import { createLogger } from '../src/lib/logger.js';
import { openDatabase } from '../src/store/open.js';
import { migrate } from '../src/store/migrate.js';
import { SqlMatcherStore } from '../src/store/matcher/sql-matcher-store.js';
import { startFeedServer } from '../src/test-support/feed-server.js';
import { debianConfig, DebianUpdater } from '../src/updaters/debian/index.js';
import { writeSyntheticTracker } from '../src/test-support/debian-tracker.js';
import type { UpdaterContext } from '../src/updaters/updater.js';

const PACKAGES = 40_000;
const RSS_TARGET_MB = 256;
const CHILD_FLAG = '--updater-only';

const mb = (n: number): number => Math.round(n / 1e5) / 10;

/** Samples this process's RSS every 25 ms; `peak()` is the highest seen since `reset()`. */
function rssSampler(): { peak(): number; reset(): void; stop(): void } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  return {
    peak: () => Math.max(peak, process.memoryUsage().rss),
    reset: () => {
      peak = process.memoryUsage().rss;
    },
    stop: () => clearInterval(timer),
  };
}

function context(dir: string): UpdaterContext {
  return { dir, http: createHttpClient({ timeoutMs: 600_000 }), signal: AbortSignal.timeout(1_800_000), log: createLogger('silent') };
}

function updaterFor(base: string): DebianUpdater {
  return new DebianUpdater(debianConfig({ mirror_url: base, json_url: `${base}tracker/data/json` }));
}

/** Child mode: fetch + parse against the parent's server; prints one JSON line. */
async function updaterOnly(base: string): Promise<void> {
  const sampler = rssSampler();
  const dir = await mkdtemp(join(tmpdir(), 'clair-bench-debian-child-'));
  try {
    const ctx = context(dir);
    const u = updaterFor(base);
    const start = performance.now();
    const fetched = await u.fetch(ctx, undefined);
    if (fetched.unchanged) throw new Error('unexpected unchanged');
    let records = 0;
    for await (const _ of u.parse(ctx)) records++;
    const seconds = (performance.now() - start) / 1000;
    console.log(JSON.stringify({ seconds, records, peakRss: sampler.peak(), heapUsed: process.memoryUsage().heapUsed }));
  } finally {
    sampler.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function runChild(base: string): Promise<{ seconds: number; records: number; peakRss: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG, base], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`child exited ${code}`))));
  });
}

async function readPass(file: string): Promise<number> {
  const start = performance.now();
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) bytes += (chunk as Buffer).length;
  if (bytes === 0) throw new Error('empty file');
  return (performance.now() - start) / 1000;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'clair-bench-debian-'));
  const runDir = await mkdtemp(join(tmpdir(), 'clair-bench-debian-run-'));
  const sampler = rssSampler();
  try {
    const source = join(work, 'tracker.json');
    const summary = await writeSyntheticTracker(source, { packages: PACKAGES, seed: 42, numbered: ['bullseye', 'bookworm'] });
    const size = (await stat(source)).size;
    const release = (codename: string, version: string): string => `Origin: Debian\nLabel: Debian\nSuite: stable\nVersion: ${version}\nCodename: ${codename}\nDescription: Debian ${version}\n`;
    const server = await startFeedServer({
      '/debian/dists/': { body: '<a href="bookworm/">bookworm/</a> <a href="bullseye/">bullseye/</a> <a href="sid/">sid/</a>', contentType: 'text/html' },
      '/debian/dists/bookworm/Release': { body: release('bookworm', '12.7') },
      '/debian/dists/bullseye/Release': { body: release('bullseye', '11.11') },
      '/tracker/data/json': { body: { file: source }, contentType: 'application/json', lastModified: new Date('2024-09-20T08:00:00Z') },
    });
    try {
      const baseline = await readPass(source);
      console.log(`synthetic tracker: ${mb(size)} MB, ${summary.packages} packages, ${summary.cves} CVEs, ${summary.records} records for bullseye+bookworm`);

      // 1. The updater alone, in its own process.
      const child = await runChild(server.url);
      if (child.records !== summary.records) throw new Error(`child parsed ${child.records} records, expected ${summary.records}`);
      report({ name: 'debian fetch+parse (updater alone)', value: child.seconds, unit: 's', baseline: { name: 'fs read pass', value: baseline } });
      report({ name: 'debian fetch+parse peak RSS', value: mb(child.peakRss), unit: 'MB', target: `< ${RSS_TARGET_MB} MB`, met: mb(child.peakRss) < RSS_TARGET_MB });

      // 2. Full ingest into the store, in this process: PostgreSQL (the
      // production store, whose server memory is its own) when reachable,
      // else the embedded store (whose WebAssembly heap counts here).
      const { createPostgresDatabase, postgresUnavailable } = await import('../src/test-support/databases.js');
      const pgTarget = process.env.BENCH_STORE !== 'embedded' && !(await postgresUnavailable()) ? await createPostgresDatabase() : undefined;
      const storeName = pgTarget ? 'PostgreSQL' : 'embedded PostgreSQL';
      const db = await openDatabase(pgTarget?.connstring ?? 'memory://', { dataDir: 'x' });
      try {
        await migrate(db, 'matcher');
        const store = new SqlMatcherStore(db);
        const ctx = context(runDir);
        const u = updaterFor(server.url);
        globalThis.gc?.();
        const idle = process.memoryUsage().rss;
        sampler.reset();
        const t0 = performance.now();
        const fetched = await u.fetch(ctx, undefined);
        if (fetched.unchanged) throw new Error('unexpected unchanged');
        const t1 = performance.now();
        const { count } = await store.updateVulnerabilities(u.name, fetched.fingerprint, u.parse(ctx));
        const t2 = performance.now();
        const peak = sampler.peak();
        const ingest = (t2 - t0) / 1000;
        console.log(`ingest into ${storeName}: fetch ${((t1 - t0) / 1000).toFixed(2)} s, parse+store ${((t2 - t1) / 1000).toFixed(2)} s, ${count} rows stored; RSS idle ${mb(idle)} MB, peak ${mb(peak)} MB`);
        report({ name: `debian ingest into ${storeName}`, value: ingest, unit: 's', baseline: { name: 'fs read pass', value: baseline } });
        report({ name: 'debian ingest throughput', value: summary.records / ingest, unit: 'records/s' });
        report({
          name: `debian ingest peak RSS (${storeName})`,
          value: mb(peak),
          unit: 'MB',
          baseline: { name: 'idle RSS', value: mb(idle) },
          ...(pgTarget ? { target: `< ${RSS_TARGET_MB} MB`, met: mb(peak) < RSS_TARGET_MB } : {}),
        });
      } finally {
        await db.close();
        await pgTarget?.drop();
      }
    } finally {
      await server.close();
    }
  } finally {
    sampler.stop();
    await rm(work, { recursive: true, force: true });
    await rm(runDir, { recursive: true, force: true });
  }
}

const flag = process.argv.indexOf(CHILD_FLAG);
if (flag >= 0) await updaterOnly(process.argv[flag + 1]!);
else await main();
