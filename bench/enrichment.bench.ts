/**
 * @module Benchmark: enrichment ingest into PostgreSQL. Two real-size
 * sources are served from loopback and loaded by their enrichers through
 * the matcher's UpdateManager (fetch, streaming parse, batched writes in
 * one transaction):
 *
 * - CISA's complete KEV catalog (`../shared/data/enrichment/kev/`, 1,404
 *   entries; a generated catalog of the same size when absent);
 * - a full-size EPSS file, generated in FIRST's format: 300,000 rows,
 *   gzip, as `epss_scores-YYYY-MM-DD.csv.gz`.
 *
 * Each ingest runs in a child process of its own so its peak RSS (sampled
 * every 10 ms, and the kernel's high-water mark) is its own; an idle child
 * (code loaded, database open, nothing ingested) gives the floor. Times are
 * compared with a baseline in the same run: one plain gunzip-and-split pass
 * over the same EPSS file. Then a report-sized lookup (2,000 CVEs) against
 * the stored EPSS data is timed.
 *
 * Needs PostgreSQL (CLAIR_TEST_PG or 127.0.0.1:5432, db `test`).
 *
 * Run: node --expose-gc --import tsx bench/enrichment.bench.ts
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip, createGunzip } from 'node:zlib';
import { Registry } from 'prom-client';
import { report } from './harness.js';
import { createHttpClient } from '../src/lib/http-client.js';
import { createLogger } from '../src/lib/logger.js';
import { openDatabase } from '../src/store/open.js';
import { migrate } from '../src/store/migrate.js';
import { SqlMatcherStore } from '../src/store/matcher/sql-matcher-store.js';
import { UpdateManager } from '../src/updaters/manager.js';
import { UpdaterMetrics } from '../src/updaters/metrics.js';
import { epssSetFactory, kevSetFactory } from '../src/enrichers/index.js';
import { startFeedServer } from '../src/test-support/feed-server.js';
import { createPostgresDatabase, postgresUnavailable } from '../src/test-support/databases.js';
import { kevCatalog } from '../src/test-support/enrichment-feeds.js';
import { SHARED_DATA } from '../src/test-support/updater-context.js';

const EPSS_ROWS = 300_000;
const KEV_ENTRIES = 1_404;
const LOOKUP_CVES = 2_000;
const RSS_TARGET_MB = 256;
const CHILD_FLAG = '--ingest';

const mb = (n: number): number => Math.round(n / 1e5) / 10;

/** The CVE of row `i`: ids spread over the years, as in the real file. */
const cveOf = (i: number): string => `CVE-${1999 + (i % 27)}-${String(1000 + Math.floor(i / 27)).padStart(4, '0')}`;

/** Writes a full-size EPSS file in FIRST's format, streaming. */
async function writeEpss(path: string): Promise<void> {
  function* lines(): Generator<string> {
    yield '#model_version:v2025.03.14,score_date:2025-08-24T12:55:00Z\ncve,epss,percentile\n';
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let chunk = '';
    for (let i = 0; i < EPSS_ROWS; i++) {
      chunk += `${cveOf(i)},${random().toFixed(5)},${random().toFixed(5)}\n`;
      if (chunk.length > 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    yield chunk;
  }
  await pipeline(Readable.from(lines()), createGzip(), createWriteStream(path));
}

/** Child mode: one enricher's run against the parent's server and database; prints one JSON line. */
async function ingest(enricher: string, connstring: string, configJson: string): Promise<void> {
  let sampled = process.memoryUsage().rss;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 10);
  const db = await openDatabase(connstring, { dataDir: 'unused' });
  try {
    const store = new SqlMatcherStore(db);
    const factories = enricher === 'idle' ? [] : [enricher === 'clair.kev' ? kevSetFactory : epssSetFactory];
    const m = new UpdateManager({ db, store, factories, config: JSON.parse(configJson) as Record<string, unknown>, http: createHttpClient({ timeoutMs: 600_000 }), log: createLogger('silent'), metrics: new UpdaterMetrics(new Registry()), retention: 0 });
    const start = performance.now();
    const outcomes = enricher === 'idle' ? {} : await m.runOnce();
    const seconds = (performance.now() - start) / 1000;
    const ops = await store.updateOperations('enrichment', true);
    const records = enricher === 'idle' ? 0 : (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM uo_enrich u JOIN update_operation o ON o.id = u.uo WHERE o.ref = $1', [ops[enricher]?.[0]?.ref])).rows[0]!.n;
    clearInterval(timer);
    sampled = Math.max(sampled, process.memoryUsage().rss);
    console.log(JSON.stringify({ seconds, outcomes, records, sampledRss: sampled, maxRss: process.resourceUsage().maxRSS * 1024 }));
  } finally {
    await db.close();
  }
}

interface ChildResult {
  seconds: number;
  outcomes: Record<string, string>;
  records: number;
  sampledRss: number;
  maxRss: number;
}

function runChild(enricher: string, connstring: string, config: unknown): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG, enricher, connstring, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult) : reject(new Error(`child ${enricher} exited ${code}`))));
  });
}

/** The baseline: gunzip the file and split it into lines, nothing else. */
async function gunzipPass(file: string): Promise<number> {
  const start = performance.now();
  let lines = 0;
  for await (const _ of createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity })) lines++;
  if (lines < EPSS_ROWS) throw new Error(`short file: ${lines} lines`);
  return (performance.now() - start) / 1000;
}

async function main(): Promise<void> {
  const unavailable = await postgresUnavailable();
  if (unavailable) {
    console.log(`enrichment bench skipped: ${unavailable}`);
    return;
  }
  const work = await mkdtemp(join(tmpdir(), 'clair-bench-enrichment-'));
  const target = await createPostgresDatabase();
  try {
    const epssFile = join(work, 'epss_scores-2025-08-24.csv.gz');
    await writeEpss(epssFile);
    const realKev = join(SHARED_DATA, 'enrichment/kev/known_exploited_vulnerabilities.json');
    const kev = existsSync(realKev) ? await readFile(realKev, 'utf8') : kevCatalog(Array.from({ length: KEV_ENTRIES }, (_, i) => ({ cveID: cveOf(i) })));
    const server = await startFeedServer({
      '/epss_scores-2025-08-24.csv.gz': { body: { file: epssFile }, contentType: 'application/gzip' },
      '/known_exploited_vulnerabilities.json': { body: kev, contentType: 'application/json', lastModified: new Date('2025-08-25T17:04:20Z') },
    });
    const db = await openDatabase(target.connstring, { dataDir: 'unused' });
    try {
      await migrate(db, 'matcher');
      const config = { 'clair.epss': { url: `${server.url}epss_scores-2025-08-24.csv.gz` }, 'clair.kev': { feed_root: `${server.url}known_exploited_vulnerabilities.json` } };
      const size = (await stat(epssFile)).size;
      console.log(`EPSS file: ${EPSS_ROWS} rows, ${mb(size)} MB gzip; KEV catalog: ${existsSync(realKev) ? 'real (../shared)' : 'generated'}, ${mb(Buffer.byteLength(kev))} MB`);

      const idle = await runChild('idle', target.connstring, config);
      const kevRun = await runChild('clair.kev', target.connstring, config);
      const baseline = await gunzipPass(epssFile);
      const epssRun = await runChild('clair.epss', target.connstring, config);
      for (const [name, run, rows] of [['clair.kev', kevRun, 1] as const, ['clair.epss', epssRun, EPSS_ROWS] as const]) {
        if (run.outcomes[name] !== 'changed' || (name === 'clair.epss' && run.records !== rows)) throw new Error(`${name}: ${JSON.stringify(run)}`);
      }
      console.log(`idle child (code loaded, database open): peak RSS ${mb(idle.sampledRss)} MB (kernel high-water ${mb(idle.maxRss)} MB)`);
      report({ name: 'KEV ingest (complete catalog)', value: kevRun.seconds, unit: `s, ${kevRun.records} records` });
      report({ name: 'KEV ingest peak RSS', value: mb(Math.max(kevRun.sampledRss, kevRun.maxRss)), unit: 'MB', target: `< ${RSS_TARGET_MB} MB`, met: Math.max(kevRun.sampledRss, kevRun.maxRss) < RSS_TARGET_MB * 1e6 });
      report({ name: 'EPSS ingest (300k rows)', value: epssRun.records / epssRun.seconds, unit: 'records/s', baseline: { name: 'gunzip+split rows/s', value: EPSS_ROWS / baseline } });
      console.log(`EPSS ingest: ${epssRun.seconds.toFixed(1)} s for ${epssRun.records} records; gunzip+split alone ${baseline.toFixed(2)} s`);
      report({ name: 'EPSS ingest peak RSS', value: mb(Math.max(epssRun.sampledRss, epssRun.maxRss)), unit: 'MB', target: `< ${RSS_TARGET_MB} MB`, met: Math.max(epssRun.sampledRss, epssRun.maxRss) < RSS_TARGET_MB * 1e6 });

      const store = new SqlMatcherStore(db);
      const queries = Array.from({ length: LOOKUP_CVES }, (_, i) => [cveOf((i * 149) % EPSS_ROWS)]);
      await store.enrichments('clair.epss', queries.slice(0, 10)); // plan and warm the connection
      const start = performance.now();
      const found = await store.enrichments('clair.epss', queries);
      const ms = performance.now() - start;
      if (found.some((f) => f.length !== 1)) throw new Error('lookup missed a stored CVE');
      report({ name: `EPSS lookup (${LOOKUP_CVES} CVEs, one report)`, value: ms, unit: 'ms', target: '< 1000 ms', met: ms < 1000 });
    } finally {
      await db.close();
      await server.close();
    }
  } finally {
    await target.drop();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === CHILD_FLAG) await ingest(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else await main();
