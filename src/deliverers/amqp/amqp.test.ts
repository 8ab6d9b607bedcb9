/**
 * The AMQP deliverer against the real RabbitMQ (src/test-support/brokers.ts):
 * each test declares its own exchange and exclusive queue and reads back
 * exactly what was published. Confirms mean the broker has enqueued every
 * message before `deliver` resolves, so draining the queue with basic.get
 * right after sees all of them, with no waiting. TLS is tested against a
 * local TLS server that checks the client certificate, as the broker here
 * has no amqps listener, and the publisher's flow control against a fake
 * channel, as a real one rarely fills amqplib's buffer.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { connect, type ChannelModel, type ConfirmChannel, type GetMessage } from 'amqplib';
import type { AmqpConfig } from '../../config/types.js';
import { isClairError } from '../../lib/errors.js';
import type { Notification } from '../../model/index.js';
import type { Delivery } from '../../notifier/deliverer.js';
import { AMQP_URL, amqpUnavailable } from '../../test-support/brokers.js';
import { AmqpDeliverer } from './index.js';
import { ConfirmedPublisher } from './publisher.js';

const ROUTING_KEY = 'clair.notifications';
const CALLBACK = 'http://clair-notifier:6060/notifier/api/v1/notification/';
const NOTIFICATION_ID = '6e4b6d1c-8c2a-4f4e-9a51-0d7c3b2f1a90';
const testdata = (name: string) => fileURLToPath(new URL(`testdata/${name}`, import.meta.url));

const skip = await amqpUnavailable();

const exchangeNamed = (name: string): AmqpConfig['exchange'] => ({ name, type: 'direct', durability: false, auto_delete: false });

function amqpConfig(over: Partial<AmqpConfig>): AmqpConfig {
  return {
    exchange: exchangeNamed(''),
    routing_key: ROUTING_KEY,
    callback: CALLBACK,
    uris: [AMQP_URL],
    direct: false,
    rollup: 0,
    ...over,
  };
}

function notification(n: number): Notification {
  return {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    manifest: `sha256:${String(n).repeat(64)}`,
    reason: n % 2 === 0 ? 'removed' : 'added',
    vulnerability: { name: `CVE-2024-000${n}`, description: 'overflow in <parse> & "quote"', severity: 'High', fixed_in_version: `1.${n}`, links: '' },
  };
}

const SEVEN = [1, 2, 3, 4, 5, 6, 7].map(notification);

/** JSON as Go's encoder writes these notifications: `<`, `>` and `&` escaped. */
const goEncoded = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c').replaceAll('>', '\\u003e').replaceAll('&', '\\u0026');

/** The first direct message with rollup 0 or 1, as upstream's `json.Encoder` writes it. */
const FIRST_MESSAGE =
  '[{"id":"00000000-0000-4000-8000-000000000001","manifest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","reason":"added",'
  + '"vulnerability":{"name":"CVE-2024-0001","description":"overflow in \\u003cparse\\u003e \\u0026 \\"quote\\"","severity":"High","fixed_in_version":"1.1","links":""}}]\n';

/** A `pages()` serving `items` in pages of `size`, from the start on every call. */
function pagesOf(items: Notification[], size: number): () => AsyncIterable<Notification[]> {
  return async function* pages() {
    for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
  };
}

function delivery(over: Partial<Delivery> = {}): Delivery {
  return { id: NOTIFICATION_ID, pages: pagesOf([], 2), signal: new AbortController().signal, ...over };
}

/** Records every client socket the process opens, to check none is left open afterwards. */
function watchClientSockets() {
  const sockets: Socket[] = [];
  const onSocket = (message: unknown) => sockets.push((message as { socket: Socket }).socket);
  subscribe('net.client.socket', onSocket);
  return {
    sockets,
    async assertAllClosed(): Promise<void> {
      unsubscribe('net.client.socket', onSocket);
      // A closed connection's socket is destroyed once the broker's FIN arrives.
      for (let i = 0; i < 100 && sockets.some((s) => !s.destroyed); i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(sockets.filter((s) => !s.destroyed).map((s) => `${s.remoteAddress}:${s.remotePort}`), [], 'sockets left open');
    },
  };
}

async function listen(server: Server, t: TestContext): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** A port on 127.0.0.1 nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server that accepts connections and never says anything: the AMQP handshake hangs. */
async function silentServer(t: TestContext): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  t.after(() => {
    for (const s of sockets) s.destroy();
  });
  return listen(server, t);
}

async function rejection(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (err) {
    return err as Error;
  }
  assert.fail('expected the delivery to fail');
}

describe('amqp deliverer with RabbitMQ', { skip }, () => {
  let broker: ChannelModel;
  before(async () => {
    broker = await connect(AMQP_URL);
    broker.on('error', () => undefined);
  });
  after(() => broker.close());

  /** Declares a fresh exchange with an exclusive queue bound by ROUTING_KEY; returns its name and a reader of the queue. */
  async function declareExchange(t: TestContext, queueArguments: Record<string, unknown> = {}) {
    const channel = await broker.createChannel();
    const name = `clair-test-${randomUUID()}`;
    await channel.assertExchange(name, 'direct', { durable: false, autoDelete: false });
    const { queue } = await channel.assertQueue('', { exclusive: true, arguments: queueArguments });
    await channel.bindQueue(queue, name, ROUTING_KEY);
    t.after(async () => {
      await channel.deleteQueue(queue);
      await channel.deleteExchange(name);
      await channel.close();
    });
    return {
      name,
      queue,
      async messages(): Promise<GetMessage[]> {
        const got: GetMessage[] = [];
        for (let m = await channel.get(queue, { noAck: true }); m !== false; m = await channel.get(queue, { noAck: true })) got.push(m);
        return got;
      },
    };
  }

  it('publishes the callback message to the exchange with the routing key and upstream\'s properties', async (t) => {
    const exchange = await declareExchange(t);
    const watch = watchClientSockets();
    const deliverer = new AmqpDeliverer(amqpConfig({ exchange: exchangeNamed(exchange.name) }));
    assert.equal(deliverer.name, 'amqp');
    assert.equal(deliverer.direct, false);
    await deliverer.deliver(delivery());
    await watch.assertAllClosed();
    assert.equal(watch.sockets.length, 1);

    const [message, ...more] = await exchange.messages();
    assert.deepEqual(more, []);
    assert.ok(message);
    // Upstream marshals a Go map: keys sorted, so "callback" comes first.
    assert.equal(message.content.toString(), `{"callback":"${CALLBACK}${NOTIFICATION_ID}","notification_id":"${NOTIFICATION_ID}"}`);
    assert.equal(message.fields.exchange, exchange.name);
    assert.equal(message.fields.routingKey, ROUTING_KEY);
    // Nothing else: no delivery mode (transient, as upstream), id or timestamp;
    // amqplib always sends a header table, empty here.
    const setProperties = Object.fromEntries(Object.entries(message.properties).filter(([, v]) => v !== undefined));
    assert.deepEqual(setProperties, { contentType: 'application/json', appId: 'clairV4-notifier', headers: {} });
    await deliverer.close();
  });

  const expectedBatches: Array<[rollup: number, batches: number[][]]> = [
    [0, [[1], [2], [3], [4], [5], [6], [7]]],
    [1, [[1], [2], [3], [4], [5], [6], [7]]],
    [3, [[1, 2, 3], [4, 5, 6], [7]]],
  ];
  for (const [rollup, batches] of expectedBatches) {
    it(`in direct mode with rollup ${rollup}, publishes arrays of up to ${Math.max(1, rollup)} notifications across page boundaries`, async (t) => {
      const exchange = await declareExchange(t);
      const watch = watchClientSockets();
      const deliverer = new AmqpDeliverer(amqpConfig({ direct: true, rollup, callback: '', exchange: exchangeNamed(exchange.name) }));
      assert.equal(deliverer.direct, true);
      await deliverer.deliver(delivery({ pages: pagesOf(SEVEN, 2) }));
      await watch.assertAllClosed();

      const messages = await exchange.messages();
      const expected = batches.map((batch) => `${goEncoded(batch.map(notification))}\n`);
      assert.deepEqual(messages.map((m) => m.content.toString()), expected);
      if (rollup <= 1) assert.equal(messages[0]?.content.toString(), FIRST_MESSAGE);
      for (const m of messages) {
        assert.equal(m.fields.routingKey, ROUTING_KEY);
        assert.equal(m.properties.contentType, 'application/json');
        assert.equal(m.properties.appId, 'clairV4-notifier');
      }
    });
  }

  it('in direct mode, publishes thousands of messages in order, pausing for confirms', async (t) => {
    const exchange = await declareExchange(t);
    const many = Array.from({ length: 3000 }, (_, i) => notification(i + 1));
    const deliverer = new AmqpDeliverer(amqpConfig({ direct: true, rollup: 1, exchange: exchangeNamed(exchange.name) }));
    await deliverer.deliver(delivery({ pages: pagesOf(many, 100) }));
    const ids = (await exchange.messages()).map((m) => (JSON.parse(m.content.toString()) as Notification[]).map((n) => n.id));
    assert.deepEqual(ids, many.map((n) => [n.id]));
  });

  it('in direct mode with no notifications, publishes nothing and succeeds', async (t) => {
    const exchange = await declareExchange(t);
    const deliverer = new AmqpDeliverer(amqpConfig({ direct: true, rollup: 3, exchange: exchangeNamed(exchange.name) }));
    await deliverer.deliver(delivery({ pages: pagesOf([], 2) }));
    assert.deepEqual(await exchange.messages(), []);
  });

  it('publishes to the default exchange ("") without declaring it, routed by queue name', async (t) => {
    const exchange = await declareExchange(t);
    const deliverer = new AmqpDeliverer(amqpConfig({ routing_key: exchange.queue }));
    await deliverer.deliver(delivery());
    const messages = await exchange.messages();
    assert.deepEqual(messages.map((m) => [m.fields.exchange, m.fields.routingKey]), [['', exchange.queue]]);
  });

  it('fails over to the next URI when the first does not connect', async (t) => {
    const exchange = await declareExchange(t);
    const dead = `amqp://guest:guest@127.0.0.1:${await closedPort()}/`;
    const watch = watchClientSockets();
    const deliverer = new AmqpDeliverer(amqpConfig({ uris: [dead, AMQP_URL], exchange: exchangeNamed(exchange.name) }));
    await deliverer.deliver(delivery());
    await watch.assertAllClosed();
    assert.equal(watch.sockets.length, 2);
    assert.equal((await exchange.messages()).length, 1);
  });

  it('fails with DELIVERY_FAILED naming the exchange when it does not exist, and leaves nothing open', async () => {
    const missing = `clair-test-missing-${randomUUID()}`;
    const watch = watchClientSockets();
    const deliverer = new AmqpDeliverer(amqpConfig({ exchange: exchangeNamed(missing) }));
    const err = await rejection(deliverer.deliver(delivery()));
    assert.ok(isClairError(err, 'DELIVERY_FAILED'), inspect(err));
    assert.match(err.message, new RegExp(`exchange "${missing}"`));
    assert.match(err.message, /NOT_FOUND/);
    assert.match(err.message, /amqp:\/\/127\.0\.0\.1:5672\//);
    await watch.assertAllClosed();
    assert.equal(watch.sockets.length, 1);
  });

  it('fails when the broker nacks a message: delivered means confirmed', async (t) => {
    // A queue that holds one message and refuses more makes the broker nack.
    const exchange = await declareExchange(t, { 'x-max-length': 1, 'x-overflow': 'reject-publish' });
    const deliverer = new AmqpDeliverer(amqpConfig({ direct: true, rollup: 1, exchange: exchangeNamed(exchange.name) }));
    const err = await rejection(deliverer.deliver(delivery({ pages: pagesOf(SEVEN, 2) })));
    assert.ok(isClairError(err, 'DELIVERY_FAILED'), inspect(err));
    assert.match(err.message, /did not confirm/);
    assert.match(err.message, new RegExp(`exchange "${exchange.name}" with routing key "${ROUTING_KEY}" via amqp://127\\.0\\.0\\.1:5672/`));
  });

  it('stops publishing when aborted part-way through the pages', async (t) => {
    const exchange = await declareExchange(t);
    const abort = new AbortController();
    async function* pages() {
      yield SEVEN.slice(0, 2);
      abort.abort();
      yield SEVEN.slice(2, 4);
    }
    const watch = watchClientSockets();
    const deliverer = new AmqpDeliverer(amqpConfig({ direct: true, rollup: 1, exchange: exchangeNamed(exchange.name) }));
    const started = Date.now();
    const err = await rejection(deliverer.deliver(delivery({ pages, signal: abort.signal })));
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.ok(isClairError(err, 'DELIVERY_FAILED'), inspect(err));
    assert.match(err.message, /publishing aborted/);
    await watch.assertAllClosed();
    assert.ok((await exchange.messages()).length <= 2);
  });
});

describe('amqp deliverer without a broker', () => {
  it('fails with DELIVERY_FAILED naming every URI, without credentials, when none connects', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const deliverer = new AmqpDeliverer(amqpConfig({ uris: [`amqp://clair:s3cret-pa55@127.0.0.1:${a}/?heartbeat=5`, `amqps://clair:s3cret-pa55@127.0.0.1:${b}/prod`, 'amqp://clair:s3cret-pa55@[bad/'] }));
    const err = await rejection(deliverer.deliver(delivery()));
    assert.ok(isClairError(err, 'DELIVERY_FAILED'), inspect(err));
    assert.match(err.message, new RegExp(`amqp://127\\.0\\.0\\.1:${a}/: .*ECONNREFUSED`));
    assert.match(err.message, new RegExp(`amqps://127\\.0\\.0\\.1:${b}/prod: .*ECONNREFUSED`));
    assert.match(err.message, /\(unparsable URI\): not a valid amqp:\/\/ or amqps:\/\/ URI/);
    assert.match(err.message, /exchange "" \(the default exchange\) with routing key "clair\.notifications"/);
    const everything = inspect(err, { depth: Infinity });
    assert.doesNotMatch(everything, /s3cret-pa55/);
    assert.doesNotMatch(everything, /clair:/);
  });

  it('rejects at once, without connecting, when the signal is already aborted', async () => {
    const watch = watchClientSockets();
    const deliverer = new AmqpDeliverer(amqpConfig({}));
    const err = await rejection(deliverer.deliver(delivery({ signal: AbortSignal.abort() })));
    assert.ok(isClairError(err, 'DELIVERY_FAILED'), inspect(err));
    assert.match(err.message, /aborted/);
    await watch.assertAllClosed();
    assert.equal(watch.sockets.length, 0);
  });

  it('rejects promptly when aborted while the broker does not answer, and drops the socket', async (t) => {
    const port = await silentServer(t);
    const watch = watchClientSockets();
    const deliverer = new AmqpDeliverer(amqpConfig({ uris: [`amqp://127.0.0.1:${port}/`] }));
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const started = Date.now();
    const err = await rejection(deliverer.deliver(delivery({ signal: abort.signal })));
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.ok(isClairError(err, 'DELIVERY_FAILED'), inspect(err));
    assert.match(err.message, /connecting aborted/);
    await watch.assertAllClosed();
    assert.equal(watch.sockets.length, 1);
  });

  it('gives up on a broker that does not answer within the deadline', async (t) => {
    const port = await silentServer(t);
    const watch = watchClientSockets();
    const deliverer = new AmqpDeliverer(amqpConfig({ uris: [`amqp://127.0.0.1:${port}/`] }), { timeoutMs: 200 });
    const err = await rejection(deliverer.deliver(delivery()));
    assert.ok(isClairError(err, 'DELIVERY_FAILED'), inspect(err));
    assert.match(err.message, /timed out|ETIMEDOUT/);
    await watch.assertAllClosed();
  });

  describe('amqps', () => {
    const tls = { cert: testdata('client.pem'), key: testdata('client-key.pem'), root_ca: testdata('ca.pem') };

    /** A TLS server that demands a client certificate and records whose it got, then hangs up (it speaks no AMQP). */
    async function tlsServer(t: TestContext) {
      const clients: string[] = [];
      const refused: string[] = [];
      const server = createTlsServer(
        { cert: readFileSync(testdata('server.pem')), key: readFileSync(testdata('server-key.pem')), ca: readFileSync(testdata('ca.pem')), requestCert: true, rejectUnauthorized: true },
        (socket) => {
          clients.push(String(socket.getPeerCertificate().subject?.CN));
          socket.destroy();
        },
      );
      server.on('tlsClientError', (err) => refused.push(err.message));
      return { port: await listen(server, t), clients, refused };
    }

    it('presents the client certificate and trusts root_ca', async (t) => {
      const server = await tlsServer(t);
      const deliverer = new AmqpDeliverer(amqpConfig({ uris: [`amqps://127.0.0.1:${server.port}/`], tls }));
      const err = await rejection(deliverer.deliver(delivery()));
      assert.ok(isClairError(err, 'DELIVERY_FAILED'), inspect(err));
      assert.deepEqual(server.clients, ['clair-test-client']);
    });

    it('does not trust the broker\'s certificate without root_ca', async (t) => {
      const server = await tlsServer(t);
      const deliverer = new AmqpDeliverer(amqpConfig({ uris: [`amqps://127.0.0.1:${server.port}/`], tls: { cert: tls.cert, key: tls.key } }));
      const err = await rejection(deliverer.deliver(delivery()));
      assert.match(err.message, /certificate/);
      assert.deepEqual(server.clients, []);
    });

    it('uses no TLS settings for amqp:// URIs', async (t) => {
      const port = await silentServer(t);
      const deliverer = new AmqpDeliverer(amqpConfig({ uris: [`amqp://127.0.0.1:${port}/`], tls: { cert: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' } }), { timeoutMs: 100 });
      const err = await rejection(deliverer.deliver(delivery()));
      assert.doesNotMatch(err.message, /nonexistent/);
    });
  });
});

describe('confirmed publisher', () => {
  /** A channel whose `publish` answers `fits` in turn (then true), counting confirm waits. */
  function fakeChannel(fits: boolean[]) {
    const channel = Object.assign(new EventEmitter(), {
      published: [] as Buffer[],
      confirmWaits: 0,
      publish(_exchange: string, _routingKey: string, body: Buffer) {
        channel.published.push(body);
        return fits.shift() ?? true;
      },
      async waitForConfirms() {
        channel.confirmWaits++;
      },
    });
    return channel;
  }
  const limits = { signal: new AbortController().signal, timeoutMs: 1000 };
  const settled = async (work: Promise<unknown>) => {
    let done = false;
    work.then(() => (done = true), () => (done = true));
    await new Promise((r) => setImmediate(r));
    return done;
  };

  it('waits for the channel to drain when amqplib\'s buffer is full', async () => {
    const channel = fakeChannel([false]);
    const publisher = new ConfirmedPublisher(channel as unknown as ConfirmChannel, 'x', 'rk', limits);
    const publishing = publisher.publish(Buffer.from('[]'));
    assert.equal(await settled(publishing), false);
    channel.emit('drain');
    await publishing;
  });

  it('fails when the channel closes while waiting to drain', async () => {
    const channel = fakeChannel([false]);
    const publisher = new ConfirmedPublisher(channel as unknown as ConfirmChannel, 'x', 'rk', limits);
    const publishing = publisher.publish(Buffer.from('[]'));
    channel.emit('close');
    await assert.rejects(publishing, /the channel closed/);
  });

  it('waits for confirms once 1 MiB is unconfirmed', async () => {
    const channel = fakeChannel([]);
    const publisher = new ConfirmedPublisher(channel as unknown as ConfirmChannel, 'x', 'rk', limits);
    const chunk = Buffer.alloc(400 * 1024);
    await publisher.publish(chunk);
    await publisher.publish(chunk);
    assert.equal(channel.confirmWaits, 0);
    await publisher.publish(chunk);
    assert.equal(channel.confirmWaits, 1);
    await publisher.publish(chunk);
    assert.equal(channel.confirmWaits, 1);
  });
});
