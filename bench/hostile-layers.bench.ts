/**
 * The hostile layers of the availability issue (item 4, "safe resource
 * limits by default"), each built at full size, opened with
 * `openLayerFromStream` and the default limits and, when accepted, scanned by
 * every default scanner as the indexer would, each layer in its own process
 * (`--measure`). Per layer: the outcome, wall time against `gzip -dc | tar -t`
 * (or `zstd -dc | tar -t`) of the same blob, CPU seconds, peak RSS (the
 * kernel's high-water mark, Node's start-up included), RSS once closed, and
 * the longest event-loop stall.
 * Targets (the issue's): under 512 MB RSS, under 30 s of CPU, no stall over 1 s.
 *
 * Besides the table, two accepted layers show what the limits still
 * allow: 999,999 empty files (just under `layer_entries`), and the nested
 * node_modules layer at the deepest `path_depth` accepts.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createGzip, gzipSync } from 'node:zlib';
import { report } from './harness.js';
import { DEFAULT_ECOSYSTEMS } from '../src/app/defaults/ecosystems.js';
import { openLayerFromStream } from '../src/indexer/layer/index.js';
import { isClairError } from '../src/lib/errors.js';
import { deepDirectoryTar, emptyFilesTar, gzipBomb, nestedNodeModulesTar, zstdRleBomb } from '../src/test-support/hostile-layers.js';

const MB = 1024 * 1024;
const GIB = 1024 * MB;

/** What one `--measure` child prints, as JSON on its last line. */
interface Measurement {
  outcome: string;
  seconds: number;
  /** Until the layer was open (or refused). */
  openSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  startRssMb: number;
  closedRssMb: number;
  maxStallMs: number;
  slowScanners: string[];
}

interface Layer {
  label: string;
  file: string;
  build: (path: string) => Promise<void>;
}

const SCANNERS = DEFAULT_ECOSYSTEMS.flatMap((e) => [...e.packageScanners, ...e.distributionScanners, ...e.repositoryScanners, ...e.fileScanners]);

async function measure(file: string, spoolDir: string): Promise<Measurement> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const digest = `sha256:${hash.digest('hex')}`;
  global.gc?.();
  const startRss = process.memoryUsage().rss;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const slowScanners: string[] = [];
  let outcome: string;
  let openSeconds = Number.NaN;
  try {
    const layer = await openLayerFromStream(createReadStream(file, { highWaterMark: 64 * 1024 }), digest, { spool: { dir: spoolDir } });
    openSeconds = (performance.now() - started) / 1000;
    let findings = 0;
    try {
      for (const scanner of SCANNERS) {
        // The controller stores each scanner's result (I/O) before the next: a turn of the loop.
        await setImmediate();
        const t = performance.now();
        findings += (await scanner.scan(layer, {})).length;
        const ms = performance.now() - t;
        if (ms > 1000) slowScanners.push(`${scanner.name} ${(ms / 1000).toFixed(1)} s`);
      }
    } finally {
      await layer.close();
    }
    outcome = `accepted, ${findings} findings`;
  } catch (err) {
    if (Number.isNaN(openSeconds)) openSeconds = (performance.now() - started) / 1000;
    outcome = isClairError(err) ? `${err.code}: ${err.message.replace(digest, 'sha256:…')}` : `unexpected: ${String(err)}`;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  delay.disable();
  global.gc?.();
  return {
    outcome,
    seconds,
    openSeconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMb: peakRssKb() / 1024,
    startRssMb: startRss / MB,
    closedRssMb: process.memoryUsage().rss / MB,
    maxStallMs: delay.max / 1e6,
    slowScanners,
  };
}

/**
 * This process image's peak RSS in KiB: VmHWM on Linux. (getrusage's maxRSS
 * survives fork and exec, so a child would inherit the generator's peak.)
 */
function peakRssKb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

/** Seconds for system tools to decompress and list the whole blob. */
function baselineSeconds(file: string): number {
  const tool = file.endsWith('.zst') ? 'zstd' : 'gzip';
  const started = performance.now();
  const r = spawnSync('bash', ['-c', `set -o pipefail; ${tool} -dc '${file}' | tar -t > /dev/null`]);
  if (r.status !== 0) throw new Error(`baseline failed on ${file}: ${r.stderr.toString()}`);
  return (performance.now() - started) / 1000;
}

async function writeGzipStream(path: string, chunks: Iterable<Buffer>): Promise<void> {
  await pipeline(Readable.from(chunks, { objectMode: false }), createGzip({ level: 9 }), createWriteStream(path));
}

if (process.argv[2] === '--measure') {
  const result = await measure(process.argv[3]!, process.argv[4]!);
  console.log(JSON.stringify(result));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'clair-hostile-bench-'));
  const layers: Layer[] = [
    { label: '2,000 nested node_modules', file: 'nested.tar.gz', build: async (p) => writeFileSync(p, gzipSync(nestedNodeModulesTar(2000), { level: 9 })) },
    { label: '10k-deep directory', file: 'deep.tar.gz', build: async (p) => writeFileSync(p, gzipSync(deepDirectoryTar(10_000), { level: 9 })) },
    { label: '3M empty files', file: 'empty-3m.tar.gz', build: (p) => writeGzipStream(p, emptyFilesTar(3_000_000)) },
    { label: '20 MB gzip bomb (20 GiB)', file: 'bomb-20g.tar.gz', build: async (p) => writeFileSync(p, gzipBomb(20 * GIB)) },
    { label: '4 MB gzip bomb (4 GiB)', file: 'bomb-4g.tar.gz', build: async (p) => writeFileSync(p, gzipBomb(4 * GIB)) },
    { label: '132 KB zstd bomb (4 GiB)', file: 'bomb-4g.tar.zst', build: async (p) => writeFileSync(p, zstdRleBomb(4 * GIB)) },
    { label: 'accepted: 999,999 empty files', file: 'empty-999999.tar.gz', build: (p) => writeGzipStream(p, emptyFilesTar(999_999 - 1000)) },
    { label: 'accepted: 127 nested node_modules', file: 'nested-127.tar.gz', build: async (p) => writeFileSync(p, gzipSync(nestedNodeModulesTar(127), { level: 9 })) },
  ];
  try {
    for (const layer of layers) {
      const path = join(dir, layer.file);
      await layer.build(path);
      const spool = mkdtempSync(join(dir, 'spool-'));
      const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--measure', path, spool], { encoding: 'utf8', maxBuffer: 64 * MB });
      if (child.status !== 0) throw new Error(`measuring ${layer.label} failed: ${child.stderr}`);
      const m = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Measurement;
      const base = baselineSeconds(path);
      const name = `${layer.label} (${(statSync(path).size / 1000).toFixed(0)} KB)`;
      console.log(`\n${name}: ${m.outcome}`);
      if (m.slowScanners.length > 0) console.log(`  scanners over 1 s: ${m.slowScanners.join(', ')}`);
      console.log(`  ${m.openSeconds.toFixed(2)} s to open or refuse; RSS ${m.startRssMb.toFixed(0)} MB at start, ${m.closedRssMb.toFixed(0)} MB once closed`);
      report({ name: `${layer.label}: time`, value: m.seconds, unit: 's', baseline: { name: 'decompress | tar -t', value: base } });
      report({ name: `${layer.label}: CPU`, value: m.cpuSeconds, unit: 's', target: '< 30 s', met: m.cpuSeconds < 30 });
      report({ name: `${layer.label}: peak RSS`, value: m.peakRssMb, unit: 'MB', target: '< 512 MB', met: m.peakRssMb < 512 });
      report({ name: `${layer.label}: longest stall`, value: m.maxStallMs, unit: 'ms', target: '< 1000 ms', met: m.maxStallMs < 1000 });
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
