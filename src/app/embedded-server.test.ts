/**
 * The embedded PostgreSQL server on real `clair` processes: killed with -9
 * in the middle of an index, the next start finishes the index exactly; a
 * second process on the same data_dir is refused; SIGTERM leaves no
 * PostgreSQL process behind; and as root the server runs as its own
 * unprivileged user.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killSpawned, spawnCli, type Spawned } from '../test-support/spawn.js';
import { expectedLines, IMAGES_DIR, imagesUnavailable, serveImageLayers } from '../test-support/images.js';
import type { IndexReport } from '../model/index.js';
import { EMBEDDED_USER } from '../store/embedded/run-as.js';

const dir = mkdtempSync(join(tmpdir(), 'clair-embedded-'));
chmodSync(dir, 0o711); // as root the server runs as clair-postgres, which must enter data_dir
after(() => {
  killSpawned();
  rmSync(dir, { recursive: true, force: true });
});

/** The PostgreSQL postmasters serving `dataDir`. */
function servers(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return cmdline[0]?.endsWith('postgres') === true && cmdline.includes(join(dataDir, 'postgres'));
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function config(name: string, dataDir: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, ['http_listen_addr: "127.0.0.1:0"', 'introspection_addr: "127.0.0.1:0"', `data_dir: ${JSON.stringify(dataDir)}`, 'matcher:', '  disable_updaters: true'].join('\n'));
  return path;
}

async function startClair(conf: string): Promise<{ run: Spawned; api: string }> {
  const run = spawnCli('clair', ['-mode', 'indexer'], { CLAIR_CONF: conf });
  const ready = JSON.parse(await run.waitFor(/"clair ready"/, 60_000)) as { address: string };
  return { run, api: ready.address };
}

describe('the embedded PostgreSQL of a clair process', () => {
  it('is refused to a second process on the same data_dir, naming it, and SIGTERM leaves no PostgreSQL behind', async () => {
    const dataDir = join(dir, 'shared');
    const conf = config('shared', dataDir);
    const first = await startClair(conf);
    assert.equal(servers(dataDir).length, 1);
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', EMBEDDED_USER], { encoding: 'utf8' }).trim());
      assert.equal(statSync(join(dataDir, 'postgres')).uid, uid, `as root, the server's data belongs to ${EMBEDDED_USER}`);
    }
    const second = spawnCli('clair', ['-mode', 'indexer'], { CLAIR_CONF: conf });
    assert.equal(await second.exit, 1);
    assert.match(second.stdout() + second.stderr(), new RegExp(`embedded database ${dataDir} is in use by process ${first.run.child.pid}`));
    first.run.child.kill('SIGTERM');
    assert.equal(await first.run.exit, 0, first.run.stderr());
    assert.deepEqual(servers(dataDir), [], 'no PostgreSQL process is left once clair has exited');
  });

  it('makes clair exit 1, naming the cause, when its PostgreSQL stops on its own, and a restart serves again', async () => {
    const dataDir = join(dir, 'lost');
    const conf = config('lost', dataDir);
    const first = await startClair(conf);
    const [postmaster] = servers(dataDir);
    assert.ok(postmaster);
    process.kill(postmaster, 'SIGKILL');
    assert.equal(await first.run.exit, 1);
    assert.match(first.run.stdout(), /"clair database lost; exiting"/);
    assert.match(first.run.stdout(), new RegExp(`the embedded PostgreSQL of ${dataDir} stopped unexpectedly`));
    const again = await startClair(conf);
    const r = await fetch(`${again.api}/indexer/api/v1/index_state`);
    assert.equal(r.status, 200);
    again.run.child.kill('SIGTERM');
    assert.equal(await again.run.exit, 0, again.run.stderr());
    assert.deepEqual(servers(dataDir), []);
  });

  it('finishes an index exactly after clair was killed with -9 in the middle of it', { skip: imagesUnavailable() }, async () => {
    const dataDir = join(dir, 'killed');
    const conf = config('killed', dataDir);
    // Layers served slowly, so the first clair is killed while it still fetches them.
    let requests = 0;
    const slow = createServer((req, res) => {
      requests++;
      const file = join(IMAGES_DIR, 'layers', decodeURIComponent((req.url ?? '/').slice(1)));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
      stream.on('data', () => {
        stream.pause();
        setTimeout(() => stream.resume(), 20);
      });
      stream.pipe(res);
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const layers = await serveImageLayers();
    try {
      const fast = layers.manifest('debian');
      const port = (slow.address() as AddressInfo).port;
      const slowManifest = { ...fast, layers: fast.layers.map((l) => ({ ...l, uri: l.uri.replace(/:\d+\//, `:${port}/`) })) };
      const first = await startClair(conf);
      void fetch(`${first.api}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(slowManifest) }).catch(() => {});
      await until(() => requests > 0);
      await new Promise((r) => setTimeout(r, 500));
      first.run.child.kill('SIGKILL');
      await first.run.exit;
      await until(() => servers(dataDir).length === 0); // its watchdog stops the orphaned server
      const second = await startClair(conf);
      const indexed = await fetch(`${second.api}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(fast) });
      const report = (await indexed.json()) as IndexReport;
      assert.equal(report.state, 'IndexFinished', report.err);
      const found = Object.values(report.packages)
        .filter((p) => p.kind === 'binary' && report.environments[p.id]?.[0]?.package_db === 'var/lib/dpkg/status')
        .map((p) => `${p.name} ${p.version} ${p.source?.name} ${p.source?.version} ${p.arch}`)
        .sort();
      assert.deepEqual(found, expectedLines('debian.debs.txt').sort(), 'exactly the packages dpkg-query lists');
      second.run.child.kill('SIGTERM');
      assert.equal(await second.run.exit, 0);
    } finally {
      await layers.close();
      await new Promise((r) => slow.close(r));
    }
  });
});
