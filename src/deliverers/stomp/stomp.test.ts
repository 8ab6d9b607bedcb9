/**
 * The STOMP deliverer against RabbitMQ's STOMP plugin (CLAIR_TEST_STOMP),
 * with a STOMP subscriber on a fresh `/topic/` destination per test:
 * RabbitMQ gives each such subscription an exclusive auto-delete queue, so
 * nothing is left on the broker afterwards.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, type Server, type Socket, connect as netConnect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer as createTlsServer } from 'node:tls';
import type { StompConfig } from '../../config/types.js';
import { isClairError } from '../../lib/errors.js';
import type { Notification } from '../../model/index.js';
import type { Delivery } from '../../notifier/deliverer.js';
import { STOMP_ADDR, STOMP_USER, StompSubscriber, stompUnavailable } from '../../test-support/brokers.js';
import { StompDeliverer } from './index.js';

const unavailable = await stompUnavailable();
const [BROKER_HOST = '127.0.0.1', BROKER_PORT = '61613'] = STOMP_ADDR.split(':');


function notification(i: number): Notification {
  return {
    id: `00000000-0000-4000-8000-00000000000${i}`,
    manifest: `sha256:${String(i).repeat(64)}`,
    reason: 'added',
    vulnerability: { name: `CVE-2024-000${i}`, description: 'a <b>bad</b> thing & more', severity: 'High', fixed_in_version: '1.2.3', links: '' },
  };
}

const SEVEN = [1, 2, 3, 4, 5, 6, 7].map(notification);

/** `notifications` in pages of two, as the store would page them. */
async function* pagesOfTwo(notifications: Notification[] = SEVEN): AsyncGenerator<Notification[]> {
  for (let i = 0; i < notifications.length; i += 2) yield notifications.slice(i, i + 2);
}

function delivery(pages: () => AsyncIterable<Notification[]> = () => pagesOfTwo(), signal = new AbortController().signal): Delivery {
  return { id: '6a8e5e0a-54c4-4a5c-8c1b-1b1e1b1e1b1e', pages, signal };
}

function config(destination: string, overrides: Partial<StompConfig> = {}): StompConfig {
  return { destination, callback: 'http://clair-notifier:6060/notifier/api/v1/notification/', uris: [STOMP_ADDR], direct: false, rollup: 0, user: STOMP_USER, ...overrides };
}

const freshDestination = () => `/topic/clair-test-${randomUUID()}`;

/** A local port where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server that accepts connections and never answers: a hung broker. */
async function silentServer(): Promise<{ addr: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    addr: `127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A scripted broker on a local port: `behaviour` gets each connection. */
async function fakeBroker(behaviour: (socket: Socket) => void): Promise<{ addr: string; close: () => Promise<void> }> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    behaviour(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    addr: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const CONNECTED = 'CONNECTED\nversion:1.2\n\n\0';

async function rejectsWithDeliveryFailed(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isClairError(err, 'DELIVERY_FAILED'), `expected DELIVERY_FAILED, got ${String(err)}`);
    return err.message;
  }
  assert.fail('expected the delivery to fail');
}

describe('STOMP deliverer', { skip: unavailable ?? false }, () => {
  it('is named stomp and is direct as configured', () => {
    assert.equal(new StompDeliverer(config('/topic/x')).name, 'stomp');
    assert.equal(new StompDeliverer(config('/topic/x')).direct, false);
    assert.equal(new StompDeliverer(config('/topic/x', { direct: true })).direct, true);
  });

  it('callback mode sends the id and callback URL as JSON, once the broker receipts it', async () => {
    const destination = freshDestination();
    const subscriber = await StompSubscriber.on(destination);
    try {
      await new StompDeliverer(config(destination)).deliver(delivery());
      await subscriber.waitFor(1);
      const [message] = subscriber.received;
      assert.equal(
        message!.body,
        '{"callback":"http://clair-notifier:6060/notifier/api/v1/notification/6a8e5e0a-54c4-4a5c-8c1b-1b1e1b1e1b1e","notification_id":"6a8e5e0a-54c4-4a5c-8c1b-1b1e1b1e1b1e"}',
      );
      assert.equal(message!.headers['content-type'], 'application/json');
      assert.equal(message!.headers.destination, destination);
    } finally {
      await subscriber.close();
    }
  });

  for (const [rollup, sizes] of [
    [0, [1, 1, 1, 1, 1, 1, 1]],
    [1, [1, 1, 1, 1, 1, 1, 1]],
    [3, [3, 3, 1]],
  ] as const) {
    it(`direct mode with rollup ${rollup} sends arrays of ${sizes.join(', ')} notifications across pages`, async () => {
      const destination = freshDestination();
      const subscriber = await StompSubscriber.on(destination);
      try {
        await new StompDeliverer(config(destination, { direct: true, rollup })).deliver(delivery());
        await subscriber.waitFor(sizes.length);
        const expected: Notification[][] = [];
        let start = 0;
        for (const size of sizes) {
          expected.push(SEVEN.slice(start, start + size));
          start += size;
        }
        assert.deepEqual(subscriber.received.map((m) => JSON.parse(m.body) as unknown), expected);
        for (const message of subscriber.received) {
          assert.equal(message.headers['content-type'], 'application/json');
          // The bytes of Go's json.Encoder: HTML characters escaped, a trailing newline.
          assert.ok(message.body.endsWith(']\n'));
          assert.ok(message.body.includes('"description":"a \\u003cb\\u003ebad\\u003c/b\\u003e thing \\u0026 more"'), message.body);
        }
      } finally {
        await subscriber.close();
      }
    });
  }

  it('direct mode delivers nothing before COMMIT', async () => {
    const destination = freshDestination();
    const subscriber = await StompSubscriber.on(destination);
    let seenMidway = -1;
    async function* slowPages(): AsyncGenerator<Notification[]> {
      yield SEVEN.slice(0, 2);
      yield SEVEN.slice(2, 4);
      // Both frames are written by now; the broker holds them in the open transaction.
      await sleep(300);
      seenMidway = subscriber.received.length;
      yield SEVEN.slice(4);
    }
    try {
      await new StompDeliverer(config(destination, { direct: true, rollup: 2 })).deliver(delivery(slowPages));
      await subscriber.waitFor(4);
      assert.equal(seenMidway, 0);
    } finally {
      await subscriber.close();
    }
  });

  it('direct mode with no notifications sends nothing and succeeds', async () => {
    const destination = freshDestination();
    const subscriber = await StompSubscriber.on(destination);
    try {
      await new StompDeliverer(config(destination, { direct: true })).deliver(delivery(async function* () {}));
      await sleep(300);
      assert.equal(subscriber.received.length, 0);
    } finally {
      await subscriber.close();
    }
  });

  it('direct mode ABORTs when reading the notifications fails midway: nothing is delivered', async () => {
    const destination = freshDestination();
    const subscriber = await StompSubscriber.on(destination);
    async function* failingPages(): AsyncGenerator<Notification[]> {
      yield SEVEN.slice(0, 2);
      yield SEVEN.slice(2, 4);
      throw new Error('the store went away');
    }
    try {
      const message = await rejectsWithDeliveryFailed(new StompDeliverer(config(destination, { direct: true })).deliver(delivery(failingPages)));
      assert.match(message, /the store went away/);
      assert.ok(message.includes(destination));
      await sleep(500);
      assert.equal(subscriber.received.length, 0);
    } finally {
      await subscriber.close();
    }
  });

  it('fails over to the next broker when the first refuses connections', async () => {
    const destination = freshDestination();
    const subscriber = await StompSubscriber.on(destination);
    try {
      const uris = [`127.0.0.1:${await closedPort()}`, STOMP_ADDR];
      await new StompDeliverer(config(destination, { uris })).deliver(delivery());
      await subscriber.waitFor(1);
    } finally {
      await subscriber.close();
    }
  });

  it('bad credentials fail the delivery naming the broker and the destination, never the passcode', async () => {
    const passcode = `not-the-passcode-${randomUUID()}`;
    const deliverer = new StompDeliverer(config('/topic/clair-test-denied', { user: { login: STOMP_USER.login, passcode } }));
    const message = await rejectsWithDeliveryFailed(deliverer.deliver(delivery()));
    assert.ok(message.includes(STOMP_ADDR), message);
    assert.ok(message.includes('/topic/clair-test-denied'), message);
    assert.match(message, /ERROR/);
    assert.ok(!message.includes(passcode), message);
  });

  it('fails naming every broker tried when none is reachable', async () => {
    const uris = [`127.0.0.1:${await closedPort()}`, `127.0.0.1:${await closedPort()}`];
    const message = await rejectsWithDeliveryFailed(new StompDeliverer(config('/topic/x', { uris })).deliver(delivery()));
    assert.match(message, /no broker accepted a session/);
    for (const uri of uris) assert.ok(message.includes(uri), message);
    assert.match(message, /ECONNREFUSED/);
  });

  it('gives up on a broker that does not answer within the deadline', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const message = await rejectsWithDeliveryFailed(new StompDeliverer(config('/topic/x', { uris: [silent.addr] }), { timeoutMs: 200 }).deliver(delivery()));
      assert.match(message, /connecting timed out after 200 ms/);
      assert.ok(message.includes(silent.addr));
      assert.ok(Date.now() - started < 2000);
    } finally {
      await silent.close();
    }
  });

  it('an already aborted delivery rejects at once', async () => {
    const controller = new AbortController();
    controller.abort();
    await rejectsWithDeliveryFailed(new StompDeliverer(config('/topic/x')).deliver(delivery(undefined, controller.signal)));
  });

  it('aborting while connecting rejects promptly, without trying the next broker', async () => {
    const silent = await silentServer();
    try {
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 100);
      const message = await rejectsWithDeliveryFailed(new StompDeliverer(config('/topic/x', { uris: [silent.addr, STOMP_ADDR] })).deliver(delivery(undefined, controller.signal)));
      assert.match(message, /aborted/);
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    } finally {
      await silent.close();
    }
  });

  describe('against a misbehaving broker', () => {
    it('fails when the broker resets the connection after CONNECTED', async () => {
      const broker = await fakeBroker((socket) => socket.once('data', () => {
        socket.write(CONNECTED);
        socket.once('data', () => socket.resetAndDestroy());
      }));
      try {
        const message = await rejectsWithDeliveryFailed(new StompDeliverer(config('/topic/x', { uris: [broker.addr] }), { timeoutMs: 2000 }).deliver(delivery()));
        assert.ok(message.includes(broker.addr), message);
        assert.match(message, /ECONNRESET|closed/);
      } finally {
        await broker.close();
      }
    });

    it('direct mode fails when the broker closes without a receipt for DISCONNECT: the COMMIT is unconfirmed', async () => {
      const broker = await fakeBroker((socket) => {
        let frames = '';
        socket.on('data', (chunk) => {
          frames += chunk.toString();
          if (frames.startsWith('CONNECT') && !frames.includes('BEGIN')) socket.write(CONNECTED);
          if (frames.includes('DISCONNECT')) socket.end();
        });
      });
      try {
        const message = await rejectsWithDeliveryFailed(new StompDeliverer(config('/topic/x', { uris: [broker.addr], direct: true }), { timeoutMs: 2000 }).deliver(delivery()));
        assert.match(message, /without a receipt for DISCONNECT/);
      } finally {
        await broker.close();
      }
    });

    it('fails, naming the broker, when it answers with garbage', async () => {
      // resume(): a socket whose input is never read never sees the client's FIN, and never closes.
      const broker = await fakeBroker((socket) => socket.resume().end('HELLO\n\n\0'));
      try {
        const message = await rejectsWithDeliveryFailed(new StompDeliverer(config('/topic/x', { uris: [broker.addr] }), { timeoutMs: 2000 }).deliver(delivery()));
        assert.ok(message.includes(broker.addr), message);
      } finally {
        await broker.close();
      }
    });
  });

  describe('over TLS', () => {
    let dir: string;
    let proxy: Server | undefined;
    let proxyAddr = '';
    let noOpenssl: string | undefined;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'clair-stomp-tls-'));
      try {
        // One self-signed certificate serves as the broker's, the client's and the root CA.
        execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      } catch {
        noOpenssl = 'openssl is not available to make a test certificate';
        return;
      }
      const cert = readFileSync(join(dir, 'cert.pem'));
      const key = readFileSync(join(dir, 'key.pem'));
      // A TLS terminator in front of RabbitMQ's plain STOMP port, insisting on a client certificate.
      proxy = createTlsServer({ cert, key, ca: [cert], requestCert: true, rejectUnauthorized: true }, (client) => {
        const upstream = netConnect(Number(BROKER_PORT), BROKER_HOST);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        client.pipe(upstream).pipe(client);
      });
      proxy.on('tlsClientError', () => {});
      await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
      proxyAddr = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });

    after(async () => {
      if (proxy) await new Promise((resolve) => proxy!.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    });

    it('delivers with the client certificate, trusting root_ca', async (t) => {
      if (noOpenssl) return t.skip(noOpenssl);
      const destination = freshDestination();
      const subscriber = await StompSubscriber.on(destination);
      try {
        const tls = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), root_ca: join(dir, 'cert.pem') };
        await new StompDeliverer(config(destination, { uris: [proxyAddr], tls })).deliver(delivery());
        await subscriber.waitFor(1);
      } finally {
        await subscriber.close();
      }
    });

    it('refuses a broker whose certificate is not trusted', async (t) => {
      if (noOpenssl) return t.skip(noOpenssl);
      const tls = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
      const message = await rejectsWithDeliveryFailed(new StompDeliverer(config('/topic/x', { uris: [proxyAddr], tls })).deliver(delivery()));
      assert.ok(message.includes(proxyAddr), message);
      assert.match(message, /self-signed|certificate/i);
    });

    it('refuses to start with an unreadable certificate file', (t) => {
      if (noOpenssl) return t.skip(noOpenssl);
      assert.throws(() => new StompDeliverer(config('/topic/x', { tls: { cert: join(dir, 'missing.pem'), key: join(dir, 'key.pem') } })), (err) => isClairError(err, 'CONFIG_INVALID'));
    });
  });
});
