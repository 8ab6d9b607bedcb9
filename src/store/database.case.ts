/**
 * @module Conformance suite for the `Database` contract. Each backend's test
 * file runs it, so PostgreSQL and the embedded store are held to the same
 * behaviour: parameters and types, transactions, locks and migrations.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from './open.js';
import type { Database } from './database.js';
import { assertMigrated, loadMigrations, migrate, MIGRATION_TABLES, SERVICES } from './migrate.js';
import { createTestDatabase, type Backend, type TestDatabase } from '../test-support/databases.js';
import { isClairError } from '../lib/errors.js';

/** `skip` carries the reason the backend is unavailable, if it is. */
export function runDatabaseConformance(backend: Backend, skip?: string): void {
  describe(`Database conformance (${backend})`, () => {
    let target: TestDatabase;
    let db: Database;

    before(async () => {
      if (skip) return;
      target = await createTestDatabase(backend);
      db = await openDatabase(target.connstring, { dataDir: 'unused' });
    });
    after(async () => {
      if (skip) return;
      await db?.close();
      await target?.drop();
    });

    it('runs parameterised queries and returns int8 as numbers, jsonb as objects', { skip }, async () => {
      const { rows } = await db.query<{ n: number; j: unknown; a: number[]; t: string }>(
        'SELECT $1::int8 AS n, $2::jsonb AS j, $3::int[] AS a, $4::text AS t',
        [9007199254740991, JSON.stringify({ k: ['v'] }), [1, -2, 3], "it's"],
      );
      assert.deepEqual(rows, [{ n: 9007199254740991, j: { k: ['v'] }, a: [1, -2, 3], t: "it's" }]);
    });

    it('turns JIT off on every pooled connection, transactions included', { skip }, async () => {
      assert.deepEqual((await db.query<{ jit: string }>('SHOW jit')).rows, [{ jit: 'off' }]);
      await db.transaction(async (tx) => assert.deepEqual((await tx.query<{ jit: string }>('SHOW jit')).rows, [{ jit: 'off' }]));
    });

    it('commits a transaction that resolves and rolls back one that throws', { skip }, async () => {
      await db.exec('CREATE TABLE conformance_tx (v text PRIMARY KEY)');
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO conformance_tx VALUES ($1)', ['kept']);
      });
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO conformance_tx VALUES ($1)', ['dropped']);
          throw new Error('boom');
        }),
        /boom/,
      );
      const { rows, rowCount } = await db.query<{ v: string }>('SELECT v FROM conformance_tx ORDER BY v');
      assert.deepEqual(rows, [{ v: 'kept' }]);
      assert.equal(rowCount, 1);
    });

    it('reports affected rows for writes', { skip }, async () => {
      await db.exec('CREATE TABLE conformance_rows (v int)');
      const inserted = await db.query('INSERT INTO conformance_rows SELECT generate_series(1, 5)');
      assert.equal(inserted.rowCount, 5);
      const deleted = await db.query('DELETE FROM conformance_rows WHERE v > $1', [2]);
      assert.equal(deleted.rowCount, 3);
    });

    it('gives a lock to one holder at a time and hands it on after release', { skip }, async () => {
      const first = await db.tryLock('conformance-lock');
      assert.ok(first, 'the first tryLock takes the free lock');
      assert.equal(await db.tryLock('conformance-lock'), undefined, 'a second holder is refused');
      const other = await db.tryLock('conformance-other');
      assert.ok(other, 'a different key is independent');
      let waiterGotIt = false;
      const waiter = db.lock('conformance-lock', { maxBackoffMs: 20 }).then((lease) => {
        waiterGotIt = true;
        return lease;
      });
      await sleep(60);
      assert.equal(waiterGotIt, false, 'lock() waits while the lock is held');
      await first.release();
      const second = await waiter;
      assert.equal(second.key, 'conformance-lock');
      await first.release(); // a second release is harmless and frees nothing
      assert.equal(await db.tryLock('conformance-lock'), undefined);
      await second.release();
      await other.release();
      const again = await db.tryLock('conformance-lock');
      assert.ok(again);
      await again.release();
    });

    it('stops waiting for a lock when the signal aborts', { skip }, async () => {
      const held = await db.tryLock('conformance-abort');
      assert.ok(held);
      const controller = new AbortController();
      const waiting = db.lock('conformance-abort', { signal: controller.signal, maxBackoffMs: 10 });
      setTimeout(() => controller.abort(new Error('gave up')), 30);
      await assert.rejects(waiting, /gave up/);
      await held.release();
    });

    it('migrates every service into one database without collisions, once', { skip }, async () => {
      for (const service of SERVICES) {
        await assert.rejects(assertMigrated(db, service), (err) => isClairError(err, 'STORE_NOT_MIGRATED'));
      }
      const [a, b] = await Promise.all([migrate(db, 'indexer'), migrate(db, 'indexer')]);
      const expected = (await loadMigrations('indexer')).map((m) => m.version);
      assert.deepEqual([...a, ...b].sort(), expected, 'concurrent migrations apply each version exactly once');
      assert.deepEqual(await migrate(db, 'matcher'), (await loadMigrations('matcher')).map((m) => m.version));
      assert.deepEqual(await migrate(db, 'notifier'), (await loadMigrations('notifier')).map((m) => m.version));
      for (const service of SERVICES) {
        assert.deepEqual(await migrate(db, service), [], `${service} has nothing left to apply`);
        await assertMigrated(db, service);
        const { rows } = await db.query<{ version: number }>(`SELECT version FROM ${MIGRATION_TABLES[service]} ORDER BY version`);
        assert.deepEqual(rows.map((r) => r.version), (await loadMigrations(service)).map((m) => m.version));
      }
      // The schemas are usable: a few representative writes.
      await db.query("INSERT INTO manifest (hash) VALUES ('sha256:00')");
      const uo = await db.query<{ ref: string }>("INSERT INTO update_operation (updater, fingerprint) VALUES ('u', 'f') RETURNING ref");
      assert.match(uo.rows[0]!.ref, /^[0-9a-f-]{36}$/);
      await db.query("INSERT INTO receipt (notification_id, uo_id, status) VALUES (gen_random_uuid(), $1, 'created')", [uo.rows[0]!.ref]);
    });

    it('rolls back a failing migration and names it', { skip }, async () => {
      const bad = [{ version: 1, name: 'broken', sql: 'CREATE TABLE conformance_half (a int); SELECT no_such_function();' }];
      await db.exec('DROP TABLE IF EXISTS notifier_migrations CASCADE');
      await assert.rejects(migrate(db, 'notifier', undefined, bad), (err) => {
        assert.ok(isClairError(err, 'STORE_MIGRATION'));
        assert.match((err as Error).message, /notifier migration 1 \(broken\) failed/);
        return true;
      });
      const { rows } = await db.query<{ present: boolean }>("SELECT to_regclass('conformance_half') IS NOT NULL AS present");
      assert.equal(rows[0]!.present, false, 'the failed migration left nothing behind');
    });
  });
}
