// One phase of bench/bundle.bench.ts in a process of its own, so its peak
// RSS is its own: `export`, `import`, `read` (decode the bundle, no
// database) or `idle` (load the code, do nothing). Plain JavaScript, so it
// can run the compiled code (BENCH_DIST) without tsx as well as the sources
// under tsx. Prints one JSON line: seconds, maxRss (bytes, the kernel's
// high-water mark), sampledRss (the highest 10 ms sample), detail.
//
// Usage: node [--import tsx] bench/support/bundle-phase.mjs <code root> <phase> <config> <bundle>
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, phase, configPath, bundle] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(resolve(root, path)).href);

let sampled = process.memoryUsage().rss;
const timer = setInterval(() => {
  sampled = Math.max(sampled, process.memoryUsage().rss);
}, 10);

const { loadConfig } = await load('config/index.js');
const { createLogger } = await load('lib/logger.js');
const { exportUpdaters } = await load('app/bundle/export.js');
const { importUpdaters } = await load('app/bundle/import.js');
const { decompressedBundle, readBundle } = await load('updaters/bundle/index.js');

const config = (await loadConfig(configPath, 'combo')).config;
const log = createLogger(process.env.BENCH_LOG ? 'info' : 'error', process.stderr);
const start = performance.now();
let detail = {};
if (phase === 'export') {
  const r = await exportUpdaters({ config, target: bundle, compression: 'zstd', log });
  detail = { updaters: r.exported.length, records: r.exported.reduce((n, e) => n + e.records, 0), failed: r.failed, bytes: r.bytes };
} else if (phase === 'import') {
  const r = await importUpdaters({ config, source: bundle, log });
  detail = { operations: r.imported.length, records: r.imported.reduce((n, e) => n + e.records, 0) };
} else if (phase === 'read') {
  let records = 0;
  for await (const op of readBundle(decompressedBundle(createReadStream(bundle)))) for await (const _ of op.records) records++;
  detail = { records };
}
const seconds = (performance.now() - start) / 1000;
clearInterval(timer);
sampled = Math.max(sampled, process.memoryUsage().rss);
console.log(JSON.stringify({ seconds, maxRss: process.resourceUsage().maxRSS * 1024, sampledRss: sampled, detail }));
