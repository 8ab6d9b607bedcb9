/**
 * Where layers may be fetched from (issue "Availability", item 6: SSRF
 * through layer URIs). Denied destinations are refused before connecting,
 * however the URI spells the address, after redirects and after name
 * resolution, all with one message that says nothing about what listens
 * there; no request reaches a denied server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { startClair, type ClairProcess } from '../app/start.js';
import { OwnListeners } from '../lib/destination-policy.js';
import { quietLogger, testConfig } from '../test-support/config.js';
import { buildTar, digestOf, gzip, serveBlobs, type BlobServer } from '../test-support/layer-builder.js';
import { manifestOf, testIndexer, testIndexerDatabase } from '../test-support/layer-fetch.js';
import type { Database } from '../store/database.js';
import type { LocalIndexer } from './local-indexer.js';

/** A valid layer; `tag` makes its digest unique, since a layer already scanned is never fetched again. */
const layer = (tag: string) => gzip(buildTar([{ path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' }, { path: 'tag', content: tag }]));

/**
 * Names only tests resolve. Each points where a connection, should the
 * policy ever fail, still stays on this machine: loopback (the "own"
 * server), and 0.0.0.0, which is outside the air gap and reaches loopback.
 */
const NAMES: Record<string, string> = { 'registry.test': '127.0.0.1', 'outside.test': '0.0.0.0' };
const testLookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  const address = NAMES[hostname];
  if (address === undefined) return dnsLookup(hostname, options as never, callback as never);
  if (options.all) callback(null, [{ address, family: 4 }]);
  else callback(null, address, 4);
}) as unknown as LookupFunction;

const denied = (host: string) => new RegExp(`^layer sha256:[0-9a-f]{64}: fetching from ${host.replace(/[.[\]]/g, '\\$&')} is not allowed \\(indexer\\.layer_fetch\\)$`);

describe('layer fetch destinations', () => {
  let db: Database;
  /** Stands for this process's own listener: layers must never be fetched from it. */
  let own: BlobServer;
  /** An ordinary registry, which also redirects. */
  let registry: BlobServer;
  let ownListeners: OwnListeners;
  let port: number;

  before(async () => {
    db = await testIndexerDatabase();
    own = await serveBlobs({ '/layer': { body: layer('own') } });
    port = Number(new URL(own.url('/')).port);
    ownListeners = new OwnListeners();
    ownListeners.add(port);
    registry = await serveBlobs({
      '/to-own': { redirectTo: own.url('/layer') },
      '/to-own-by-name': { redirectTo: `http://localhost:${port}/layer` },
      '/to-metadata': { redirectTo: 'http://169.254.169.254/latest/meta-data/' },
      '/good': { body: layer('good') },
      '/airgap': { body: layer('airgap') },
      '/html': { body: Buffer.from('<html>internal admin console</html>'), contentType: 'text/x-internal-console' },
      '/traversal': { body: gzip(buildTar([{ path: '../internal-secret-name', content: 'x' }])) },
    });
  });
  after(async () => {
    await own?.close();
    await registry?.close();
    await db?.close();
  });

  const indexer = (raw: Record<string, unknown> = {}): Promise<LocalIndexer> => testIndexer(db, raw, { ownListeners, lookup: testLookup });

  it('refuses the process\'s own port however it is spelt, reached or resolved, with one message and no request', async () => {
    const ix = await indexer();
    const cases: Array<[string, string]> = [
      [own.url('/layer'), `127.0.0.1:${port}`],
      [`http://localhost:${port}/layer`, `localhost:${port}`],
      [`http://2130706433:${port}/layer`, `127.0.0.1:${port}`],
      [`http://0x7f.1:${port}/layer`, `127.0.0.1:${port}`],
      [`http://[::ffff:127.0.0.1]:${port}/layer`, `[::ffff:7f00:1]:${port}`],
      [`http://registry.test:${port}/layer`, `registry.test:${port}`],
      [registry.url('/to-own'), `127.0.0.1:${port}`],
      [registry.url('/to-own-by-name'), `localhost:${port}`],
    ];
    for (const [uri, host] of cases) {
      const report = await ix.index(manifestOf([uri]));
      assert.equal(report.state, 'IndexError', uri);
      assert.match(report.err, denied(host), uri);
    }
    assert.deepEqual(own.requests, [], 'no request reached the denied server');
    assert.equal(registry.count('/to-own'), 1, 'a denial is final: not retried');
  });

  it('refuses metadata and unspecified addresses before connecting: directly, by name and by redirect', async () => {
    const ix = await indexer();
    const cases: Array<[string, string]> = [
      // The other metadata addresses are covered by the policy's own tests, without a network.
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254:80'],
      ['http://outside.test:8080/', 'outside.test:8080'],
      ['http://0.0.0.0:8080/', '0.0.0.0:8080'],
      [registry.url('/to-metadata'), '169.254.169.254:80'],
    ];
    for (const [uri, host] of cases) {
      const started = performance.now();
      const report = await ix.index(manifestOf([uri]));
      assert.match(report.err, denied(host), uri);
      // The connect timeout is 10 s: an answer this fast means no connection was tried.
      assert.ok(performance.now() - started < 2000, uri);
    }
  });

  it('lets an allow entry re-enable a denied destination', async () => {
    const ix = await indexer({ layer_fetch: { allow: ['127.0.0.1'] } });
    const body = layer('own');
    const report = await ix.index(manifestOf([{ uri: own.url('/layer'), hash: digestOf(body) }]));
    assert.equal(report.state, 'IndexFinished', report.err);
    assert.deepEqual(own.requests.map((r) => r.path), ['/layer']);
    const byName = await indexer({ layer_fetch: { allow: ['*.test'] } });
    const again = layer('own, by name');
    const named = await byName.index(manifestOf([{ uri: `http://registry.test:${port}/by-name`, hash: digestOf(again) }]));
    assert.match(named.err, /answered 404/, 'allowed by name, whatever it resolves to');
    assert.deepEqual(own.requests.map((r) => r.path), ['/layer', '/by-name']);
  });

  it('lets an operator deny loopback and private ranges', async () => {
    const ix = await indexer({ layer_fetch: { deny: ['127.0.0.0/8'] } });
    const report = await ix.index(manifestOf([registry.url('/good')]));
    assert.match(report.err, denied(`127.0.0.1:${Number(new URL(registry.url('/')).port)}`));
    assert.equal(registry.count('/good'), 0);
  });

  it('says a fetched body could not be used without echoing it', async () => {
    const ix = await indexer();
    const html = Buffer.from('<html>internal admin console</html>');
    const page = await ix.index(manifestOf([{ uri: registry.url('/html'), hash: digestOf(Buffer.from('something else')) }]));
    assert.equal(page.state, 'IndexError');
    assert.match(page.err, /the layer could not be used$/);
    assert.doesNotMatch(page.err, /x-internal-console|admin|html/, page.err);
    assert.ok(!page.err.includes(digestOf(html).slice(7)), 'the digest of the response is not given');
    const traversal = await ix.index(manifestOf([registry.url('/traversal')]));
    assert.match(traversal.err, /escapes the layer root; the layer could not be used$/);
    assert.doesNotMatch(traversal.err, /internal-secret-name/);
  });

  it('keeps the air gap: only private destinations, checked on the resolved address', async () => {
    const ix = await indexer({ airgap: true });
    const report = await ix.index(manifestOf(['http://outside.test/blob']));
    assert.match(report.err, /^layer sha256:[0-9a-f]{64}: fetching from outside\.test:80 is not allowed \(indexer\.airgap\)$/);
    const body = layer('airgap');
    const inside = await ix.index(manifestOf([{ uri: registry.url('/airgap'), hash: digestOf(body) }]));
    assert.equal(inside.state, 'IndexFinished', inside.err);
  });
});

describe('layer fetch destinations through the API', () => {
  let clair: ClairProcess;

  before(async () => {
    clair = await startClair({ mode: 'indexer', log: quietLogger(), config: testConfig('indexer', { indexer: { connstring: 'memory://' } }) });
  });
  after(async () => {
    await clair?.close();
  });

  it('never fetches a layer from the service\'s own API or introspection port', async () => {
    const api = new URL(clair.apiUrl);
    const introspection = new URL(clair.introspectionUrl!);
    const cases: Array<[string, string]> = [
      [`${clair.apiUrl}/indexer/api/v1/index_state`, api.host],
      [`http://localhost:${api.port}/indexer/api/v1/index_state`, `localhost:${api.port}`],
      [`http://2130706433:${api.port}/indexer/api/v1/index_state`, `127.0.0.1:${api.port}`],
      [`${clair.introspectionUrl}/metrics`, introspection.host],
    ];
    for (const [uri, host] of cases) {
      const r = await fetch(`${clair.apiUrl}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(manifestOf([uri])), headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 201);
      const report = (await r.json()) as { state: string; err: string };
      assert.equal(report.state, 'IndexError');
      assert.match(report.err, denied(host), uri);
    }
  });
});
