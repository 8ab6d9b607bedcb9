import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startClair, type ClairProcess } from './start.js';
import { openDatabase } from '../store/open.js';
import { loadMigrations, migrate } from '../store/migrate.js';
import { BACKENDS, createTestDatabase, postgresUnavailable, type Backend, type TestDatabase } from '../test-support/databases.js';
import { quietLogger, testConfig } from '../test-support/config.js';
import { isClairError } from '../lib/errors.js';
import type { Mode } from '../config/types.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const PSK = { key: Buffer.from('combo-test-key').toString('base64'), iss: ['tester'] };
const WEBHOOK = { target: 'http://127.0.0.1:1/hook', callback: 'http://127.0.0.1:1/notifier/api/v1/notification/' };

const pgSkip = await postgresUnavailable();
const skipFor = (backend: Backend) => (backend === 'postgres' ? pgSkip : undefined);

async function tablesOf(target: TestDatabase): Promise<Set<string>> {
  const db = await openDatabase(target.connstring, { dataDir: 'unused' });
  try {
    const { rows } = await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'");
    return new Set(rows.map((r) => r.t));
  } finally {
    await db.close();
  }
}

async function status(url: string, init?: RequestInit): Promise<number> {
  return (await fetch(url, init)).status;
}

async function start(mode: Mode, raw: Record<string, unknown>): Promise<ClairProcess> {
  return startClair({ config: testConfig(mode, raw), mode, log: quietLogger() });
}

for (const backend of BACKENDS) {
  describe(`clair modes (${backend})`, { skip: skipFor(backend) }, () => {
    const cleanups: Array<() => Promise<void>> = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });
    const fresh = async (): Promise<TestDatabase> => {
      const t = await createTestDatabase(backend);
      cleanups.push(() => t.drop());
      return t;
    };

    it('runs combo on one shared database: every node type mounted, every schema migrated side by side', async () => {
      const target = await fresh();
      const c = { connstring: target.connstring, migrations: true };
      const clair = await start('combo', { indexer: c, matcher: c, notifier: { ...c, webhook: WEBHOOK } });
      try {
        assert.deepEqual(clair.services, ['indexer', 'matcher', 'notifier']);
        assert.equal(await status(`${clair.apiUrl}/indexer/api/v1/index_state`), 200);
        assert.equal(await status(`${clair.apiUrl}/matcher/api/v1/vulnerability_report/${DIGEST}`), 202, 'no vulnerability data yet');
        assert.equal(await status(`${clair.apiUrl}/notifier/api/v1/notification/11111111-1111-4111-8111-111111111111`), 200);
        assert.equal(await status(`${clair.apiUrl}/indexer/api/v1/index_report/${DIGEST}`), 404);
        assert.equal(await status(`${clair.introspectionUrl}/readyz`), 200);
      } finally {
        await clair.close();
      }
      const tables = await tablesOf(target);
      for (const t of ['manifest', 'indexreport', 'vuln', 'update_operation', 'notification', 'receipt', 'libindex_migrations', 'libvuln_migrations', 'notifier_migrations']) {
        assert.ok(tables.has(t), `shared database has ${t}`);
      }
    });

    it('runs combo on split databases: each node type\'s tables only in its own', async () => {
      const [i, m, n] = [await fresh(), await fresh(), await fresh()];
      const clair = await start('combo', {
        indexer: { connstring: i.connstring, migrations: true },
        matcher: { connstring: m.connstring, migrations: true },
        notifier: { connstring: n.connstring, migrations: true, webhook: WEBHOOK },
      });
      try {
        assert.equal(await status(`${clair.apiUrl}/indexer/api/v1/index_state`), 200);
        assert.equal(await status(`${clair.apiUrl}/matcher/api/v1/internal/update_operation`), 200);
      } finally {
        await clair.close();
      }
      const [ti, tm, tn] = [await tablesOf(i), await tablesOf(m), await tablesOf(n)];
      assert.ok(ti.has('manifest') && !ti.has('vuln') && !ti.has('receipt'));
      assert.ok(tm.has('vuln') && !tm.has('manifest') && !tm.has('receipt'));
      assert.ok(tn.has('receipt') && !tn.has('manifest') && !tn.has('vuln'));
    });

    it('omits the notifier in combo mode when no delivery is configured, as upstream', async () => {
      const target = await fresh();
      const c = { connstring: target.connstring, migrations: true };
      const clair = await start('combo', { indexer: c, matcher: c, notifier: c });
      try {
        assert.deepEqual(clair.services, ['indexer', 'matcher']);
        assert.equal(await status(`${clair.apiUrl}/notifier/api/v1/notification/11111111-1111-4111-8111-111111111111`), 404);
      } finally {
        await clair.close();
      }
    });

    it('runs each node type alone; the matcher reaches the indexer over HTTP with signed requests', async () => {
      const [i, m, n] = [await fresh(), await fresh(), await fresh()];
      // A finished report in the indexer's database, vulnerability data in the matcher's.
      await seed(i, 'indexer', `INSERT INTO manifest (hash) VALUES ('${DIGEST}');
        INSERT INTO indexreport (manifest_id, state, scan_result) SELECT id, 'IndexFinished',
          '{"manifest_hash":"${DIGEST}","state":"IndexFinished","packages":{},"distributions":{},"repository":{},"environments":{},"success":true,"err":""}' FROM manifest;`);
      await seed(m, 'matcher', `INSERT INTO vuln (hash_kind, hash, updater, name) VALUES ('md5', '\\x00', 'test', 'CVE-0000-0001');`);
      const auth = { psk: PSK };
      const indexer = await start('indexer', { auth, indexer: { connstring: i.connstring, migrations: true } });
      cleanups.push(() => indexer.close());
      assert.deepEqual(indexer.services, ['indexer']);
      const matcher = await start('matcher', { auth, matcher: { connstring: m.connstring, migrations: true, indexer_addr: `${indexer.apiUrl}/` } });
      cleanups.push(() => matcher.close());
      const notifier = await start('notifier', {
        auth,
        notifier: { connstring: n.connstring, migrations: true, indexer_addr: `${indexer.apiUrl}/`, matcher_addr: `${matcher.apiUrl}/`, webhook: WEBHOOK },
      });
      cleanups.push(() => notifier.close());

      // Each process mounts only its own routes (auth comes first, so sign).
      const { signToken, decodePskKey } = await import('../http/auth.js');
      const headers = { authorization: `Bearer ${await signToken(decodePskKey(PSK.key), 'tester')}` };
      assert.equal(await status(`${indexer.apiUrl}/indexer/api/v1/index_state`, { headers }), 200);
      assert.equal(await status(`${indexer.apiUrl}/matcher/api/v1/internal/update_operation`, { headers }), 404);
      assert.equal(await status(`${matcher.apiUrl}/indexer/api/v1/index_state`, { headers }), 404);
      assert.equal(await status(`${notifier.apiUrl}/notifier/api/v1/notification/11111111-1111-4111-8111-111111111111`, { headers }), 200);
      assert.equal(await status(`${notifier.apiUrl}/indexer/api/v1/index_state`, { headers }), 404);
      assert.equal(await status(`${indexer.apiUrl}/indexer/api/v1/index_state`), 401, 'unsigned requests are refused');

      const known = await fetch(`${matcher.apiUrl}/matcher/api/v1/vulnerability_report/${DIGEST}`, { headers });
      assert.equal(known.status, 200, 'the index report came back from the remote indexer');
      assert.deepEqual(await known.json(), {
        manifest_hash: DIGEST, packages: {}, distributions: {}, repository: {}, environments: {}, vulnerabilities: {}, package_vulnerabilities: {}, enrichments: {},
      });
      const unknown = await fetch(`${matcher.apiUrl}/matcher/api/v1/vulnerability_report/sha256:${'f'.repeat(64)}`, { headers });
      assert.equal(unknown.status, 404);
      assert.match(((await unknown.json()) as { message: string }).message, /not found or not finished/);
    });

    it('refuses to start on an unmigrated database when migrations are off', { skip: backend === 'embedded' ? 'the embedded store always migrates' : false }, async () => {
      const target = await fresh();
      await assert.rejects(start('indexer', { indexer: { connstring: target.connstring, migrations: false } }), (err) => {
        assert.ok(isClairError(err, 'STORE_NOT_MIGRATED'));
        assert.match((err as Error).message, /indexer schema is not initialised; set indexer\.migrations: true/);
        return true;
      });
    });
  });
}

/** Migrates a database and writes rows into it before any node opens it. */
async function seed(target: TestDatabase, service: 'indexer' | 'matcher', sql: string): Promise<void> {
  const db = await openDatabase(target.connstring, { dataDir: 'unused' });
  try {
    await migrate(db, service);
    await db.exec(sql);
  } finally {
    await db.close();
  }
}

describe('concurrent starts', { skip: pgSkip }, () => {
  it('migrate once when replicas start together on one database', async () => {
    const target = await createTestDatabase('postgres');
    const raw = { indexer: { connstring: target.connstring, migrations: true } };
    const replicas = await Promise.all([start('indexer', raw), start('indexer', raw), start('indexer', raw)]);
    try {
      for (const r of replicas) assert.equal(await status(`${r.introspectionUrl}/readyz`), 200);
      const db = await openDatabase(target.connstring, { dataDir: 'unused' });
      const { rows } = await db.query<{ version: number }>('SELECT version FROM libindex_migrations ORDER BY version');
      await db.close();
      assert.deepEqual(rows.map((r) => r.version), (await loadMigrations('indexer')).map((m) => m.version));
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await target.drop();
    }
  });
});

describe('TLS', () => {
  it('serves the API over HTTPS when tls is configured', async (t) => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { request } = await import('node:https');
    const dir = mkdtempSync(join(tmpdir(), 'clair-tls-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    } catch {
      t.skip('openssl is not available to make a test certificate');
      return;
    }
    const clair = await start('indexer', { tls: { cert, key }, indexer: { connstring: 'memory://' } });
    try {
      assert.match(clair.apiUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
      const body = await new Promise<string>((resolve, reject) => {
        const req = request(`${clair.apiUrl}/indexer/api/v1/index_state`, { rejectUnauthorized: false }, (res) => {
          let data = '';
          res.on('data', (c) => (data += c));
          res.on('end', () => resolve(data));
        });
        req.on('error', reject);
        req.end();
      });
      assert.match(body, /^\{"state":"[0-9a-f]{32}"\}$/);
    } finally {
      await clair.close();
    }
  });
});
