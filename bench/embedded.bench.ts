/**
 * The embedded PostgreSQL, measured on a real `clair` process (the built
 * `bin/clair.js`, as `npx clair` runs it) in combo mode on an empty data_dir:
 *
 * - time to ready on the first start (initdb included; target < 5 s) and on a
 *   restart (target < 3 s);
 * - memory of the whole process tree (clair, its watchdog and every
 *   PostgreSQL process), as PSS, so shared memory is counted once: idle after
 *   start (target < 250 MB), and after indexing the four test images
 *   (target < 400 MB);
 * - cold indexing of the Debian test image on the embedded store against the
 *   same on an external PostgreSQL, in this run (target: within 10 %).
 *
 * Needs the test-image corpus for the indexing figures, and PostgreSQL at
 * CLAIR_TEST_PG for the comparison; each is skipped with a message otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from './harness.js';
import { imagesUnavailable, serveImageLayers } from '../src/test-support/images.js';
import { createPostgresDatabase, postgresUnavailable } from '../src/test-support/databases.js';

const ROOT = new URL('../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'clair-bench-embedded-'));
chmodSync(dir, 0o711);

if (!existsSync(join(ROOT, 'dist', 'cli', 'clair.js')) || process.env.BENCH_BUILD !== '0') {
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

/** PSS of a process and all its descendants, in bytes. */
function treePss(root: number): number {
  const children = new Map<number, number[]>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const visit = (pid: number): void => {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      total += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return total;
}

/** Every clair started, so a failed run leaves none behind. */
const started: ChildProcess[] = [];

interface Running {
  child: ChildProcess;
  api: string;
  readyMs: number;
}

/** Starts `node bin/clair.js` with `config` and resolves when it logs "clair ready". */
function startClair(config: string): Promise<Running> {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, config);
  const begun = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'clair.js'), '-conf', path], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('"clair ready"'));
      if (line) resolve({ child, api: (JSON.parse(line) as { address: string }).address, readyMs: performance.now() - begun });
    });
    child.once('exit', (code) => reject(new Error(`clair exited (${code}) before it was ready:\n${out.slice(-2000)}`)));
  });
}

async function stopClair(running: Running): Promise<void> {
  const exited = new Promise((r) => running.child.once('exit', r));
  running.child.kill('SIGTERM');
  await exited;
}

// Red Hat's repository-to-CPE mapping for the RHEL image's content sets, in the real format.
const repoToCpe = join(dir, 'repository-to-cpe.json');
writeFileSync(repoToCpe, JSON.stringify({
  data: {
    'rhel-9-for-x86_64-baseos-rpms': { cpes: ['cpe:/o:redhat:enterprise_linux:9::baseos'] },
    'rhel-9-for-x86_64-appstream-rpms': { cpes: ['cpe:/a:redhat:enterprise_linux:9::appstream'] },
  },
}));

/** A combo config on `connstring` for both node types ('' is the embedded store). */
const base = (connstring: string) =>
  [
    'http_listen_addr: "127.0.0.1:0"',
    'introspection_addr: "127.0.0.1:0"',
    'log_level: info',
    `data_dir: ${JSON.stringify(join(dir, 'data'))}`,
    'indexer:',
    `  connstring: ${JSON.stringify(connstring)}`,
    '  migrations: true',
    '  scanner:',
    '    repo:',
    '      rhel-repository-scanner:',
    `        repo2cpe_mapping_file: ${JSON.stringify(repoToCpe)}`,
    'matcher:',
    `  connstring: ${JSON.stringify(connstring)}`,
    '  migrations: true',
    '  disable_updaters: true',
  ].join('\n');

async function indexMs(api: string, manifest: unknown): Promise<number> {
  const t = performance.now();
  const r = await fetch(`${api}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(manifest) });
  const body = (await r.json()) as { state: string; err: string };
  if (body.state !== 'IndexFinished') throw new Error(`index failed: ${body.err}`);
  return performance.now() - t;
}

const MB = 1024 * 1024;
try {
  const first = await startClair(base(''));
  const settle = () => new Promise((r) => setTimeout(r, 2000));
  await settle();
  const idle = treePss(first.child.pid!);
  await stopClair(first);
  const restart = await startClair(base(''));
  report({ name: 'first start to ready (initdb)', value: first.readyMs, unit: 'ms', target: '< 5000 ms', met: first.readyMs < 5000 });
  report({ name: 'restart to ready', value: restart.readyMs, unit: 'ms', target: '< 3000 ms', met: restart.readyMs < 3000 });
  report({ name: 'idle process tree PSS', value: idle / MB, unit: 'MB', target: '< 250 MB', met: idle < 250 * MB });

  const noImages = imagesUnavailable();
  if (noImages) {
    console.log(`skipped indexing figures: ${noImages}`);
  } else {
    const layers = await serveImageLayers();
    const embeddedDebian = await indexMs(restart.api, layers.manifest('debian'));
    for (const image of ['alpine', 'rhel', 'lang']) await indexMs(restart.api, layers.manifest(image));
    await settle();
    const loaded = treePss(restart.child.pid!);
    report({ name: 'process tree PSS after 4 images', value: loaded / MB, unit: 'MB', target: '< 400 MB', met: loaded < 400 * MB });
    const noPostgres = await postgresUnavailable();
    if (noPostgres) {
      console.log(`skipped the external PostgreSQL comparison: ${noPostgres}`);
      report({ name: 'cold index, Debian image (embedded)', value: embeddedDebian, unit: 'ms' });
    } else {
      const target = await createPostgresDatabase();
      try {
        const external = await startClair(base(target.connstring));
        const externalDebian = await indexMs(external.api, layers.manifest('debian'));
        await stopClair(external);
        report({ name: 'cold index, Debian image (embedded)', value: embeddedDebian, unit: 'ms', baseline: { name: 'external PostgreSQL', value: externalDebian }, target: '<= 1.10x', met: embeddedDebian <= externalDebian * 1.1 });
      } finally {
        await target.drop();
      }
    }
    await layers.close();
  }
  await stopClair(restart);
} finally {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all(started.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined)));
  rmSync(dir, { recursive: true, force: true });
}
