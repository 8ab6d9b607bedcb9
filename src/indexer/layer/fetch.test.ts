import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DestinationPolicy, OwnListeners } from '../../lib/destination-policy.js';
import { isClairError } from '../../lib/errors.js';
import { createHttpClient } from '../../lib/http-client.js';
import { serveBlobs, type BlobServer } from '../../test-support/layer-builder.js';
import { silentServer } from '../../test-support/layer-fetch.js';
import { fetchLayer, isTransient, redactUrl } from './fetch.js';
import { SlowBodyError } from './min-rate.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const FAST = { baseDelayMs: 1, maxDelayMs: 5 };

async function text(body: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let server: BlobServer;
before(async () => {
  server = await serveBlobs({
    '/blob': { body: Buffer.from('blob'), contentType: 'application/gzip' },
    '/statuses': { body: Buffer.from('ok'), script: [408, 429, 502] },
    '/retry-after': { body: Buffer.from('ok'), script: [503], headers: { 'retry-after': '0' } },
    '/forbidden': { script: [403] },
    '/no-content': { script: [204] },
    '/slow-retry': { script: [500, 500, 500] },
    '/denied': { authorization: 'Bearer right' },
    '/stall': { body: Buffer.alloc(1000), script: ['stall'] },
  });
});
after(() => server.close());

describe('fetchLayer', () => {
  it('resolves with the body, Content-Type and Content-Length of a 200', async () => {
    const res = await fetchLayer({ uri: server.url('/blob'), digest: DIGEST });
    assert.equal(res.contentType, 'application/gzip');
    assert.equal(res.contentLength, 4);
    assert.equal(await text(res.body), 'blob');
  });

  it('sends every manifest header, joining repeated values', async () => {
    const res = await fetchLayer({
      uri: server.url('/blob'),
      digest: DIGEST,
      headers: { Authorization: ['Bearer abc'], 'X-Multi': ['one', 'two'], Cookie: ['a=1', 'b=2'], 'X-Empty': [] },
    });
    await text(res.body);
    const seen = server.requests.at(-1)!.headers;
    assert.equal(seen.authorization, 'Bearer abc');
    assert.equal(seen['x-multi'], 'one, two');
    assert.equal(seen.cookie, 'a=1; b=2');
    assert.equal(seen['x-empty'], undefined);
  });

  it('retries 408, 429 and 5xx, honouring Retry-After', async () => {
    const res = await fetchLayer({ uri: server.url('/statuses'), digest: DIGEST }, FAST);
    assert.equal(await text(res.body), 'ok');
    assert.equal(server.count('/statuses'), 4);
    const again = await fetchLayer({ uri: server.url('/retry-after'), digest: DIGEST }, FAST);
    await text(again.body);
    assert.equal(server.count('/retry-after'), 2);
  });

  it('does not retry other statuses, and names status and digest', async () => {
    await assert.rejects(fetchLayer({ uri: server.url('/forbidden'), digest: DIGEST }, FAST), (err) => {
      assert.ok(isClairError(err, 'LAYER_FETCH'));
      assert.match(err.message, /403 Forbidden/);
      assert.match(err.message, new RegExp(DIGEST));
      return true;
    });
    assert.equal(server.count('/forbidden'), 1);
    await assert.rejects(fetchLayer({ uri: server.url('/no-content'), digest: DIGEST }, FAST), /answered 204/);
  });

  it('retries network errors, then reports the cause', async () => {
    const port = await closedPort();
    await assert.rejects(fetchLayer({ uri: `http://127.0.0.1:${port}/blob`, digest: DIGEST }, { ...FAST, attempts: 3 }), (err) => {
      assert.ok(isClairError(err, 'LAYER_FETCH'));
      assert.match(err.message, /after 3 attempt\(s\): ECONNREFUSED/);
      return true;
    });
  });

  it('keeps query strings, credentials and header values out of errors', async () => {
    const uri = server.url('/denied').replace('http://', 'http://user:pw@') + '?X-Amz-Signature=SECRET';
    await assert.rejects(fetchLayer({ uri, digest: DIGEST, headers: { Authorization: ['Bearer TOPSECRET'] } }, FAST), (err) => {
      assert.match((err as Error).message, /401/);
      assert.doesNotMatch((err as Error).message, /SECRET|pw@|user/);
      return true;
    });
  });

  it('sends URL credentials as Basic authorization', async () => {
    const res = await fetchLayer({ uri: server.url('/blob').replace('http://', 'http://us%40er:p%3Aw@'), digest: DIGEST });
    await text(res.body);
    assert.equal(server.requests.at(-1)!.headers.authorization, `Basic ${Buffer.from('us@er:p:w').toString('base64')}`);
  });

  it('refuses URIs that are not http(s) or not URLs', async () => {
    for (const uri of ['file:///etc/passwd', 'ftp://host/blob', 'not a url']) {
      await assert.rejects(fetchLayer({ uri, digest: DIGEST }), (err) => isClairError(err, 'LAYER_FETCH'), uri);
    }
  });

  it('refuses invalid header names without echoing values', async () => {
    await assert.rejects(fetchLayer({ uri: server.url('/blob'), digest: DIGEST, headers: { 'Bad Name': ['v4lue'] } }), (err) => {
      assert.ok(isClairError(err, 'LAYER_FETCH'));
      assert.doesNotMatch(err.message, /v4lue/);
      return true;
    });
  });

  it('stops waiting between retries when aborted', { timeout: 5000 }, async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = fetchLayer({ uri: server.url('/slow-retry'), digest: DIGEST }, { baseDelayMs: 60_000, maxDelayMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, { name: 'AbortError' });
    assert.ok(Date.now() - started < 2000);
  });

  it('uses the fetch override when given', async () => {
    let called = 0;
    const fake: typeof fetch = async () => {
      called++;
      return new Response('fake', { status: 200 });
    };
    const res = await fetchLayer({ uri: 'https://registry.invalid/blob', digest: DIGEST }, { fetch: fake });
    assert.equal(await text(res.body), 'fake');
    assert.equal(called, 1);
  });
});

describe('fetchLayer through a guarded client', () => {
  const guarded = (policy = new DestinationPolicy(), responseTimeoutMs = 10_000) => {
    const client = createHttpClient({ timeoutMs: 0, guard: { policy, connectTimeoutMs: 10_000, responseTimeoutMs } });
    return { fetch: ((url: string | URL, init?: RequestInit) => client.fetch(url, init as RequestInit & { signal?: AbortSignal })) as typeof fetch, close: () => client.close() };
  };

  it('fails at once, without retrying or connecting, where the policy denies', async () => {
    const own = new OwnListeners();
    own.add(Number(new URL(server.url('/')).port));
    const client = guarded(new DestinationPolicy({ ownListeners: own }));
    const before = server.requests.length;
    await assert.rejects(fetchLayer({ uri: server.url('/blob?sig=SECRET'), digest: DIGEST }, { ...FAST, attempts: 3, fetch: client.fetch }), (err) => {
      assert.ok(isClairError(err, 'FETCH_DESTINATION_DENIED'));
      assert.equal(err.message, `layer ${DIGEST}: fetching from 127.0.0.1:${new URL(server.url('/')).port} is not allowed (indexer.layer_fetch)`);
      return true;
    });
    assert.equal(server.requests.length, before);
    await client.close();
  });

  it('retries an attempt whose response headers do not come in time, naming the deadline', async () => {
    const silent = await silentServer();
    const client = guarded(new DestinationPolicy(), 200);
    await assert.rejects(fetchLayer({ uri: silent.url('/blob'), digest: DIGEST }, { ...FAST, attempts: 2, fetch: client.fetch }), /after 2 attempt\(s\): response timeout: no response headers in time \(indexer\.layer_fetch\.response_timeout\)$/);
    assert.deepEqual(silent.requests, ['/blob', '/blob']);
    await client.close();
    await silent.close();
  });

  it('hands over a body that fails once it stalls for the rate window', async () => {
    const res = await fetchLayer({ uri: server.url('/stall'), digest: DIGEST }, { minBytesPerSecond: 1, rateWindowMs: 200 });
    await assert.rejects(text(res.body), SlowBodyError);
  });
});

describe('fetch helpers', () => {
  it('classifies transient statuses', () => {
    assert.deepEqual([200, 400, 401, 403, 404, 408, 429, 500, 503, 599].filter(isTransient), [408, 429, 500, 503, 599]);
  });

  it('redacts URLs to scheme, host and path', () => {
    assert.equal(redactUrl(new URL('https://u:p@example.com:8443/v2/blobs/x?token=t#f')), 'https://example.com:8443/v2/blobs/x');
  });
});
