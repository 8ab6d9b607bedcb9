/**
 * Fault suite: the indexer's PostgreSQL connections are killed
 * (`pg_terminate_backend`) while a manifest is being indexed. The run ends
 * finished with every package or failed with a clear error, never a
 * finished report missing packages; the next request indexes it whole.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../store/database.js';
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/open.js';
import { buildTar, gzip } from '../test-support/layer-builder.js';
import { misbehavingServer, testIndexer, type MisbehavingServer } from '../test-support/layer-fetch.js';
import { ADMIN_URL, createPostgresDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { lines } from '../test-support/scan.js';
import type { Manifest } from '../model/index.js';

const skip = await postgresUnavailable();

const LAYER = gzip(
  buildTar([
    { path: 'etc/os-release', content: lines('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"', 'NAME="Debian GNU/Linux"', 'VERSION_ID="12"', 'VERSION_CODENAME=bookworm', 'ID=debian') },
    { path: 'var/lib/dpkg/info', type: 'dir' },
    {
      path: 'var/lib/dpkg/status',
      content: lines(
        'Package: libssl3', 'Status: install ok installed', 'Architecture: amd64', 'Source: openssl', 'Version: 3.0.11-1~deb12u2', '',
        'Package: bash', 'Status: install ok installed', 'Architecture: amd64', 'Version: 5.2.15-2+b2',
      ),
    },
    // Padding, so the body can be held back part-way.
    { path: 'usr/share/doc/filler', content: Buffer.alloc(256 * 1024, 7) },
  ]),
);
const LAYER_DIGEST = `sha256:${createHash('sha256').update(LAYER).digest('hex')}`;

describe('indexing while the database connections are killed', { skip }, () => {
  let target: TestDatabase;
  let db: Database;
  let server: MisbehavingServer;
  let release: () => void = () => {};
  let hold = true;
  before(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase(target.connstring, { dataDir: 'unused' });
    await migrate(db, 'indexer');
    // Sends half the layer, then waits for the test to let it finish.
    server = await misbehavingServer((res) => {
      res.writeHead(200, { 'content-length': String(LAYER.length), 'content-type': 'application/octet-stream' });
      const half = Math.floor(LAYER.length / 2);
      res.write(LAYER.subarray(0, half));
      const rest = () => res.end(LAYER.subarray(half));
      if (!hold) return rest();
      new Promise<void>((r) => (release = r)).then(rest, () => {});
    });
  });
  after(async () => {
    release();
    await server?.close();
    await db?.close();
    await target?.drop();
  });

  it('ends finished and whole, or failed with a clear error; the next request indexes it whole', async (t) => {
    const ix = await testIndexer(db, {});
    const manifest = { hash: `sha256:${'e'.repeat(64)}`, layers: [{ hash: LAYER_DIGEST, uri: server.url('/layer'), headers: {} }] } as unknown as Manifest;
    const running = ix.index(manifest);
    for (let i = 0; i < 200 && server.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.requests.length, 1, 'the layer fetch began');

    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ n: number }>(
        'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [new URL(target.connstring).pathname.slice(1)],
      );
      assert.ok(rows[0]!.n >= 1, 'the indexer had sessions open');
    } finally {
      await admin.end();
    }
    release();
    const first = await running;
    t.diagnostic(`first run: ${first.state}${first.err ? `: ${first.err}` : ''}`);
    const packages = (r: typeof first) => Object.values(r.packages).map((p) => `${p.name} ${p.version}`).sort();
    const whole = ['bash 5.2.15-2+b2', 'libssl3 3.0.11-1~deb12u2'];
    if (first.state === 'IndexFinished') {
      assert.deepEqual(packages(first), whole, 'finished means every package');
    } else {
      assert.equal(first.state, 'IndexError');
      assert.match(first.err, /\S/, 'a failure says why');
    }
    const stored = await ix.indexReport(manifest.hash);
    assert.equal(stored?.state, first.state, 'what the run ended with is what is stored');

    hold = false;
    const again = first.state === 'IndexFinished' ? first : await ix.index(manifest);
    assert.equal(again.state, 'IndexFinished');
    assert.deepEqual(packages(again), whole);
  });
});
