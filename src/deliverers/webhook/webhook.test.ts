/**
 * The webhook deliverer against a real loopback receiver: the exact request
 * (body bytes, headers, JWT, signature), which answers count as delivered,
 * and the retry schedule (backoff, Retry-After, timeouts, aborts).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { WebhookConfig } from '../../config/types.js';
import { isClairError } from '../../lib/errors.js';
import { CLAIR_VERSION } from '../../lib/version.js';
import { MAX_DELAY_MS, parseRetryAfter, retryDelay } from './retry-policy.js';
import { WebhookDeliverer, type WebhookDelivererOptions } from './deliverer.js';

const CALLBACK = 'http://clair.test/notifier/api/v1/notification/';
const KEY = Buffer.from('a webhook signature key for tests');

interface Received {
  at: number;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  remotePort: number | undefined;
}

type Answer = (res: ServerResponse, index: number) => void;

/** A receiver on 127.0.0.1 that answers the n-th request (0-based) with `answer`. */
async function startReceiver(answer: Answer) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const index = received.length;
      received.push({ at: performance.now(), method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), remotePort: req.socket.remotePort });
      answer(res, index);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  after(async () => {
    server.closeAllConnections();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${port}/hook`, server, received };
}

const statuses =
  (...list: number[]): Answer =>
  (res, index) => {
    res.writeHead(list[Math.min(index, list.length - 1)]!).end('answer');
  };

function deliverer(config: Partial<WebhookConfig> & { target: string }, options: WebhookDelivererOptions = {}) {
  const d = new WebhookDeliverer({ callback: CALLBACK, headers: {}, attempts: 1, backoff: 10, timeout: 2000, ...config }, options);
  after(() => d.close());
  return d;
}

const delivery = (signal = new AbortController().signal) => ({ id: randomUUID(), signal, pages: () => (async function* () {})() });

/** Runs `fn`, expecting DELIVERY_FAILED; returns its message and how long it took. */
async function failure(fn: () => Promise<unknown>): Promise<{ message: string; ms: number }> {
  const start = performance.now();
  try {
    await fn();
  } catch (err) {
    assert.ok(isClairError(err, 'DELIVERY_FAILED'), `expected DELIVERY_FAILED, got ${String(err)}`);
    return { message: err.message, ms: performance.now() - start };
  }
  assert.fail('deliver resolved');
}

const gaps = (received: Received[]) => received.slice(1).map((r, i) => r.at - received[i]!.at);

describe('webhook deliverer: the request', () => {
  it('POSTs exactly upstream\'s {"callback","notification_id"} bytes as JSON with our User-Agent', async () => {
    const receiver = await startReceiver(statuses(200));
    const d = deliverer({ target: receiver.url });
    const one = delivery();
    await d.deliver(one);
    assert.equal(receiver.received.length, 1);
    const [request] = receiver.received;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.path, '/hook');
    const callback = `${CALLBACK}${one.id}`;
    assert.equal(request!.body.toString('utf8'), `{"callback":"${callback}","notification_id":"${one.id}"}`);
    assert.deepEqual(JSON.parse(request!.body.toString('utf8')), { notification_id: one.id, callback });
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.equal(request!.headers['content-length'], String(request!.body.length));
    assert.equal(request!.headers['user-agent'], `clair/${CLAIR_VERSION}`);
    assert.equal(request!.headers.authorization, undefined);
    assert.equal(request!.headers['clair-signature'], undefined);
    assert.equal(d.name, 'webhook');
    assert.equal(d.direct, false);
  });

  it('sends every configured header value, multiple values as one comma-joined field', async () => {
    const receiver = await startReceiver(statuses(200));
    const headers = { 'X-Single': ['one'], 'X-Multi': ['a', 'b'], 'Content-Type': ['text/plain'] };
    await deliverer({ target: receiver.url, headers }).deliver(delivery());
    const got = receiver.received[0]!.headers;
    assert.equal(got['x-single'], 'one');
    assert.equal(got['x-multi'], 'a, b');
    assert.equal(got['content-type'], 'application/json', 'content-type stays JSON, as upstream forces it');
  });

  it('sends the injected authorization on every try, replacing a configured one', async () => {
    const receiver = await startReceiver(statuses(500, 200));
    let calls = 0;
    const authorization = async () => `Bearer token-${++calls}`;
    await deliverer({ target: receiver.url, attempts: 2, headers: { Authorization: ['Bearer configured'] } }, { authorization }).deliver(delivery());
    assert.deepEqual(receiver.received.map((r) => r.headers.authorization), ['Bearer token-1', 'Bearer token-2']);
  });

  it('sends a configured Authorization header when no authorization is injected', async () => {
    const receiver = await startReceiver(statuses(200));
    await deliverer({ target: receiver.url, headers: { Authorization: ['Bearer configured'] } }).deliver(delivery());
    assert.equal(receiver.received[0]!.headers.authorization, 'Bearer configured');
  });

  it('signs "<t>.<body>" with the configured key in Clair-Signature', async () => {
    const receiver = await startReceiver(statuses(200));
    await deliverer({ target: receiver.url, signature_key: KEY.toString('base64') }).deliver(delivery());
    const { headers, body } = receiver.received[0]!;
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['clair-signature']));
    assert.ok(match, `malformed signature header ${String(headers['clair-signature'])}`);
    const t = match[1]!;
    const expected = createHmac('sha256', KEY).update(Buffer.concat([Buffer.from(`${t}.`), body])).digest('hex');
    assert.equal(match[2], expected);
    assert.ok(Math.abs(Number(t) - Date.now() / 1000) < 5, 'the timestamp is now');
  });

  it('sends userinfo in the target as Basic credentials and never names it, nor the query, in errors', async () => {
    const receiver = await startReceiver(statuses(403));
    const target = receiver.url.replace('http://', 'http://user:s%3Acret@') + '?token=hidden';
    const { message } = await failure(() => deliverer({ target }).deliver(delivery()));
    assert.equal(receiver.received[0]!.headers.authorization, `Basic ${Buffer.from('user:s:cret').toString('base64')}`);
    assert.equal(receiver.received[0]!.path, '/hook?token=hidden');
    assert.ok(message.includes(receiver.url), message);
    assert.ok(!message.includes('cret') && !message.includes('user') && !message.includes('hidden'), message);
  });

  it('keeps connections alive between deliveries', async () => {
    const receiver = await startReceiver(statuses(200));
    const d = deliverer({ target: receiver.url });
    for (let i = 0; i < 4; i++) await d.deliver(delivery());
    // undici may open a second connection while the first is being released; it does not open one per request.
    const connections = new Set(receiver.received.map((r) => r.remotePort));
    assert.equal(receiver.received.length, 4);
    assert.ok(connections.size <= 2, `${connections.size} connections for 4 requests`);
  });
});

describe('webhook deliverer: outcomes', () => {
  it('counts any 2xx as delivered: 204', async () => {
    const receiver = await startReceiver(statuses(204));
    await deliverer({ target: receiver.url, attempts: 3 }).deliver(delivery());
    assert.equal(receiver.received.length, 1);
  });

  it('retries 500s and resolves on the third try', async () => {
    const receiver = await startReceiver(statuses(500, 500, 200));
    await deliverer({ target: receiver.url, attempts: 5 }).deliver(delivery());
    assert.equal(receiver.received.length, 3);
  });

  it('does not retry a 404 and names the status and the target', async () => {
    const receiver = await startReceiver(statuses(404));
    const { message } = await failure(() => deliverer({ target: receiver.url, attempts: 5 }).deliver(delivery()));
    assert.equal(receiver.received.length, 1);
    assert.equal(message, `webhook: delivering to ${receiver.url} failed after 1 try: status 404 (not retried)`);
  });

  it('does not follow a redirect and does not retry it', async () => {
    const receiver = await startReceiver((res) => res.writeHead(302, { location: '/elsewhere' }).end());
    const { message } = await failure(() => deliverer({ target: receiver.url, attempts: 3 }).deliver(delivery()));
    assert.equal(receiver.received.length, 1);
    assert.match(message, /status 302/);
  });

  it('gives up after `attempts` tries, naming the count and the last status', async () => {
    const receiver = await startReceiver(statuses(503));
    const { message } = await failure(() => deliverer({ target: receiver.url, attempts: 3 }).deliver(delivery()));
    assert.equal(receiver.received.length, 3);
    assert.equal(message, `webhook: delivering to ${receiver.url} failed after 3 tries: status 503`);
  });

  it('reports a refused connection as a network error', async () => {
    const gone = await startReceiver(statuses(200));
    const target = gone.url;
    await new Promise((resolve) => gone.server.close(resolve)); // nobody listens on its port now
    const { message } = await failure(() => deliverer({ target, attempts: 2 }).deliver(delivery()));
    assert.equal(gone.received.length, 0);
    assert.match(message, /failed after 2 tries: network error: .*ECONNREFUSED/);
  });

  it('bounds each try by `timeout` when the receiver never answers', async () => {
    const receiver = await startReceiver(() => {
      /* never answers */
    });
    const { message, ms } = await failure(() => deliverer({ target: receiver.url, attempts: 2, timeout: 150 }).deliver(delivery()));
    assert.equal(receiver.received.length, 2);
    assert.equal(message, `webhook: delivering to ${receiver.url} failed after 2 tries: no answer within 150 ms`);
    assert.ok(ms >= 2 * 150 - 20 && ms < 3000, `took ${ms} ms`);
  });

  it('returns once 64 KiB of an endless 2xx body is read', async () => {
    const receiver = await startReceiver((res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(16 * 1024);
      const pump = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(pump));
    });
    const start = performance.now();
    await deliverer({ target: receiver.url, timeout: 5000 }).deliver(delivery());
    assert.ok(performance.now() - start < 2500, 'did not wait for the deadline');
  });
});

describe('webhook deliverer: retry timing', () => {
  it('doubles the wait after each failed try', async () => {
    const receiver = await startReceiver(statuses(500));
    await failure(() => deliverer({ target: receiver.url, attempts: 4, backoff: 60 }).deliver(delivery()));
    assert.equal(receiver.received.length, 4);
    const [first, second, third] = gaps(receiver.received) as [number, number, number];
    const slack = 15; // a request can arrive a little later than its predecessor's timing suggests
    assert.ok(first >= 60 - slack && first < 60 + 700, `first wait ${first} ms`);
    assert.ok(second >= 120 - slack && second < 120 + 700, `second wait ${second} ms`);
    assert.ok(third >= 240 - slack && third < 240 + 700, `third wait ${third} ms`);
  });

  it('waits a longer Retry-After on 429', async () => {
    const receiver = await startReceiver((res, index) => (index === 0 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.writeHead(200).end()));
    await deliverer({ target: receiver.url, attempts: 2, backoff: 10 }).deliver(delivery());
    const [wait] = gaps(receiver.received) as [number];
    assert.ok(wait >= 1000 - 15 && wait < 1000 + 1000, `waited ${wait} ms`);
  });

  it('keeps the backoff when Retry-After is shorter, and ignores it on a 500', async () => {
    const receiver = await startReceiver((res, index) =>
      index === 0 ? res.writeHead(503, { 'retry-after': '0' }).end() : index === 1 ? res.writeHead(500, { 'retry-after': '1' }).end() : res.writeHead(200).end(),
    );
    await deliverer({ target: receiver.url, attempts: 3, backoff: 80 }).deliver(delivery());
    const [first, second] = gaps(receiver.received) as [number, number];
    assert.ok(first >= 80 - 15 && first < 80 + 700, `first wait ${first} ms`);
    assert.ok(second >= 160 - 15 && second < 900, `second wait ${second} ms (Retry-After on a 500 ignored)`);
  });

  it('stops waiting and trying as soon as the signal aborts', async () => {
    const receiver = await startReceiver(statuses(500));
    const controller = new AbortController();
    const d = deliverer({ target: receiver.url, attempts: 5, backoff: 10_000 });
    setTimeout(() => controller.abort(), 100);
    const { message, ms } = await failure(() => d.deliver(delivery(controller.signal)));
    assert.equal(receiver.received.length, 1);
    assert.equal(message, `webhook: delivering to ${receiver.url} abandoned after 1 try: shutting down`);
    assert.ok(ms < 1500, `took ${ms} ms`);
  });

  it('abandons a try in flight when the signal aborts', async () => {
    const receiver = await startReceiver(() => {
      /* never answers */
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { message, ms } = await failure(() => deliverer({ target: receiver.url, attempts: 5, timeout: 10_000 }).deliver(delivery(controller.signal)));
    assert.match(message, /abandoned after 1 try/);
    assert.ok(ms < 1500, `took ${ms} ms`);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const receiver = await startReceiver(statuses(200));
    const { message } = await failure(() => deliverer({ target: receiver.url }).deliver(delivery(AbortSignal.abort())));
    assert.equal(receiver.received.length, 0);
    assert.match(message, /abandoned after 0 tries/);
  });
});

describe('webhook retry policy', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Sun, 31 Dec 2023 23:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-1', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  it('doubles from the backoff and caps every wait at 5 minutes', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => retryDelay(1000, n)), [1000, 2000, 4000, 8000]);
    assert.equal(retryDelay(1000, 30), MAX_DELAY_MS);
    assert.equal(retryDelay(1000, 1, 7000), 7000);
    assert.equal(retryDelay(1000, 1, 3_600_000), MAX_DELAY_MS);
  });
});
