/**
 * A node whose database goes away answers 503 (and is not ready) instead of
 * 500; a node that cannot serve its health checks does not start.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { startClair } from './start.js';
import { ADMIN_URL, createPostgresDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { quietLogger, testConfig } from '../test-support/config.js';
import { isClairError } from '../lib/errors.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const noPostgres = await postgresUnavailable();

describe('a node without its database or its listeners', () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('answers 503 with Clair\'s error body, and is not ready, once its database is gone', { skip: noPostgres }, async () => {
    const target: TestDatabase = await createPostgresDatabase();
    cleanups.push(() => target.drop());
    const c = { connstring: target.connstring, migrations: true };
    const clair = await startClair({ config: testConfig('combo', { indexer: c, matcher: c }), mode: 'combo', log: quietLogger() });
    cleanups.push(() => clair.close());
    assert.equal((await fetch(`${clair.apiUrl}/indexer/api/v1/index_report/${DIGEST}`)).status, 404);
    // Renamed away: every session is ended, and new ones find no database.
    const name = new URL(target.connstring).pathname.slice(1);
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} RENAME TO ${name}_gone WITH (FORCE)`).catch(async () => {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
        await admin.query(`ALTER DATABASE ${name} RENAME TO ${name}_gone`);
      });
    } finally {
      await admin.end();
    }
    cleanups.push(async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name}_gone WITH (FORCE)`).finally(() => a.end());
    });
    for (const path of [`/indexer/api/v1/index_report/${DIGEST}`, `/matcher/api/v1/vulnerability_report/${DIGEST}`]) {
      const r = await fetch(`${clair.apiUrl}${path}`);
      assert.equal(r.status, 503, path);
      const body = (await r.json()) as { code: string; message: string };
      assert.equal(body.code, 'internal-error');
      assert.match(body.message, /^store: .* is unavailable: /);
    }
    assert.equal((await fetch(`${clair.introspectionUrl}/readyz`)).status, 503);
  });

  it('refuses to start when the introspection address is taken, naming it', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => squatter.close(() => resolve())));
    const taken = `127.0.0.1:${(squatter.address() as AddressInfo).port}`;
    await assert.rejects(
      startClair({ config: testConfig('indexer', { introspection_addr: taken, indexer: { connstring: 'memory://' } }), mode: 'indexer', log: quietLogger() }),
      (err) => isClairError(err, 'LISTEN') && err.message.includes(`introspection_addr "${taken}": cannot listen`) && err.message.includes('EADDRINUSE'),
    );
  });
});
