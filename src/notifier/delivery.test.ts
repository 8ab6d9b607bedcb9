/**
 * Delivery rounds against a real notifier store with scripted deliverers:
 * outcomes recorded, failures retried next round, expiry, direct deliverers
 * paging every body, and two replicas delivering each notification once.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { clairError } from '../lib/errors.js';
import type { Database } from '../store/database.js';
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/open.js';
import type { NewNotificationBody } from '../store/notifier-store.js';
import { SqlNotifierStore } from '../store/notifier/sql-notifier-store.js';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { quietLogger } from '../test-support/config.js';
import type { Deliverer, Delivery } from './deliverer.js';
import { DELIVERY_PAGE, deliveryRound, type DeliveryOptions } from './delivery.js';

const DAY = 24 * 3_600_000;
const digest = (i: number) => `sha256:${i.toString(16).padStart(64, '0')}`;
const body = (i: number): NewNotificationBody => ({ manifest: digest(i), reason: 'added', vulnerability: { name: `CVE-${i}`, description: '', severity: 'High', fixed_in_version: '', links: '' } });

/** A deliverer that records what it was given and answers as scripted. */
class ScriptedDeliverer implements Deliverer {
  readonly name = 'scripted';
  delivered: string[] = [];
  bodies = new Map<string, number[]>();
  failNext = 0;
  delayMs = 0;
  constructor(readonly direct = false) {}
  async deliver(d: Delivery): Promise<void> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failNext > 0) {
      this.failNext--;
      throw clairError('DELIVERY_FAILED', `scripted: refused ${d.id}`);
    }
    if (this.direct) {
      const pages: number[] = [];
      for await (const page of d.pages()) pages.push(page.length);
      this.bodies.set(d.id, pages);
    }
    this.delivered.push(d.id);
  }
  async close(): Promise<void> {}
}

describe('notifier delivery round', () => {
  let target: TestDatabase;
  let db: Database;
  let store: SqlNotifierStore;
  const signal = new AbortController().signal;
  const options = (deliverer: Deliverer, database: Database = db): DeliveryOptions => ({ store: new SqlNotifierStore(database), locks: database, deliverer, retention: 14 * DAY, log: quietLogger() });
  const create = async (bodies: NewNotificationBody[], summary = true) => {
    const id = randomUUID();
    await store.createNotification({ id, updateOperation: randomUUID(), updater: 'debian', summary }, (w) => w.add(bodies));
    return id;
  };

  before(async () => {
    target = await createTestDatabase((await postgresUnavailable()) ? 'embedded' : 'postgres');
    db = await openDatabase(target.connstring, { dataDir: 'unused' });
    await migrate(db, 'notifier');
    store = new SqlNotifierStore(db);
  });
  beforeEach(async () => {
    await db.exec('DELETE FROM notification; DELETE FROM receipt; DELETE FROM notifier_update_operation');
  });
  after(async () => {
    await db?.close();
    await target?.drop();
  });

  it('delivers each pending notification oldest first and records it', async () => {
    const ids = [await create([body(1)]), await create([body(2)])];
    const deliverer = new ScriptedDeliverer();
    assert.deepEqual(await deliveryRound(options(deliverer), signal), { delivered: 2, failed: 0, expired: 0, skipped: 0 });
    assert.deepEqual(deliverer.delivered, ids);
    assert.deepEqual(await Promise.all(ids.map((id) => store.status(id))), ['delivered', 'delivered']);
    assert.deepEqual(await deliveryRound(options(deliverer), signal), { delivered: 0, failed: 0, expired: 0, skipped: 0 });
  });

  it('records a failed delivery and delivers it on a later round', async () => {
    const id = await create([body(1)]);
    const deliverer = new ScriptedDeliverer();
    deliverer.failNext = 1;
    assert.deepEqual(await deliveryRound(options(deliverer), signal), { delivered: 0, failed: 1, expired: 0, skipped: 0 });
    assert.equal(await store.status(id), 'delivery_failed');
    const { rows } = await db.query<{ details: unknown; attempts: number }>('SELECT details, attempts FROM receipt WHERE notification_id = $1', [id]);
    assert.deepEqual(rows[0], { details: { error: `scripted: refused ${id}` }, attempts: 1 });
    assert.deepEqual(await deliveryRound(options(deliverer), signal), { delivered: 1, failed: 0, expired: 0, skipped: 0 });
    assert.equal(await store.status(id), 'delivered');
  });

  it('stops the round on an error that is not a failed delivery, leaving the notification pending', async () => {
    const id = await create([body(1)]);
    const deliverer = new ScriptedDeliverer();
    deliverer.deliver = async () => {
      throw new Error('bug');
    };
    await assert.rejects(deliveryRound(options(deliverer), signal), /bug/);
    assert.equal(await store.status(id), 'created');
  });

  it('expires a notification undelivered for longer than the retention without delivering it', async () => {
    const id = await create([body(1)]);
    await db.query("UPDATE receipt SET created = now() - interval '15 days' WHERE notification_id = $1", [id]);
    const deliverer = new ScriptedDeliverer();
    assert.deepEqual(await deliveryRound(options(deliverer), signal), { delivered: 0, failed: 0, expired: 1, skipped: 0 });
    assert.deepEqual(deliverer.delivered, []);
    assert.equal(await store.status(id), 'deleted');
  });

  it('hands a direct deliverer every body page by page and acknowledges once delivered', async () => {
    const id = await create(Array.from({ length: 2 * DELIVERY_PAGE + 1 }, (_, i) => body(i)), false);
    const deliverer = new ScriptedDeliverer(true);
    await deliveryRound(options(deliverer), signal);
    assert.deepEqual(deliverer.bodies.get(id), [DELIVERY_PAGE, DELIVERY_PAGE, 1]);
    assert.equal(await store.status(id), 'deleted');
  });

  it('delivers each notification once when two replicas run rounds at the same time', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => create([body(i)])));
    const other = await openDatabase(target.connstring, { dataDir: 'unused' });
    try {
      const [a, b] = [new ScriptedDeliverer(), new ScriptedDeliverer()];
      a.delayMs = b.delayMs = 20;
      await Promise.all([deliveryRound(options(a), signal), deliveryRound(options(b, other), signal)]);
      assert.deepEqual([...a.delivered, ...b.delivered].sort(), [...ids].sort());
      assert.deepEqual(await Promise.all(ids.map((id) => store.status(id))), ids.map(() => 'delivered'));
    } finally {
      await other.close();
    }
  });
});
