/**
 * Cold indexing throughput and memory: a full index (HTTP fetch, digest
 * check, gunzip, spool, tar index, every default scanner, coalescing, store)
 * of a generated gzip layer of BENCH_LAYER_MB uncompressed megabytes
 * (default 1024), against `zcat | tar -t` of the same file in the same run.
 * Targets: >= 0.5x the baseline's rate; peak RSS under 300 MB.
 * The real Debian image layers are indexed too when .test-images exists.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { report } from './harness.js';
import { openDatabase } from '../src/store/open.js';
import { migrate } from '../src/store/migrate.js';
import { createIndexer } from '../src/app/indexer.js';
import { DEFAULT_ECOSYSTEMS, DEFAULT_RESOLVERS } from '../src/app/defaults/ecosystems.js';
import { httpLayerOpener } from '../src/indexer/layer-opener.js';
import { defaultMatchers } from '../src/app/defaults/matchers.js';
import { createLogger } from '../src/lib/logger.js';
import type { Manifest } from '../src/model/index.js';

const MB = 1024 * 1024;
console.log(`store: ${process.env.BENCH_STORE ?? 'postgres if reachable'}`);
const layerMb = Number(process.env.BENCH_LAYER_MB ?? 1024);
const dir = mkdtempSync(join(tmpdir(), 'clair-bench-'));

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (c) => h.update(c)).on('end', () => resolve(`sha256:${h.digest('hex')}`)).on('error', reject);
  });
}

/** PostgreSQL (the production store) when reachable, else the embedded store; BENCH_STORE overrides. */
async function benchConnstring(): Promise<string> {
  if (process.env.BENCH_STORE === 'embedded') return 'memory://';
  const { createPostgresDatabase, postgresUnavailable } = await import('../src/test-support/databases.js');
  if (process.env.BENCH_STORE !== 'postgres' && (await postgresUnavailable())) return 'memory://';
  const target = await createPostgresDatabase();
  cleanups.push(() => target.drop());
  return target.connstring;
}

const cleanups: Array<() => Promise<void>> = [];

function baselineSeconds(files: string[]): number {
  const started = performance.now();
  for (const f of files) {
    const r = spawnSync('bash', ['-c', `zcat '${f}' | tar -t > /dev/null`]);
    if (r.status !== 0) throw new Error(`baseline failed on ${f}: ${r.stderr}`);
  }
  return (performance.now() - started) / 1000;
}

async function indexSeconds(files: string[]): Promise<{ seconds: number; peakRss: number }> {
  const server = createServer((req, res) => {
    const file = files[Number((req.url ?? '/0').slice(1))]!;
    res.writeHead(200, { 'content-length': String(statSync(file).size) });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const db = await openDatabase(await benchConnstring(), { dataDir: dir });
  await migrate(db, 'indexer');
  const log = createLogger('error');
  const indexer = await createIndexer({
    db, ecosystems: DEFAULT_ECOSYSTEMS, resolvers: DEFAULT_RESOLVERS, matchers: defaultMatchers(), layerConcurrency: 2, lockRetryMs: 1000, log,
    openLayer: httpLayerOpener({ spool: { dir } }),
  });
  const layers = await Promise.all(files.map(async (f, i) => ({ hash: await sha256File(f), uri: `${base}/${i}` })));
  const manifest = { hash: `sha256:${createHash('sha256').update(layers.map((l) => l.hash).join()).digest('hex')}`, layers } as unknown as Manifest;
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const started = performance.now();
  const result = await indexer.index(manifest);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (result.state !== 'IndexFinished') throw new Error(`index failed: ${result.err}`);
  await db.close();
  server.close();
  return { seconds, peakRss };
}

try {
  const layer = join(dir, 'layer.tar.gz');
  console.log(`generating a ${layerMb} MB layer…`);
  // In a child process, so generation's buffers never count towards the indexer's RSS.
  const gen = spawnSync(process.execPath, ['--import', 'tsx', join('bench', 'support', 'generate-layer.ts'), layer, String(layerMb)], { stdio: 'inherit' });
  if (gen.status !== 0) throw new Error('layer generation failed');
  const cases: Array<[string, string[], number]> = [[`generated ${layerMb} MB layer`, [layer], layerMb * MB]];
  const debian = join(process.cwd(), '.test-images', 'layers', 'debian');
  if (existsSync(debian)) {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(debian).filter((f) => f.endsWith('.tar.gz')).sort().map((f) => join(debian, f));
    const bytes = files.reduce((s, f) => s + Number(spawnSync('bash', ['-c', `zcat '${f}' | wc -c`]).stdout.toString().trim()), 0);
    cases.push(['debian bookworm image (3 layers)', files, bytes]);
  }
  for (const [name, files, bytes] of cases) {
    const base = baselineSeconds(files);
    const { seconds, peakRss } = await indexSeconds(files);
    const rate = bytes / MB / seconds;
    const baseRate = bytes / MB / base;
    report({ name: `cold index: ${name}`, value: rate, unit: 'MB/s', baseline: { name: 'zcat | tar -t', value: baseRate }, target: '>= 0.5x baseline', met: rate / baseRate >= 0.5 });
    report({ name: `peak RSS: ${name}`, value: peakRss / MB, unit: 'MB', target: '< 300 MB', met: peakRss / MB < 300 });
  }
} finally {
  for (const c of cleanups) await c();
  rmSync(dir, { recursive: true, force: true });
}
