/**
 * @module Benchmark: the air-gap bundle, export then import, at bounded
 * memory (upstream's exporter has been reported to need 16 GB).
 *
 * The real data in ../shared/data is served on loopback at each updater's
 * upstream layout (README there): the Alpine secdb v3.3–v3.11, the OSV
 * bundles (Go, PyPI, crates.io, npm, Maven, RubyGems), Red Hat VEX (the
 * server fixture plus every individual document as a newer change), Photon
 * 3 OVAL, Wolfi and Chainguard, the SUSE and Oracle OVAL excerpts, and the
 * Debian tracker: its real excerpt is tiny, so (as the data README advises)
 * a synthetic tracker of upstream size in the real schema stands in
 * (BENCH_DEBIAN_PACKAGES, default 40 000 source packages). Amazon and
 * Ubuntu are left out: their data there is not in a fetchable form.
 *
 * 1. `export-updaters` to a zstd bundle, in a child process;
 * 2. `import-updaters` of that bundle into a fresh PostgreSQL database
 *    (embedded when no PostgreSQL answers), in another child process.
 *
 * Each child reports its peak RSS (the kernel's high-water mark,
 * `process.resourceUsage().maxRSS`, cross-checked by sampling
 * `memoryUsage().rss` every 10 ms) against the target of < 300 MB. The
 * baseline, measured in the same run, is a child that loads the same code
 * and does nothing. Times: the import is compared with a plain read of the
 * bundle through the codec (decompress and parse, no database).
 *
 * Run: npm run bench bundle. BENCH_SETS=alpine,osv narrows the sets;
 * BENCH_DIST=<dir> runs the phases on compiled code (`tsc -p
 * tsconfig.build.json --outDir <dir>`, with `migrations/` beside it) instead
 * of the sources under tsx, whose loader alone adds about 40 MB of RSS;
 * BENCH_STORE=embedded imports into the embedded PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { report } from './harness.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DATA = resolve(ROOT, '..', 'shared', 'data');
const RSS_TARGET_MB = 300;
const DEBIAN_PACKAGES = Number(process.env.BENCH_DEBIAN_PACKAGES ?? 40_000);
const SETS = process.env.BENCH_SETS?.split(',') ?? ['alpine', 'osv', 'rhel-vex', 'photon', 'wolfi', 'chainguard', 'suse', 'oracle', 'debian'];

const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

interface PhaseResult {
  seconds: number;
  /** Bytes: the kernel's high-water mark. */
  maxRss: number;
  /** Bytes: the highest 10 ms sample. */
  sampledRss: number;
  detail: Record<string, unknown>;
}

// ---- the phases, each in a child process (bench/support/bundle-phase.mjs) ----

/** Compiled code to run instead of the sources under tsx (e.g. `dist` after `npm run build`), which shows the RSS without the TypeScript loader. */
const DIST = process.env.BENCH_DIST;

function child(phase: string, configPath: string, bundle: string): Promise<PhaseResult> {
  const script = join(ROOT, 'bench', 'support', 'bundle-phase.mjs');
  const args = DIST ? [script, resolve(DIST), phase, configPath, bundle] : ['--import', 'tsx', script, join(ROOT, 'src'), phase, configPath, bundle];
  return new Promise((resolvePhase, reject) => {
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 ? resolvePhase(JSON.parse(out.trim().split('\n').at(-1)!) as PhaseResult) : reject(new Error(`${phase} child exited ${code}: ${out.slice(-2000)}`))));
  });
}

// ---- parent side: the loopback mirror ----

type Route = { body: string | Uint8Array | { file: string }; contentType?: string; lastModified?: Date };

/** Every file under `dir` at `prefix`, with directories answering an empty 200 (the Alpine probe). */
function tree(dir: string, prefix: string): Record<string, Route> {
  const routes: Record<string, Route> = {};
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, entry);
    routes[`${prefix}${entry}${statSync(path).isDirectory() ? '/' : ''}`] = statSync(path).isDirectory() ? { body: '' } : { body: { file: path } };
  }
  return routes;
}

/** The Red Hat VEX server fixture, with every individual document added as a change newer than the archive. */
function vexRoutes(prefix: string): Record<string, Route> {
  const server = join(DATA, 'redhat', 'vex', 'server');
  const routes = tree(server, prefix);
  const changes = [readFileSync(join(server, 'changes.csv'), 'utf8').trimEnd()];
  for (const file of readdirSync(join(DATA, 'redhat', 'vex', 'individual')).sort()) {
    const year = /^cve-(\d{4})-/.exec(file)?.[1] ?? '2024';
    routes[`${prefix}${year}/${file}`] = { body: { file: join(DATA, 'redhat', 'vex', 'individual', file) } };
    changes.push(`"${year}/${file}","2024-01-15T00:00:00+00:00"`);
  }
  routes[`${prefix}changes.csv`] = { body: `${changes.join('\n')}\n` };
  // As the real server: the archive is newer than the changes it already holds (claircore's fixture dates).
  routes[`${prefix}csaf_vex_2023-10-31.tar.zst`] = { body: { file: join(server, 'csaf_vex_2023-10-31.tar.zst') }, lastModified: new Date('2023-12-11T00:00:00Z') };
  return routes;
}

async function mirror(work: string): Promise<{ url: string; close(): Promise<void>; config: Record<string, unknown> }> {
  const { startFeedServer } = await import('../src/test-support/feed-server.js');
  const { writeSyntheticTracker } = await import('../src/test-support/debian-tracker.js');
  const tracker = join(work, 'tracker.json');
  await writeSyntheticTracker(tracker, { packages: DEBIAN_PACKAGES, seed: 42, numbered: ['bullseye', 'bookworm'] });
  const release = (codename: string, version: string): string => `Origin: Debian\nLabel: Debian\nSuite: stable\nVersion: ${version}\nCodename: ${codename}\nDescription: Debian ${version}\n`;
  const suse = gzipSync(readFileSync(join(DATA, 'suse', 'vunnel-fixture-suse_truncated.xml')));
  const oracle = ['vunnel-fixture-mock_data.xml', 'vunnel-fixture-mock_per_arch_data.xml', 'vunnel-fixture-mock_ksplice_data.xml'];
  const routes: Record<string, Route> = {
    ...tree(join(DATA, 'alpine', 'secdb'), '/alpine/'),
    ...tree(join(DATA, 'osv'), '/'),
    ...vexRoutes('/data/csaf/v2/vex/'),
    '/photon/com.vmware.phsa-photon3.xml.gz': { body: { file: join(DATA, 'photon', 'com.vmware.phsa-photon3.xml.gz') } },
    '/wolfi/security.json': { body: { file: join(DATA, 'wolfi', 'vunnel-fixture-security.json') }, contentType: 'application/json' },
    '/chainguard/security.json': { body: { file: join(DATA, 'wolfi', 'vunnel-fixture-chainguard-security.json') }, contentType: 'application/json' },
    '/suse/': { body: '<a href="suse.linux.enterprise.server.15.xml.gz">suse.linux.enterprise.server.15.xml.gz</a>', contentType: 'text/html' },
    '/suse/suse.linux.enterprise.server.15.xml.gz': { body: suse },
    ...Object.fromEntries(oracle.map((f, i) => [`/oracle/com.oracle.elsa-${2022 + i}.xml`, { body: { file: join(DATA, 'oracle', f) } }])),
    '/debian/dists/': { body: '<a href="bookworm/">bookworm/</a> <a href="bullseye/">bullseye/</a>', contentType: 'text/html' },
    '/debian/dists/bookworm/Release': { body: release('bookworm', '12.7') },
    '/debian/dists/bullseye/Release': { body: release('bullseye', '11.11') },
    '/tracker/data/json': { body: { file: tracker }, contentType: 'application/json' },
  };
  const server = await startFeedServer(routes);
  const url = server.url;
  const config = {
    alpine: { url: `${url}alpine/` },
    osv: { url },
    'rhel-vex': { url: `${url}data/csaf/v2/vex/` },
    photon: { url: `${url}photon/`, releases: ['3.0'], compression: 'gz' },
    wolfi: { url: `${url}wolfi/security.json` },
    chainguard: { url: `${url}chainguard/security.json` },
    suse: { url: `${url}suse/` },
    oracle: { url: `${url}oracle/`, first_year: 2022, last_year: 2024 },
    ...Object.fromEntries(oracle.map((_, i) => [`oracle-${2022 + i}-updater`, { url: `${url}oracle/com.oracle.elsa-${2022 + i}.xml`, compression: 'none' }])),
    debian: { mirror_url: url, json_url: `${url}tracker/data/json` },
  };
  return { url, close: () => server.close(), config };
}

async function main(): Promise<void> {
  if (!existsSync(join(DATA, 'README.md'))) {
    console.log(`shared data absent at ${DATA}: bundle benchmark skipped`);
    return;
  }
  const work = await mkdtemp(join(tmpdir(), 'clair-bench-bundle-'));
  const { createPostgresDatabase, postgresUnavailable } = await import('../src/test-support/databases.js');
  const pg = process.env.BENCH_STORE !== 'embedded' && !(await postgresUnavailable()) ? await createPostgresDatabase() : undefined;
  const feeds = await mirror(work);
  try {
    const bundle = join(work, 'bundle.zst');
    const exportConfig = join(work, 'export.yaml');
    writeFileSync(exportConfig, stringify({ log_level: 'error', matcher: { disable_updaters: false }, updaters: { sets: SETS, config: feeds.config } }));
    const importConfig = join(work, 'import.yaml');
    writeFileSync(importConfig, stringify({ log_level: 'error', data_dir: join(work, 'data'), matcher: { connstring: pg?.connstring ?? `embedded://${join(work, 'embedded')}`, migrations: true, disable_updaters: true } }));

    const idle = await child('idle', exportConfig, bundle);
    const exported = await child('export', exportConfig, bundle);
    const size = (await stat(bundle)).size;
    const d = exported.detail as { updaters: number; records: number; failed: string[] };
    console.log(`export: ${d.updaters} updaters, ${d.records} records (the synthetic Debian tracker has ${DEBIAN_PACKAGES} source packages), failed: ${d.failed.length === 0 ? 'none' : d.failed.join(', ')}; bundle ${mb(size)} MB zstd`);
    const read = await child('read', exportConfig, bundle);
    const imported = await child('import', importConfig, bundle);
    const i = imported.detail as { operations: number; records: number };
    console.log(`import: ${i.operations} operations, ${i.records} distinct records into ${pg ? 'PostgreSQL' : 'embedded PostgreSQL'}; code: ${DIST ? `compiled (${DIST})` : 'sources under tsx'}`);

    const idleMb = { name: 'idle process', value: mb(idle.maxRss) };
    report({ name: 'bundle export time', value: exported.seconds, unit: 's' });
    report({ name: 'bundle size (zstd)', value: mb(size), unit: 'MB' });
    report({ name: 'bundle export peak RSS', value: mb(exported.maxRss), unit: 'MB', baseline: idleMb, target: `< ${RSS_TARGET_MB} MB`, met: mb(exported.maxRss) < RSS_TARGET_MB });
    report({ name: 'bundle import time', value: imported.seconds, unit: 's', baseline: { name: 'codec read only', value: read.seconds } });
    report({ name: 'bundle import peak RSS', value: mb(imported.maxRss), unit: 'MB', baseline: idleMb, target: `< ${RSS_TARGET_MB} MB`, met: mb(imported.maxRss) < RSS_TARGET_MB });
    console.log(`(10 ms samples agree: export ${mb(exported.sampledRss)} MB, import ${mb(imported.sampledRss)} MB, codec read ${mb(read.sampledRss)} MB)`);
  } finally {
    await feeds.close();
    await pg?.drop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
