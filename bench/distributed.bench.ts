/**
 * Distributed Clair at scale, on this machine: real `clair` processes on the
 * local PostgreSQL behind the shipped nginx template over TLS (bench/support/
 * cluster.ts), one matcher that has loaded a synthetic Debian tracker with
 * its own updater, and generated Debian images served on loopback.
 *
 * 1. Indexing throughput through nginx with 1, 2 and 4 indexers
 *    (BENCH_INDEXERS): BENCH_IMAGES distinct images, submitted
 *    BENCH_CONCURRENCY at a time, each run on a fresh indexer database after
 *    a warm-up of 16 images per indexer (JIT, pools, the shared base and
 *    runtime layers scanned). The counts take turns BENCH_ROUNDS times
 *    (default 2), so bursts of other work on the shared machine hit each
 *    alike; the median images/s of each count is reported against the
 *    first (1-indexer), with the CPU each kind of process used (/proc), the
 *    indexers' event-loop delay and what the PostgreSQL backends were
 *    doing, so the doc can say what bounds it.
 * 2. Vulnerability-report latency through nginx (two matchers, two
 *    indexers) at each size of BENCH_MANIFESTS (default 10000; the doc's
 *    numbers are from "10000,100000"): the indexer database of the last
 *    run is filled by SQL copies of its really indexed manifests
 *    (bench/support/indexer-fill.ts), then BENCH_REPORTS reports of random
 *    manifests are fetched one at a time (p50, p99; baseline: the index
 *    report alone, through the same nginx) and 8 at a time (reports/s).
 * 3. Table and index sizes after the real indexing and after each fill, the
 *    growth per manifest between the last two, extrapolated to 1M
 *    manifests; and, at the largest size, EXPLAIN ANALYZE of the hot
 *    indexer and matcher queries.
 *
 * docs/benchmarks.md records a run and the capacity plan drawn from it.
 *
 * Run: npm run bench -- distributed
 */
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { report } from './harness.js';
import { BenchCluster, type ClairNode } from './support/cluster.js';
import { serveDebianFeed } from './support/debian-feed.js';
import { serveDebianImages, type BenchImage } from './support/debian-images.js';
import { CpuMeter, childPids, procAvailable, type CpuUse } from './support/process-cpu.js';
import { prepareFill } from './support/indexer-fill.js';
import { BackendSampler, databaseActivity, explainAnalyze, tableSizes, type BackendState, type TableSize } from './support/pg-inspect.js';
import { ADMIN_URL, createPostgresDatabase, postgresUnavailable, type TestDatabase } from '../src/test-support/databases.js';
import { toolUnavailable } from '../src/test-support/load-balancers.js';
import { opensslUnavailable } from '../src/test-support/test-ca.js';
import { SqlMatcherStore } from '../src/store/matcher/sql-matcher-store.js';
import { match } from '../src/matcher/controller.js';
import { PACKAGES_BY_NAME_SQL, RECORDS_OF_PACKAGES_SQL } from '../src/store/indexer/affected.js';
import { defaultMatchers } from '../src/app/defaults/matchers.js';
import type { Database } from '../src/store/database.js';
import type { IndexReport, VulnerabilityReport } from '../src/model/index.js';

/** A positive integer from the environment, or `fallback`; anything else stops the run with the variable's name. */
function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}="${raw}" must be a positive integer`);
  return n;
}

/** A comma-separated list of positive integers from the environment, sorted, or `fallback`. */
function listEnv(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${name}="${raw}" must be a comma-separated list of positive integers`);
  return [...new Set(values)].sort((a, b) => a - b);
}

const IMAGES = intEnv('BENCH_IMAGES', 160);
const INDEXER_COUNTS = listEnv('BENCH_INDEXERS', [1, 2, 4]);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 16);
const MANIFEST_SIZES = listEnv('BENCH_MANIFESTS', [10_000]);
const REPORTS = intEnv('BENCH_REPORTS', 300);
const TRACKER_PACKAGES = intEnv('BENCH_TRACKER_PACKAGES', 5_000);
const APP_LAYER_KB = intEnv('BENCH_APP_LAYER_KB', 256);
const ROUNDS = intEnv('BENCH_ROUNDS', 2);
const RUNTIMES = 8;
/** Warm-up images per indexer process before each measured run: enough for the JIT and the connection pool of each. */
const WARMUP_PER_INDEXER = 16;
const REPORT_CONCURRENCY = 8;
const SHAPE = { basePackages: 80, runtimePackages: 20, appPackages: 5 };

const MB = 1024 * 1024;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))]!;
const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** Why this benchmark cannot run here, if it cannot (under CI a missing tool throws instead). */
async function unavailable(): Promise<string | undefined> {
  if (!procAvailable) return '/proc is not readable (Linux only)';
  const openssl = opensslUnavailable();
  if (openssl && process.env.CI) throw new Error(`${openssl}: required in CI`);
  return (await postgresUnavailable()) ?? openssl ?? (await toolUnavailable('nginx'));
}

const skip = await unavailable();
if (skip) {
  console.log(`distributed bench skipped: ${skip}`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'clair-bench-distributed-'));
chmodSync(dir, 0o711); // nginx's workers (nobody, when run as root) read its temp dirs
const databases: TestDatabase[] = [];
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
const cluster = await BenchCluster.create(dir);
const closers: Array<() => Promise<void>> = [];

/** The database name in a test connstring. */
const databaseName = (db: TestDatabase) => new URL(db.connstring).pathname.slice(1);

async function newDatabase(): Promise<TestDatabase> {
  const db = await createPostgresDatabase();
  databases.push(db);
  return db;
}

/** Resolves once the matcher at `node` has a vulnerability update operation (its first updater run finished). */
async function waitForUpdate(node: ClairNode, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await cluster.call(`http://${node.api}/matcher/api/v1/internal/update_operation?kind=vulnerability`);
    const ops = r.status === 200 ? ((await r.json()) as Record<string, unknown[]>) : {};
    if (Object.values(ops).some((list) => list.length > 0)) return;
    if (node.run.child.exitCode !== null) throw new Error(`the matcher exited while loading: ${node.run.stderr().slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`the matcher loaded no vulnerability data within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Indexes one image through the public listener; retries on 429 (every indexer at its request limit). Resolves ms and the 429 count. */
async function indexImage(image: BenchImage): Promise<{ ms: number; throttled: number }> {
  const started = performance.now();
  let throttled = 0;
  for (;;) {
    const r = await cluster.call(`${cluster.publicBase}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(image.manifest) });
    const text = await r.text();
    if (r.status === 429) {
      throttled++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (r.status !== 201) throw new Error(`index ${image.manifest.hash}: HTTP ${r.status}: ${text.slice(0, 500)}`);
    const ir = JSON.parse(text) as IndexReport;
    const names = new Set(Object.values(ir.packages).map((p) => p.name));
    if (ir.state !== 'IndexFinished' || names.size !== image.packages) {
      throw new Error(`index ${image.manifest.hash}: state ${ir.state} with ${names.size} packages, expected IndexFinished with ${image.packages}: ${ir.err}`);
    }
    return { ms: performance.now() - started, throttled };
  }
}

/** Runs `work` over `items` with `concurrency` workers; resolves results in item order. */
async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  }));
  return results;
}

function printCpu(uses: CpuUse[]): void {
  for (const u of uses) console.log(`  cpu ${u.name.padEnd(32)} ${u.seconds.toFixed(1).padStart(7)} s  ${u.cores.toFixed(2)} cores`);
}

function printStates(states: BackendState[]): void {
  console.log(`  postgres backends, average per sample: ${states.map((s) => `${s.state} ${s.backends.toFixed(2)}`).join(', ')}`);
}

/** Pids of the PostgreSQL backends serving `db`. */
async function backendPids(db: TestDatabase): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [databaseName(db)]);
  return rows.map((r) => r.pid);
}

/** Pids of PostgreSQL's own processes (WAL writer, checkpointer, background writer, autovacuum): they work for every database. */
async function auxiliaryPids(): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend'");
  return rows.map((r) => r.pid);
}

function printSizes(label: string, sizes: TableSize[]): void {
  const total = sizes.reduce((s, t) => s + t.totalBytes, 0);
  console.log(`table sizes, ${label}: ${(total / MB).toFixed(1)} MB in all`);
  for (const t of sizes) {
    const indexBytes = t.indexes.reduce((s, i) => s + i.bytes, 0);
    console.log(`  ${t.table.padEnd(22)} ${String(t.rows).padStart(10)} rows  table ${(t.tableBytes / MB).toFixed(2).padStart(9)} MB  indexes ${(indexBytes / MB).toFixed(2).padStart(9)} MB  (${t.indexes.map((i) => `${i.name} ${(i.bytes / MB).toFixed(2)}`).join(', ')})`);
  }
  console.log(`SIZES ${JSON.stringify({ label, sizes })}`);
}

/** Bytes per manifest of each table (and its indexes) between two fills, and what 1M manifests would hold. */
function printGrowth(from: { manifests: number; sizes: TableSize[] }, to: { manifests: number; sizes: TableSize[] }): void {
  const span = to.manifests - from.manifests;
  console.log(`growth per manifest, ${from.manifests} → ${to.manifests} manifests, and extrapolated to 1,000,000:`);
  let perManifest = 0;
  let atMillion = 0;
  for (const t of to.sizes) {
    const before = from.sizes.find((s) => s.table === t.table);
    const bytes = (t.totalBytes - (before?.totalBytes ?? 0)) / span;
    const rows = (t.rows - (before?.rows ?? 0)) / span;
    const projected = t.totalBytes + bytes * (1_000_000 - to.manifests);
    perManifest += bytes;
    atMillion += projected;
    console.log(`  ${t.table.padEnd(22)} ${rows.toFixed(1).padStart(7)} rows/manifest  ${bytes.toFixed(0).padStart(7)} B/manifest  → ${(projected / 1024 / MB).toFixed(2)} GB at 1M`);
  }
  console.log(`  ${'all tables'.padEnd(22)} ${''.padStart(20)} ${perManifest.toFixed(0).padStart(7)} B/manifest  → ${(atMillion / 1024 / MB).toFixed(2)} GB at 1M`);
  console.log(`GROWTH ${JSON.stringify({ from: from.manifests, to: to.manifests, bytesPerManifest: perManifest, projectedBytesAt1M: atMillion })}`);
}

/**
 * One indexing run: `count` indexers on a fresh database behind nginx, a
 * warm-up of WARMUP_PER_INDEXER images per indexer (JIT, connection pools,
 * the shared layers scanned), then the measured images; prints where the
 * CPU went and resolves images/s and the database, which the caller drops.
 */
async function indexingRun(count: number, scene: { matcher: ClairNode; warmup: BenchImage[]; measured: BenchImage[] }): Promise<{ rate: number; db: TestDatabase }> {
  const { matcher, warmup, measured } = scene;
  const db = await newDatabase();
  const conf = cluster.writeConfig({ indexer: { connstring: db.connstring, migrations: true, index_report_request_concurrency: CONCURRENCY } });
  const indexers = await Promise.all(Array.from({ length: count }, () => cluster.start('indexer', conf)));
  const nginx = await cluster.route({ indexers, matchers: [matcher] });
  await pool(warmup.slice(0, WARMUP_PER_INDEXER * count), CONCURRENCY, indexImage);
  const meter = new CpuMeter([
    ...indexers.map((n, i) => ({ name: `indexer ${i + 1}`, pids: () => [n.pid] })),
    { name: 'postgres backends (indexer db)', pids: () => backendPids(db) },
    { name: 'postgres auxiliary processes', pids: auxiliaryPids },
    { name: 'nginx', pids: () => [nginx.child.pid!, ...childPids(nginx.child.pid!)] },
    { name: 'bench (client, blob server)', pids: () => [process.pid] },
  ]);
  const backends = new BackendSampler(admin, [databaseName(db)]);
  for (const node of indexers) await cluster.eventLoopDelay(node); // resets each histogram
  // PostgreSQL 15 flushes an idle backend's statistics within 10 s
  // (PGSTAT_IDLE_INTERVAL): let the warm-up's reach pg_stat_database first.
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const activityBefore = await databaseActivity(admin, databaseName(db));
  await meter.start();
  backends.start();
  const started = performance.now();
  const results = await pool(measured, CONCURRENCY, indexImage);
  const wall = performance.now() - started;
  const cpu = await meter.stop();
  const states = await backends.stop();

  const loops = await Promise.all(indexers.map((n) => cluster.eventLoopDelay(n)));
  const rate = measured.length / (wall / 1000);
  const latencies = results.map((r) => r.ms);
  console.log(`  ${measured.length} images in ${seconds(wall)} s: ${rate.toFixed(2)} images/s; per image p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms; ${results.reduce((s, r) => s + r.throttled, 0)} answers of 429`);
  printCpu(cpu);
  console.log(`  event-loop delay per indexer: ${loops.map((l) => `mean ${l.meanMs.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms`).join('; ')}`);
  printStates(states);
  await nginx.stop();
  for (const node of indexers) await cluster.stop(node);
  // A backend flushes its statistics when its connection closes: every commit of the run is counted now.
  const activityAfter = await databaseActivity(admin, databaseName(db));
  const perImage = { commits: (activityAfter.commits - activityBefore.commits) / measured.length, inserted: (activityAfter.inserted - activityBefore.inserted) / measured.length };
  console.log(`  per image: ${perImage.commits.toFixed(1)} commits, ${perImage.inserted.toFixed(0)} rows inserted (indexer db)`);
  console.log(`CPU ${JSON.stringify({ indexers: count, rate, wallSeconds: wall / 1000, cpu, eventLoop: loops, backends: states, perImage })}`);
  return { rate, db };
}

try {
  // Vulnerability data: a synthetic tracker loaded by a real matcher's updater.
  const feed = await serveDebianFeed(dir, TRACKER_PACKAGES);
  closers.push(() => feed.close());
  const warmupImages = WARMUP_PER_INDEXER * Math.max(...INDEXER_COUNTS);
  const { images, blobBytes, close: closeImages } = await serveDebianImages({ images: IMAGES + warmupImages, runtimes: RUNTIMES, ...SHAPE, appLayerBytes: APP_LAYER_KB * 1024, sourceNames: feed.sourceNames });
  closers.push(closeImages);
  const warmup = images.slice(0, warmupImages);
  const measured = images.slice(warmupImages);
  console.log(`images: ${IMAGES} measured + up to ${warmupImages} warm-up, 3 layers each (base, 1 of ${RUNTIMES} runtimes, own ${APP_LAYER_KB} KiB app layer), ${measured[0]!.packages}–${Math.max(...measured.map((i) => i.packages))} packages; ${(blobBytes / MB).toFixed(1)} MB of blobs`);
  console.log(`tracker: ${feed.summary.packages} source packages, ${feed.summary.cves} CVEs, ${(feed.summary.bytes / MB).toFixed(1)} MB`);

  const matcherDb = await newDatabase();
  const matcherBlock = { connstring: matcherDb.connstring, migrations: true, indexer_addr: `${cluster.nodeBase}/` };
  const matcherConf = cluster.writeConfig({ updaters: feed.updaters, matcher: matcherBlock });
  const loadStart = performance.now();
  const matcher = await cluster.start('matcher', matcherConf);
  await waitForUpdate(matcher, 15 * 60_000);
  console.log(`matcher: loaded the tracker in ${seconds(performance.now() - loadStart)} s`);
  const matcherClient = new pg.Client({ connectionString: matcherDb.connstring });
  await matcherClient.connect();
  await matcherClient.query('SET jit = off');
  closers.push(() => matcherClient.end());

  /** EXPLAIN ANALYZE of what SqlMatcherStore sends the matcher database to match `ir`: recorded by running the match, then explained. */
  const explainMatcherLookup = async (ir: IndexReport, label: string) => {
    const recorded: Array<{ text: string; params: unknown[] }> = [];
    const recording = {
      query: async (text: string, params: unknown[] = []) => {
        recorded.push({ text, params });
        const r = await matcherClient.query(text, params);
        return { rows: r.rows, rowCount: r.rowCount ?? r.rows.length };
      },
    } as unknown as Database;
    await match(ir, defaultMatchers(), new SqlMatcherStore(recording));
    for (const q of recorded.filter((r) => /JOIN vuln v/.test(r.text))) {
      const e = await explainAnalyze(matcherClient, q.text, q.params);
      console.log(`\nEXPLAIN vulnerability lookup for one report (matcher db, ${label}): ${e.executionMs.toFixed(2)} ms${e.seqScans.length ? `, sequential scans of ${e.seqScans.join(', ')}` : ', index scans only'}\n${e.plan}`);
    }
  };

  // 1. Indexing throughput: the indexer counts in turn, BENCH_ROUNDS times,
  // so a burst of other work on the machine hits each count alike.
  const rates = new Map<number, number[]>(INDEXER_COUNTS.map((c) => [c, []]));
  let kept: TestDatabase | undefined;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const count of INDEXER_COUNTS) {
      console.log(`round ${round}/${ROUNDS}, ${count} indexer${count > 1 ? 's' : ''}:`);
      const { rate, db } = await indexingRun(count, { matcher, warmup, measured });
      rates.get(count)!.push(rate);
      if (kept) await kept.drop();
      kept = db;
    }
  }
  const median = (xs: number[]) => percentile(xs, 0.5);
  const first = INDEXER_COUNTS[0]!;
  const label = (c: number) => `${c} indexer${c > 1 ? 's' : ''}`;
  for (const count of INDEXER_COUNTS) {
    console.log(`${label(count)}: ${rates.get(count)!.map((r) => r.toFixed(2)).join(', ')} images/s by round`);
    report({
      name: `index through nginx, ${label(count)} (median)`,
      value: median(rates.get(count)!),
      unit: 'images/s',
      ...(count === first ? {} : { baseline: { name: label(first), value: median(rates.get(first)!) } }),
    });
  }

  // 2 and 3. Report latency and table sizes as the indexer database grows.
  const indexerDb = kept!;
  const conf = cluster.writeConfig({ indexer: { connstring: indexerDb.connstring, migrations: true, index_report_request_concurrency: CONCURRENCY } });
  const indexers = await Promise.all([cluster.start('indexer', conf), cluster.start('indexer', conf)]);
  const matchers = [matcher, await cluster.start('matcher', matcherConf)];
  const nginx = await cluster.route({ indexers, matchers });
  const client = new pg.Client({ connectionString: indexerDb.connstring });
  await client.connect();
  await client.query('SET jit = off'); // as Clair's own sessions (src/store/postgres/database.ts)
  closers.push(() => client.end());
  const indexReportOf = async (manifestId: number) =>
    (await client.query<{ scan_result: IndexReport }>('SELECT scan_result FROM indexreport WHERE manifest_id = $1', [manifestId])).rows[0]!.scan_result;

  // The matcher's tables as its updater left them: production relies on
  // autovacuum to analyze them after a load, and a server without it (this
  // test server has it off) plans the lookup without statistics. Then the
  // steady state: analyzed.
  const { rows: analyzed } = await matcherClient.query<{ relname: string; analyzed: Date | null }>(
    "SELECT relname, greatest(last_analyze, last_autoanalyze) AS analyzed FROM pg_stat_user_tables WHERE relname IN ('vuln', 'uo_vuln') ORDER BY relname",
  );
  const autovacuum = (await matcherClient.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0]!.autovacuum;
  console.log(`matcher tables last analyzed: ${analyzed.map((r) => `${r.relname} ${r.analyzed?.toISOString() ?? 'never'}`).join(', ')} (autovacuum ${autovacuum})`);
  const firstManifest = (await client.query<{ id: number }>('SELECT min(manifest_id) AS id FROM indexreport')).rows[0]!.id;
  await explainMatcherLookup(await indexReportOf(firstManifest), 'tables as loaded');
  await matcherClient.query('ANALYZE');
  console.log('matcher database analyzed');
  await client.query('VACUUM ANALYZE');
  const fill = await prepareFill(client);
  const points = [{ manifests: await fill.count(), sizes: await tableSizes(client) }];
  printSizes(`${points[0]!.manifests} manifests (indexed through HTTP)`, points[0]!.sizes);

  let reportBaseline: { p50: number; p99: number; rate: number; manifests: number } | undefined;
  for (const size of MANIFEST_SIZES) {
    if (size < points[0]!.manifests) throw new Error(`BENCH_MANIFESTS ${size} is below the ${points[0]!.manifests} manifests already indexed`);
    const took = await fill.fillTo(size, (n) => process.stdout.write(`\r  filled ${n}/${size}`));
    await client.query('VACUUM ANALYZE');
    console.log(`\nfilled to ${size} manifests by SQL copies in ${took.toFixed(1)} s`);
    const sizes = await tableSizes(client);
    printSizes(`${size} manifests`, sizes);
    points.push({ manifests: size, sizes });

    const { rows } = await client.query<{ hash: string }>('SELECT hash FROM manifest ORDER BY random() LIMIT $1', [REPORTS]);
    const digests = rows.map((r) => r.hash);
    const vulnerabilityReport = async (digest: string) => {
      const t = performance.now();
      const r = await cluster.call(`${cluster.publicBase}/matcher/api/v1/vulnerability_report/${digest}`);
      const text = await r.text();
      if (r.status !== 200) throw new Error(`vulnerability report ${digest}: HTTP ${r.status}: ${text.slice(0, 500)}`);
      const vr = JSON.parse(text) as VulnerabilityReport;
      if (vr.manifest_hash !== digest) throw new Error(`vulnerability report ${digest}: names manifest ${vr.manifest_hash}`);
      return { ms: performance.now() - t, vulnerabilities: Object.keys(vr.vulnerabilities).length, packages: Object.keys(vr.packages).length };
    };
    const indexReport = async (digest: string) => {
      const t = performance.now();
      const r = await cluster.call(`${cluster.publicBase}/indexer/api/v1/index_report/${digest}`);
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`index report ${digest}: HTTP ${r.status}`);
      return performance.now() - t;
    };
    await pool(digests.slice(0, 20), 1, vulnerabilityReport); // warm-up: connections, JIT, plans
    const serial: number[] = [];
    const alone: number[] = [];
    let vulns = 0;
    let packages = 0;
    for (const digest of digests) {
      const vr = await vulnerabilityReport(digest);
      serial.push(vr.ms);
      vulns += vr.vulnerabilities;
      packages += vr.packages;
      alone.push(await indexReport(digest));
    }
    if (vulns === 0) throw new Error('no report listed a vulnerability: the matcher did not match the tracker data');
    const meter = new CpuMeter([
      { name: 'matchers (2 processes)', pids: () => matchers.map((n) => n.pid) },
      { name: 'indexers (2 processes)', pids: () => indexers.map((n) => n.pid) },
      { name: 'postgres backends (matcher db)', pids: () => backendPids(matcherDb) },
      { name: 'postgres backends (indexer db)', pids: () => backendPids(indexerDb) },
      { name: 'postgres auxiliary processes', pids: auxiliaryPids },
      { name: 'nginx', pids: () => [nginx.child.pid!, ...childPids(nginx.child.pid!)] },
      { name: 'bench (client)', pids: () => [process.pid] },
    ]);
    const backends = new BackendSampler(admin, [databaseName(matcherDb), databaseName(indexerDb)]);
    await meter.start();
    backends.start();
    const concurrentStart = performance.now();
    const concurrent = await pool(digests, REPORT_CONCURRENCY, vulnerabilityReport);
    const rate = digests.length / ((performance.now() - concurrentStart) / 1000);
    const cpu = await meter.stop();
    const states = await backends.stop();
    const p50 = percentile(serial, 0.5);
    const p99 = percentile(serial, 0.99);
    console.log(`${size} manifests: ${digests.length} reports of random manifests, ${(packages / digests.length).toFixed(0)} packages and ${(vulns / digests.length).toFixed(0)} vulnerabilities each on average`);
    console.log(`  one at a time: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; index report alone p50 ${percentile(alone, 0.5).toFixed(1)} ms, p99 ${percentile(alone, 0.99).toFixed(1)} ms`);
    console.log(`  ${REPORT_CONCURRENCY} at a time: ${rate.toFixed(1)} reports/s, p50 ${percentile(concurrent.map((c) => c.ms), 0.5).toFixed(1)} ms, p99 ${percentile(concurrent.map((c) => c.ms), 0.99).toFixed(1)} ms`);
    printCpu(cpu);
    printStates(states);
    console.log(`CPU ${JSON.stringify({ manifests: size, reportConcurrency: REPORT_CONCURRENCY, cpu, backends: states })}`);
    // The smallest size is the baseline of the larger ones; its own is the index report alone, through the same nginx.
    const first = reportBaseline;
    const against = (value: number, alone: number) => (first ? { name: `at ${first.manifests} manifests`, value } : { name: 'index report alone', value: alone });
    report({ name: `vulnerability report p50, ${size} manifests`, value: p50, unit: 'ms', baseline: against(first?.p50 ?? 0, percentile(alone, 0.5)) });
    report({ name: `vulnerability report p99, ${size} manifests`, value: p99, unit: 'ms', baseline: against(first?.p99 ?? 0, percentile(alone, 0.99)) });
    report({ name: `vulnerability reports, ${REPORT_CONCURRENCY} in flight, ${size} manifests`, value: rate, unit: 'reports/s', ...(first ? { baseline: { name: `at ${first.manifests} manifests`, value: first.rate } } : {}) });
    reportBaseline ??= { p50, p99, rate, manifests: size };
  }
  const from = points.at(-2)!;
  const to = points.at(-1)!;
  printGrowth(from, to);

  // The hot queries at the largest size, with values from the data.
  const explain = async (name: string, sql: string, params: unknown[]) => {
    const e = await explainAnalyze(client, sql, params);
    console.log(`\nEXPLAIN ${name}: ${e.executionMs.toFixed(2)} ms${e.seqScans.length ? `, sequential scans of ${e.seqScans.join(', ')}` : ', index scans only'}\n${e.plan}`);
  };
  const sample = (await client.query<{ hash: string; id: number }>('SELECT hash, id FROM manifest ORDER BY random() LIMIT 1')).rows[0]!;
  const scanners = (await client.query<{ id: string }>('SELECT id FROM scanner')).rows.map((r) => r.id);
  const layerHashes = (await client.query<{ hash: string }>('SELECT l.hash FROM manifest_layer ml JOIN layer l ON l.id = ml.layer_id WHERE ml.manifest_id = $1', [sample.id])).rows.map((r) => r.hash);
  const baseName = (await client.query<{ name: string }>("SELECT p.name FROM package_scanartifact a JOIN package p ON p.id = a.package_id WHERE a.layer_id = (SELECT layer_id FROM manifest_layer WHERE i = 0 LIMIT 1) ORDER BY p.name LIMIT 1")).rows[0]!.name;
  const rareName = (await client.query<{ name: string }>('SELECT p.name FROM manifest_index mi JOIN package p ON p.id = mi.package_id GROUP BY p.name ORDER BY count(*) LIMIT 1')).rows[0]!.name;
  await explain('index report by digest (GET index_report; every vulnerability report)', 'SELECT r.scan_result FROM indexreport r JOIN manifest m ON m.id = r.manifest_id WHERE m.hash = $1', [sample.hash]);
  await explain('manifest already scanned? (every POST index_report)', 'SELECT count(*)::int AS n FROM scanned_manifest sm JOIN manifest m ON m.id = sm.manifest_id WHERE m.hash = $1 AND sm.scanner_id = ANY($2::bigint[])', [sample.hash, scanners]);
  await explain('layers already scanned (POST index_report)', 'SELECT l.hash, sl.scanner_id FROM scanned_layer sl JOIN layer l ON l.id = sl.layer_id WHERE l.hash = ANY($1::text[]) AND sl.scanner_id = ANY($2::bigint[])', [layerHashes, scanners]);
  await explain('packages of a layer (coalescing, POST index_report)',
    `SELECT p.id, p.name, p.version, s.id AS source_id, s.name AS source_name, a.package_db, a.repository_hint, a.filepath
     FROM package_scanartifact a JOIN layer l ON l.id = a.layer_id JOIN package p ON p.id = a.package_id LEFT JOIN package s ON s.id = a.source_id
     WHERE l.hash = $1 AND a.scanner_id = ANY($2::bigint[]) ORDER BY a.package_db, p.name, p.id`, [layerHashes[0], scanners]);
  // The notifier's lookup is two statements: the packages by name (their own
  // or their source's), then the manifests of those package ids.
  for (const [name, where] of [[rareName, 'a package in few manifests'], [baseName, 'a base-layer package in every manifest']] as const) {
    await explain(`affected manifests, packages named ${name} or built from it (${where}; notifier)`, PACKAGES_BY_NAME_SQL, [[name]]);
    const ids = [...new Set((await client.query<{ id: string }>(PACKAGES_BY_NAME_SQL, [[name]])).rows.map((r) => r.id))];
    await explain(`affected manifests, the records and manifests of those ${ids.length} packages (${name}; notifier)`, RECORDS_OF_PACKAGES_SQL, [ids]);
  }
  await explain('delete one manifest (DELETE index_report; rolled back)', 'DELETE FROM manifest WHERE hash = ANY($1::text[]) RETURNING hash', [[sample.hash]]);

  await explainMatcherLookup(await indexReportOf(sample.id), 'analyzed');
  printSizes('matcher database (the tracker)', await tableSizes(matcherClient));
} finally {
  await cluster.close().catch((err: unknown) => console.error(`closing the cluster: ${(err as Error).message}`));
  for (const close of closers.reverse()) await close().catch(() => {});
  await admin.end();
  for (const db of databases) await db.drop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
