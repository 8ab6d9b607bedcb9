/**
 * Fault suite: the message broker goes away during delivery and comes back.
 * A loopback TCP proxy stands in for RabbitMQ's AMQP and STOMP ports (the
 * shared broker is never stopped): down, a round fails and the
 * notification stays pending; cut part-way through a direct delivery, the
 * round fails; back up, the next round delivers everything.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AmqpDeliverer } from '../deliverers/amqp/index.js';
import { StompDeliverer } from '../deliverers/stomp/index.js';
import type { Deliverer } from '../notifier/deliverer.js';
import { DELIVERY_PAGE, deliveryRound } from '../notifier/delivery.js';
import type { Database } from '../store/database.js';
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/open.js';
import type { NewNotificationBody } from '../store/notifier-store.js';
import { SqlNotifierStore } from '../store/notifier/sql-notifier-store.js';
import { AMQP_URL, amqpQueue, amqpUnavailable, STOMP_ADDR, STOMP_USER, StompSubscriber, stompUnavailable } from '../test-support/brokers.js';
import { quietLogger } from '../test-support/config.js';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { startTcpProxy, type TcpProxy } from '../test-support/tcp-proxy.js';

const DAY = 24 * 3_600_000;
const CALLBACK = 'http://clair-notifier:6060/notifier/api/v1/notification/';
const ROUTING_KEY = 'clair.outage';
const bodies = (n: number): NewNotificationBody[] =>
  Array.from({ length: n }, (_, i) => ({ manifest: `sha256:${i.toString(16).padStart(64, '0')}`, reason: 'added', vulnerability: { name: `CVE-2026-${10000 + i}`, description: '', severity: 'High', fixed_in_version: '', links: '' } }));

/** What one message carries: a callback message's notification id, or a direct message's vulnerability names. */
function itemsOf(body: string): string[] {
  const parsed = JSON.parse(body) as { notification_id?: string } | Array<{ vulnerability: { name: string } }>;
  return Array.isArray(parsed) ? parsed.map((n) => n.vulnerability.name) : [parsed.notification_id!];
}

/** `deliverer`, pausing a direct delivery after its first page until `resume` settles. */
function pausing(deliverer: Deliverer, resume: Promise<void>, paused: () => void): Deliverer {
  return {
    name: deliverer.name,
    direct: deliverer.direct,
    close: () => deliverer.close(),
    deliver: (d) =>
      deliverer.deliver({
        ...d,
        pages: async function* () {
          let page = 0;
          for await (const p of d.pages()) {
            if (page++ === 1) {
              paused();
              await resume;
            }
            yield p;
          }
        },
      }),
  };
}

const amqpSkip = await amqpUnavailable();
const stompSkip = await stompUnavailable();

describe('delivery while the broker is down, cut, and back', () => {
  let target: TestDatabase;
  let db: Database;
  let store: SqlNotifierStore;
  before(async () => {
    target = await createTestDatabase((await postgresUnavailable()) ? 'embedded' : 'postgres');
    db = await openDatabase(target.connstring, { dataDir: 'unused' });
    await migrate(db, 'notifier');
    store = new SqlNotifierStore(db);
  });
  after(async () => {
    await db?.close();
    await target?.drop();
  });

  const round = (deliverer: Deliverer) =>
    deliveryRound({ store, locks: db, deliverer, retention: DAY, log: quietLogger() }, new AbortController().signal);
  const create = async (n: number) => {
    const id = randomUUID();
    await store.createNotification({ id, updateOperation: randomUUID(), updater: 'debian', summary: true }, (w) => w.add(bodies(n)));
    return id;
  };

  /**
   * The scenario for one broker: `make` builds a deliverer through the
   * proxy; `received` lists what the consumer has got so far, as
   * notification ids (callback messages) or vulnerability names (direct),
   * once at least `atLeast` items have arrived.
   */
  async function scenario(proxy: TcpProxy, make: (direct: boolean) => Deliverer, received: (atLeast: number) => Promise<string[]>): Promise<void> {
    // 1. Down: the round fails, the notification stays pending, and nothing is lost.
    await proxy.down();
    const first = await create(1);
    assert.deepEqual(await round(make(false)), { delivered: 0, failed: 1, expired: 0, skipped: 0 });
    assert.equal(await store.status(first), 'delivery_failed');
    // 2. Back: the next round delivers it.
    await proxy.up();
    assert.deepEqual(await round(make(false)), { delivered: 1, failed: 0, expired: 0, skipped: 0 });
    assert.equal(await store.status(first), 'delivered');
    assert.ok((await received(1)).includes(first));

    // 3. Cut in the middle of a direct delivery of several pages: that round fails.
    const many = await create(DELIVERY_PAGE * 2 + 7);
    let resume!: () => void;
    const resumed = new Promise<void>((r) => (resume = r));
    let paused!: () => void;
    const pausedAt = new Promise<void>((r) => (paused = r));
    const cutRound = round(pausing(make(true), resumed, paused));
    await pausedAt;
    await proxy.down();
    resume();
    assert.deepEqual(await cutRound, { delivered: 0, failed: 1, expired: 0, skipped: 0 });
    assert.equal(await store.status(many), 'delivery_failed');
    // 4. Back: everything arrives (the first page possibly twice: delivery is at least once).
    await proxy.up();
    assert.deepEqual(await round(make(true)), { delivered: 1, failed: 0, expired: 0, skipped: 0 });
    const expected = bodies(DELIVERY_PAGE * 2 + 7).map((b) => b.vulnerability.name);
    const got = new Set(await received(1 + expected.length));
    assert.deepEqual(expected.filter((name) => !got.has(name)), [], 'every body of the cut notification was delivered');
  }

  it('over AMQP', { skip: amqpSkip }, async () => {
    const broker = new URL(AMQP_URL);
    const proxy = await startTcpProxy(broker.hostname, Number(broker.port || 5672));
    const queue = await amqpQueue(ROUTING_KEY);
    try {
      const uri = new URL(AMQP_URL);
      uri.port = String(proxy.port);
      const make = (direct: boolean) =>
        new AmqpDeliverer({ exchange: { name: queue.exchange, type: 'direct', durability: false, auto_delete: false }, routing_key: ROUTING_KEY, callback: CALLBACK, uris: [uri.toString()], direct, rollup: 0 });
      const out: string[] = [];
      await scenario(proxy, make, async (atLeast) => {
        for (const m of await queue.messages()) out.push(...itemsOf(m.body));
        assert.ok(out.length >= atLeast, `expected at least ${atLeast} items, got ${out.length}`);
        return out;
      });
    } finally {
      await queue.close();
      await proxy.close();
    }
  });

  it('over STOMP', { skip: stompSkip }, async () => {
    const [host, port] = STOMP_ADDR.split(':');
    const proxy = await startTcpProxy(host!, Number(port));
    const destination = `/topic/clair-outage-${randomUUID()}`;
    const subscriber = await StompSubscriber.on(destination);
    try {
      const make = (direct: boolean) => new StompDeliverer({ destination, callback: CALLBACK, uris: [`127.0.0.1:${proxy.port}`], direct, rollup: 0, user: STOMP_USER });
      await scenario(proxy, make, async (atLeast) => {
        // Messages arrive asynchronously after the broker's receipt: wait for them.
        const items = () => subscriber.received.flatMap((m) => itemsOf(m.body));
        for (const deadline = Date.now() + 30_000; items().length < atLeast && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
        assert.ok(items().length >= atLeast, `expected at least ${atLeast} items, got ${items().length}`);
        return items();
      });
    } finally {
      await subscriber.close();
      await proxy.close();
    }
  });
});
