/**
 * Deadlines and fail-fast for layer fetches (issue "Availability", item 5):
 * a server that never answers, one that trickles, a manifest whose layers
 * all fail, one with too many layers, and the per-manifest deadline, each
 * ending as an error that names the limit, promptly, with the work stopped.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startClair, type ClairProcess } from '../app/start.js';
import { quietLogger, testConfig } from '../test-support/config.js';
import { buildTar, digestOf, gzip, serveBlobs, type BlobServer } from '../test-support/layer-builder.js';
import { manifestOf, silentServer, testIndexer, testIndexerDatabase, trickleServer, type MisbehavingServer } from '../test-support/layer-fetch.js';
import type { Database } from '../store/database.js';
import type { IndexReport } from '../model/index.js';

const good = gzip(buildTar([{ path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' }]));

async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('layer fetch deadlines', () => {
  const cleanups: Array<() => Promise<void>> = [];
  let db: Database;
  before(async () => {
    db = await testIndexerDatabase();
    cleanups.push(() => db.close());
  });
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });
  const server = async (made: Promise<MisbehavingServer>): Promise<MisbehavingServer> => {
    const s = await made;
    cleanups.push(() => s.close());
    return s;
  };
  const indexer = (raw: Record<string, unknown>, context = {}) => testIndexer(db, raw, context);

  it('gives up on a server that never answers after attempts × response_timeout, naming the timeout', async () => {
    const silent = await server(silentServer());
    const ix = await indexer({ layer_fetch: { response_timeout: '300ms', attempts: 2 } });
    const started = performance.now();
    const report = await ix.index(manifestOf([silent.url('/blob')]));
    const elapsed = performance.now() - started;
    assert.equal(report.state, 'IndexError');
    assert.match(report.err, /^layer sha256:[0-9a-f]{64}: GET http:\/\/127\.0\.0\.1:\d+\/blob failed after 2 attempt\(s\): response timeout: no response headers in time \(indexer\.layer_fetch\.response_timeout\)$/);
    assert.deepEqual(silent.requests, ['/blob', '/blob']);
    // Two 300 ms attempts and one back-off of at most 1 s; undici's timers tick about every
    // half second, so each deadline may run up to a second late (10 s attempts would be 40 s).
    assert.ok(elapsed >= 600 && elapsed < 5000, `took ${Math.round(elapsed)} ms`);
    await until(() => silent.hungUp === silent.requests.length);
  });

  it('bounds connecting, name resolution included, by connect_timeout', async () => {
    const never = (() => {}) as unknown as import('node:net').LookupFunction;
    const ix = await indexer({ layer_fetch: { connect_timeout: '200ms', attempts: 1 } }, { lookup: never });
    const started = performance.now();
    const report = await ix.index(manifestOf(['http://registry.test/blob']));
    assert.equal(report.state, 'IndexError');
    assert.match(report.err, /failed after 1 attempt\(s\): connect timeout: no connection in time \(indexer\.layer_fetch\.connect_timeout\)$/);
    assert.ok(performance.now() - started < 2000);
  });

  it('abandons a body slower than min_bytes_per_second over the window (slow loris)', async () => {
    const slow = await server(trickleServer(500));
    // Two bytes a second against a minimum of 100, over a 1 s window (30 s outside tests).
    const ix = await indexer({ layer_fetch: { min_bytes_per_second: 100, attempts: 1 } }, { rateWindowMs: 1000 });
    const started = performance.now();
    const report = await ix.index(manifestOf([slow.url('/blob')]));
    const elapsed = performance.now() - started;
    assert.equal(report.state, 'IndexError');
    assert.match(report.err, /^layer sha256:[0-9a-f]{64}: GET http:\/\/127\.0\.0\.1:\d+\/blob failed: the body arrived slower than 100 bytes\/s over 1s \(indexer\.layer_fetch\.min_bytes_per_second\)$/);
    assert.ok(elapsed >= 1000 && elapsed < 3000, `took ${Math.round(elapsed)} ms`);
    assert.deepEqual(slow.requests, ['/blob']);
    await until(() => slow.hungUp === slow.requests.length);
  });

  it('fails fast: of 200 layers that all 404, at most layer_scan_concurrency are requested, and the first failure is the error', async () => {
    const blobs = await serveBlobs({});
    cleanups.push(() => blobs.close());
    const ix = await indexer({ layer_scan_concurrency: 4 });
    const manifest = manifestOf(Array.from({ length: 200 }, (_, i) => blobs.url(`/layer/${i}`)));
    const report = await ix.index(manifest);
    assert.equal(report.state, 'IndexError');
    // Requests sent before the failure may reach the server a little later.
    await new Promise((r) => setTimeout(r, 300));
    const gets = blobs.requests.length;
    assert.ok(gets >= 1 && gets <= 4, `${gets} GETs`);
    const named = /^layer (sha256:[0-9a-f]{64}): GET http:\/\/127\.0\.0\.1:\d+(\/layer\/\d+) answered 404 Not Found \(no such blob\)$/.exec(report.err);
    assert.ok(named, report.err);
    const layer = manifest.layers.find((l) => l.hash === named[1]);
    assert.equal(layer?.uri, blobs.url(named[2]!), 'the digest and the path are the same layer');
    assert.ok(blobs.requests.some((r) => r.path === named[2]), 'the layer named is one that was requested');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(blobs.requests.length, gets, 'nothing more is requested once the index has failed');
  });

  it('ends an index at index_timeout with an IndexError naming it, stopping the fetch', async () => {
    const silent = await server(silentServer());
    const ix = await indexer({ limits: { index_timeout: '500ms' }, layer_fetch: { response_timeout: '30s' } });
    const manifest = manifestOf([silent.url('/blob')]);
    const started = performance.now();
    const report = await ix.index(manifest);
    const elapsed = performance.now() - started;
    assert.equal(report.state, 'IndexError');
    assert.equal(report.err, `index: manifest ${manifest.hash} was not indexed within 500ms (indexer.limits.index_timeout); its work was cancelled`);
    assert.ok(elapsed >= 500 && elapsed < 2500, `took ${Math.round(elapsed)} ms`);
    assert.deepEqual((await ix.indexReport(manifest.hash))?.state, 'IndexError', 'the failed report is stored');
    await until(() => silent.hungUp === silent.requests.length);
  });
});

describe('layer fetch limits through the API', () => {
  let clair: ClairProcess;
  let blobs: BlobServer;
  let silent: MisbehavingServer;

  before(async () => {
    blobs = await serveBlobs({ '/good': { body: good } });
    silent = await silentServer();
    clair = await startClair({
      mode: 'indexer',
      log: quietLogger(),
      config: testConfig('indexer', {
        indexer: { connstring: 'memory://', index_report_request_concurrency: 1, limits: { manifest_layers: 3, index_timeout: '1s' }, layer_fetch: { response_timeout: '30s' } },
      }),
    });
  });
  after(async () => {
    await clair?.close();
    await blobs?.close();
    await silent?.close();
  });

  const post = (manifest: object, signal?: AbortSignal) =>
    fetch(`${clair.apiUrl}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(manifest), headers: { 'content-type': 'application/json' }, signal: signal ?? AbortSignal.timeout(30_000) });

  it('refuses a manifest with more layers than manifest_layers with 400, before any fetch', async () => {
    const layers = Array.from({ length: 4 }, (_, i) => ({ hash: `sha256:${createHash('sha256').update(`too many ${i}`).digest('hex')}`, uri: blobs.url('/good') }));
    const manifest = { hash: `sha256:${createHash('sha256').update('too many').digest('hex')}`, layers };
    const r = await post(manifest);
    assert.equal(r.status, 400);
    const body = (await r.json()) as { code: string; message: string };
    assert.deepEqual(body, { code: 'bad-request', message: `index: manifest ${manifest.hash} has 4 layers, more than indexer.limits.manifest_layers (3)` });
    assert.equal(blobs.requests.length, 0);
    const stored = await fetch(`${clair.apiUrl}/indexer/api/v1/index_report/${manifest.hash}`);
    assert.equal(stored.status, 404, 'nothing was recorded');
  });

  it('bounds work whose client has gone by index_timeout, stores its IndexError, and gives the slot back', async () => {
    const hash = `sha256:${createHash('sha256').update('abandoned').digest('hex')}`;
    const manifest = { hash, layers: [{ hash: `sha256:${createHash('sha256').update('abandoned layer').digest('hex')}`, uri: silent.url('/blob') }] };
    await post(manifest, AbortSignal.timeout(200)).then(
      () => assert.fail('the client should have given up'),
      (err: Error) => assert.equal(err.name, 'TimeoutError'),
    );
    // The one slot is still held by the abandoned work.
    assert.equal((await post({ hash: `sha256:${'c'.repeat(64)}`, layers: [] })).status, 429);
    let report: IndexReport | undefined;
    await until(async () => {
      const r = await fetch(`${clair.apiUrl}/indexer/api/v1/index_report/${hash}`);
      report = r.status === 200 ? ((await r.json()) as IndexReport) : undefined;
      return report?.state === 'IndexError';
    }, 5000);
    assert.match(report!.err, /was not indexed within 1s \(indexer\.limits\.index_timeout\)/);
    await until(() => silent.hungUp === silent.requests.length);
    // The slot is free again.
    let next: Response | undefined;
    await until(async () => {
      next = await post({ hash: `sha256:${createHash('sha256').update('next').digest('hex')}`, layers: [{ hash: digestOf(good), uri: blobs.url('/good') }] });
      return next.status !== 429;
    }, 2000);
    assert.equal(next!.status, 201);
    assert.equal(((await next!.json()) as IndexReport).state, 'IndexFinished');
  });
});
