import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runDatabaseConformance } from '../database.case.js';
import { runServiceStoreSuite } from '../services.case.js';
import { runIndexerStoreSuite } from '../indexer/indexer-store.case.js';
import { runMatcherStoreSuite } from '../matcher/matcher-store.case.js';
import { runNotifierStoreSuite } from '../notifier/notifier-store.case.js';
import { openDatabase } from '../open.js';
import pg from 'pg';
import { ADMIN_URL, createPostgresDatabase, postgresUnavailable } from '../../test-support/databases.js';
import { isClairError } from '../../lib/errors.js';

const skip = await postgresUnavailable();
runDatabaseConformance('postgres', skip);

describe('PostgresDatabase', () => {
  it('excludes other processes from a held lock (two pools stand in for two replicas)', { skip }, async () => {
    const target = await createPostgresDatabase();
    const a = await openDatabase(target.connstring, { dataDir: 'unused' });
    const b = await openDatabase(target.connstring, { dataDir: 'unused' });
    try {
      const lease = await a.tryLock('shared-key');
      assert.ok(lease);
      assert.equal(await b.tryLock('shared-key'), undefined);
      await lease.release();
      const taken = await b.tryLock('shared-key');
      assert.ok(taken, 'released on the server, so the other replica can take it');
      await taken.release();
    } finally {
      await a.close();
      await b.close();
      await target.drop();
    }
  });

  it('tells a lock\'s holder when the session holding it dies, and lets the lock be taken again', { skip }, async () => {
    const target = await createPostgresDatabase();
    const a = await openDatabase(target.connstring, { dataDir: 'unused' });
    const b = await openDatabase(target.connstring, { dataDir: 'unused' });
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      const lease = await a.tryLock('fragile');
      assert.ok(lease);
      assert.equal(lease.lost.aborted, false);
      const { rows } = await admin.query<{ n: number }>(
        "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'clair-locks'",
        [new URL(target.connstring).pathname.slice(1)],
      );
      assert.equal(rows[0]!.n, 1, 'the one lock session');
      await new Promise<void>((resolve) => (lease.lost.aborted ? resolve() : lease.lost.addEventListener('abort', () => resolve())));
      assert.ok(isClairError(lease.lost.reason, 'STORE_LOCK_LOST'));
      assert.match((lease.lost.reason as Error).message, /lock "fragile" .* was lost with its session/);
      const elsewhere = await b.tryLock('fragile');
      assert.ok(elsewhere, 'the server freed it: another replica may take it now');
      await elsewhere.release();
      const again = await a.tryLock('fragile');
      assert.ok(again, 're-taken on a new lock session');
      assert.equal(again.lost.aborted, false);
      await again.release();
      await lease.release(); // harmless after the loss
    } finally {
      await admin.end();
      await a.close();
      await b.close();
      await target.drop();
    }
  });

  it('fails to open an unreachable server with an error naming the target', async () => {
    await assert.rejects(openDatabase('host=127.0.0.1 port=1 dbname=x user=nobody password=hunter2 connect_timeout=2', { dataDir: 'unused' }), (err) => {
      assert.ok(isClairError(err, 'STORE_CONNECT'));
      assert.match((err as Error).message, /cannot connect to host=127\.0\.0\.1 port=1 dbname=x user=nobody password=<redacted>/);
      assert.doesNotMatch((err as Error).message, /hunter2/);
      return true;
    });
  });
});

runServiceStoreSuite('postgres', skip);
runIndexerStoreSuite('postgres', skip);
runMatcherStoreSuite('postgres', skip);
runNotifierStoreSuite('postgres', skip);
