/** @module Conformance suite for {@link NotifierStore}, run on each backend. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../open.js';
import { migrate } from '../migrate.js';
import type { Database } from '../database.js';
import type { NewNotificationBody } from '../notifier-store.js';
import { SqlNotifierStore } from './sql-notifier-store.js';
import { createTestDatabase, type Backend, type TestDatabase } from '../../test-support/databases.js';
import type { NormalizedSeverity } from '../../model/index.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;
const HOUR = 3_600_000;

const body = (manifest: string, name: string, severity: NormalizedSeverity, reason: NewNotificationBody['reason'] = 'added'): NewNotificationBody => ({
  manifest,
  reason,
  vulnerability: { name, description: `${name} description`, severity, fixed_in_version: '1.2', links: '' },
});

/** Bodies of a notification, all pages, without ids. */
async function allBodies(store: SqlNotifierStore, id: string): Promise<Array<[string, string, string]>> {
  const rows = await store.notificationBodies(id, '00000000-0000-0000-0000-000000000000', 1000);
  return rows.map((r) => [r.manifest, r.reason, r.vulnerability.name] as [string, string, string]).sort();
}

export function runNotifierStoreSuite(backend: Backend, skip?: string): void {
  describe(`NotifierStore (${backend})`, { skip }, () => {
    let target: TestDatabase;
    let db: Database;
    let store: SqlNotifierStore;
    before(async () => {
      target = await createTestDatabase(backend);
      db = await openDatabase(target.connstring, { dataDir: 'unused' });
      await migrate(db, 'notifier');
      store = new SqlNotifierStore(db);
    });
    after(async () => {
      await db?.close();
      await target?.drop();
    });

    const create = (summary: boolean, batches: NewNotificationBody[][], updater = 'debian') => {
      const n = { id: randomUUID(), updateOperation: randomUUID(), updater, summary };
      return store
        .createNotification(n, async (writer) => {
          for (const batch of batches) await writer.add(batch);
        })
        .then((created) => ({ ...n, ...created }));
    };

    it('summary mode keeps the most severe body per manifest across batches and reasons, the first of equals', async () => {
      const n = await create(true, [
        [body(D1, 'CVE-1', 'Medium'), body(D2, 'CVE-2', 'High'), body(D1, 'CVE-1b', 'Low')],
        [body(D1, 'CVE-3', 'Critical', 'removed'), body(D2, 'CVE-4', 'High', 'removed'), body(D3, 'CVE-5', 'Unknown')],
      ]);
      assert.equal(n.bodies, 3);
      assert.deepEqual(await allBodies(store, n.id), [
        [D1, 'removed', 'CVE-3'],
        [D2, 'added', 'CVE-2'],
        [D3, 'added', 'CVE-5'],
      ]);
      assert.equal(await store.processed(n.updateOperation), true);
      assert.equal(await store.status(n.id), 'created');
    });

    it('without summary keeps every body', async () => {
      const n = await create(false, [[body(D1, 'CVE-1', 'Medium'), body(D1, 'CVE-2', 'High')], [body(D1, 'CVE-1', 'Medium', 'removed')]]);
      assert.equal(n.bodies, 3);
      assert.deepEqual(await allBodies(store, n.id), [
        [D1, 'added', 'CVE-1'],
        [D1, 'added', 'CVE-2'],
        [D1, 'removed', 'CVE-1'],
      ]);
    });

    it('an update that affects nothing is processed and delivered, with no notification to page or deliver', async () => {
      const n = await create(true, [[], []]);
      assert.equal(n.bodies, 0);
      assert.equal(await store.processed(n.updateOperation), true);
      assert.equal(await store.status(n.id), 'delivered');
      assert.deepEqual(await store.notificationBodies(n.id, '00000000-0000-0000-0000-000000000000', 10), []);
      assert.ok(!(await store.pending(1000)).some((p) => p.id === n.id));
    });

    it('stores nothing when filling fails, so the operation is processed again', async () => {
      const n = { id: randomUUID(), updateOperation: randomUUID(), updater: 'debian', summary: true };
      await assert.rejects(
        store.createNotification(n, async (writer) => {
          await writer.add([body(D1, 'CVE-1', 'High')]);
          throw new Error('indexer went away');
        }),
        /indexer went away/,
      );
      assert.equal(await store.processed(n.updateOperation), false);
      assert.equal(await store.status(n.id), undefined);
      const { rowCount } = await db.query('SELECT 1 FROM notification_body WHERE notification_id = $1', [n.id]);
      assert.equal(rowCount, 0);
    });

    it('lists pending notifications oldest first with keyset paging, and records outcomes', async () => {
      await db.query("UPDATE receipt SET status = 'deleted'"); // earlier tests' notifications out of the way
      const made: Array<{ id: string }> = [];
      for (let i = 0; i < 3; i++) made.push(await create(true, [[body(D1, `CVE-${i}`, 'High')]]));
      const first = await store.pending(2);
      assert.deepEqual(first.map((p) => p.id), made.slice(0, 2).map((m) => m.id));
      assert.deepEqual((await store.pending(2, first[1])).map((p) => p.id), [made[2]!.id]);
      assert.equal(await store.pendingCount(), 3);

      await store.setDeliveryFailed(made[0]!.id, 'webhook answered 500');
      await store.setDeliveryFailed(made[0]!.id, 'webhook answered 502');
      const failed = (await store.pending(10)).find((p) => p.id === made[0]!.id);
      assert.deepEqual([failed?.status, failed?.attempts], ['delivery_failed', 2]);
      const { rows } = await db.query<{ details: unknown }>('SELECT details FROM receipt WHERE notification_id = $1', [made[0]!.id]);
      assert.deepEqual(rows[0]?.details, { error: 'webhook answered 502' });

      await store.setDelivered(made[0]!.id, false);
      await store.setDelivered(made[1]!.id, true);
      await store.expire(made[2]!.id, 'undelivered after 9 failed rounds');
      assert.deepEqual(
        await Promise.all(made.map((m) => store.status(m.id))),
        ['delivered', 'deleted', 'deleted'],
      );
      assert.equal(await store.pendingCount(), 0);
      assert.equal(await store.acknowledge(made[0]!.id), true);
      assert.equal(await store.acknowledge(randomUUID()), false);
    });

    it('collects acknowledged and long-delivered notifications and old receipts, never pending ones nor an updater\'s newest operation', async () => {
      await db.exec('DELETE FROM notification; DELETE FROM receipt; DELETE FROM notifier_update_operation');
      const acknowledged = await create(true, [[body(D1, 'CVE-a', 'High')]], 'alpine');
      const oldDelivered = await create(true, [[body(D1, 'CVE-b', 'High')]], 'alpine');
      const recentDelivered = await create(true, [[body(D1, 'CVE-c', 'High')]], 'alpine');
      const pending = await create(true, [[body(D1, 'CVE-d', 'High')]], 'alpine');
      const lone = await create(true, [[]], 'ubuntu'); // the only (so newest) operation of its updater
      await store.acknowledge(acknowledged.id);
      await store.setDelivered(oldDelivered.id, false);
      await store.setDelivered(recentDelivered.id, false);
      const age = (ids: string[]) => db.query(`UPDATE receipt SET ts = now() - interval '30 days', created = now() - interval '30 days' WHERE notification_id = ANY($1::uuid[])`, [ids]);
      await age([oldDelivered.id, pending.id, lone.id]);
      await db.query(`UPDATE notifier_update_operation SET ts = now() - interval '30 days' WHERE uo_id = ANY($1::uuid[])`, [[acknowledged.updateOperation, oldDelivered.updateOperation, pending.updateOperation, lone.updateOperation]]);

      const first = await store.collectGarbage(14 * 24 * HOUR);
      assert.equal(first.notifications, 2, 'the acknowledged one and the one delivered 30 days ago');
      assert.equal(first.receipts, 2, 'the old delivered receipt and the old baseline receipt; the acknowledged one is recent');
      assert.equal(await store.status(acknowledged.id), 'deleted');
      assert.equal(await store.status(oldDelivered.id), undefined);
      assert.equal(await store.status(recentDelivered.id), 'delivered');
      assert.equal(await store.status(pending.id), 'created');
      assert.deepEqual(await allBodies(store, recentDelivered.id), [[D1, 'added', 'CVE-c']]);
      assert.equal(first.updateOperations, 1, 'the old delivered operation has no receipt left; the lone one is its updater\'s newest');
      assert.equal(await store.processed(oldDelivered.updateOperation), false);
      assert.equal(await store.processed(lone.updateOperation), true);
      assert.equal(await store.processed(pending.updateOperation), true);
    });
  });
}
