import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { buildApiServer } from './server.js';
import type { IndexerService } from '../indexer/service.js';
import type { MatcherService } from '../matcher/service.js';
import type { NotifierService } from '../notifier/service.js';
import type { IndexReport, Manifest } from '../model/index.js';
import { clairError } from '../lib/errors.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const LAYER = `sha256:${'b'.repeat(64)}`;
const manifest: Manifest = { hash: DIGEST as Manifest['hash'], layers: [{ hash: LAYER as Manifest['hash'], uri: 'http://registry.example/blob', headers: { Authorization: ['Bearer x'] } }] };
const report: IndexReport = {
  manifest_hash: DIGEST,
  state: 'IndexFinished',
  packages: { '1': { id: '1', name: 'libc6', version: '2.36-9', kind: 'binary', normalized_version: '', cpe: '' } },
  distributions: {},
  repository: {},
  environments: { '1': [{ package_db: 'var/lib/dpkg/status', introduced_in: LAYER, distribution_id: '', repository_ids: null }] },
  success: true,
  err: '',
};

function fakeIndexer(overrides: Partial<IndexerService> = {}): IndexerService {
  return {
    index: async () => report,
    indexReport: async (d) => (d === DIGEST ? report : undefined),
    deleteManifests: async (ds) => ds.filter((d) => d === DIGEST),
    state: async () => 'st4te',
    affectedManifests: async () => ({ vulnerabilities: {}, vulnerable_manifests: {} }),
    ...overrides,
  };
}

describe('API server', () => {
  it('mounts only the configured node types', async () => {
    const app = await buildApiServer({ services: { indexer: fakeIndexer() } });
    assert.equal((await app.inject({ method: 'GET', url: '/indexer/api/v1/index_state' })).statusCode, 200);
    const missing = await app.inject({ method: 'GET', url: `/matcher/api/v1/vulnerability_report/${DIGEST}` });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { code: 'not-found', message: `no such endpoint: GET /matcher/api/v1/vulnerability_report/${DIGEST}` });
  });

  it('indexes a manifest: 201 with the report, ETag, Location and Link headers', async () => {
    let received: Manifest | undefined;
    const app = await buildApiServer({ services: { indexer: fakeIndexer({ index: async (m) => ((received = m), report) }) } });
    const r = await app.inject({ method: 'POST', url: '/indexer/api/v1/index_report', payload: manifest, headers: { 'content-type': 'application/vnd.clair.manifest.v1+json' } });
    assert.equal(r.statusCode, 201);
    assert.deepEqual(received, manifest);
    assert.deepEqual(r.json(), report);
    assert.equal(r.headers['content-type'], 'application/vnd.clair.index_report.v1+json; charset=utf-8');
    assert.equal(r.headers.etag, '"st4te"');
    assert.equal(r.headers.location, `/indexer/api/v1/index_report/${DIGEST}`);
    assert.deepEqual(r.headers.link, [
      `</indexer/api/v1/index_report/${DIGEST}>; rel="https://projectquay.io/clair/v1/index_report"`,
      `</matcher/api/v1/vulnerability_report/${DIGEST}>; rel="https://projectquay.io/clair/v1/vulnerability_report"`,
    ]);
  });

  it('answers 412 to an index request whose If-None-Match is the current state', async () => {
    const app = await buildApiServer({ services: { indexer: fakeIndexer({ index: async () => assert.fail('must not index') }) } });
    const r = await app.inject({ method: 'POST', url: '/indexer/api/v1/index_report', payload: manifest, headers: { 'if-none-match': '"st4te"' } });
    assert.equal(r.statusCode, 412);
  });

  it('rejects bad bodies with 400 naming the field', async () => {
    const app = await buildApiServer({ services: { indexer: fakeIndexer() } });
    const cases: Array<[unknown, string]> = [
      [{ layers: manifest.layers }, "body must have required property 'hash'"],
      [{ hash: 'sha256:abc', layers: manifest.layers }, 'body/hash must match pattern'],
      [{ hash: DIGEST, layers: [] }, 'body/layers must NOT have fewer than 1 items'],
      [{ hash: DIGEST, layers: [{ hash: LAYER }] }, "body/layers/0 must have required property 'uri'"],
      [{ hash: DIGEST, layers: manifest.layers, extra: 1 }, 'body must NOT have additional properties'],
    ];
    for (const [payload, message] of cases) {
      const r = await app.inject({ method: 'POST', url: '/indexer/api/v1/index_report', payload: payload as object });
      assert.equal(r.statusCode, 400, message);
      assert.equal(r.json().code, 'bad-request');
      assert.ok(r.json().message.startsWith(message), `${r.json().message} should start with ${message}`);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
    }
    const notJson = await app.inject({ method: 'POST', url: '/indexer/api/v1/index_report', payload: '{"hash":', headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.statusCode, 400);
    assert.match(notJson.json().message, /^request body is not valid JSON/);
  });

  it('serves stored reports with ETag, 304 on If-None-Match, 404 when unknown, 400 for a bad digest', async () => {
    const app = await buildApiServer({ services: { indexer: fakeIndexer() } });
    const ok = await app.inject({ method: 'GET', url: `/indexer/api/v1/index_report/${DIGEST}`, headers: { accept: 'application/json' } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(ok.json(), report);
    assert.equal(ok.headers.etag, '"st4te"');
    const cached = await app.inject({ method: 'GET', url: `/indexer/api/v1/index_report/${DIGEST}`, headers: { 'if-none-match': '"st4te"' } });
    assert.equal(cached.statusCode, 304);
    const unknown = await app.inject({ method: 'GET', url: `/indexer/api/v1/index_report/sha256:${'c'.repeat(64)}` });
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(unknown.json(), { code: 'not-found', message: `index report for "sha256:${'c'.repeat(64)}" not found` });
    const bad = await app.inject({ method: 'GET', url: '/indexer/api/v1/index_report/md5:abc' });
    assert.equal(bad.statusCode, 400);
    const unacceptable = await app.inject({ method: 'GET', url: `/indexer/api/v1/index_report/${DIGEST}`, headers: { accept: 'text/html' } });
    assert.equal(unacceptable.statusCode, 415);
    assert.equal(unacceptable.json().code, 'internal-error');
  });

  it('takes sha512 digests as path parameters (fuzz: refused as too long)', async () => {
    const sha512 = `sha512:${'ab'.repeat(64)}`;
    const app = await buildApiServer({ services: { indexer: fakeIndexer() } });
    const get = await app.inject({ method: 'GET', url: `/indexer/api/v1/index_report/${sha512}` });
    assert.deepEqual([get.statusCode, get.json()], [404, { code: 'not-found', message: `index report for "${sha512}" not found` }]);
    assert.equal((await app.inject({ method: 'DELETE', url: `/indexer/api/v1/index_report/${sha512}` })).statusCode, 204);
  });

  it('deletes one manifest (204) and several (200 with the deleted digests)', async () => {
    const app = await buildApiServer({ services: { indexer: fakeIndexer() } });
    assert.equal((await app.inject({ method: 'DELETE', url: `/indexer/api/v1/index_report/${DIGEST}` })).statusCode, 204);
    const bulk = await app.inject({ method: 'DELETE', url: '/indexer/api/v1/index_report', payload: [DIGEST, `sha256:${'d'.repeat(64)}`] });
    assert.equal(bulk.statusCode, 200);
    assert.deepEqual(bulk.json(), [DIGEST]);
    const badBulk = await app.inject({ method: 'DELETE', url: '/indexer/api/v1/index_report', payload: ['nope'] });
    assert.equal(badBulk.statusCode, 400);
    assert.match(badBulk.json().message, /^body\/0 must match pattern/);
  });

  it('reports the index state with ETag and 304', async () => {
    const app = await buildApiServer({ services: { indexer: fakeIndexer() } });
    const r = await app.inject({ method: 'GET', url: '/indexer/api/v1/index_state' });
    assert.deepEqual(r.json(), { state: 'st4te' });
    assert.equal(r.headers.etag, '"st4te"');
    assert.equal((await app.inject({ method: 'GET', url: '/indexer/api/v1/index_state', headers: { 'if-none-match': 'W/"st4te"' } })).statusCode, 304);
  });

  it('answers 405 for other methods on known paths and 501 for unbuilt handlers', async () => {
    const app = await buildApiServer({ services: { indexer: fakeIndexer({ affectedManifests: async () => { throw clairError('HTTP_NOT_IMPLEMENTED', 'indexer: affected manifests are not implemented yet'); } }) } });
    const put = await app.inject({ method: 'PUT', url: '/indexer/api/v1/index_state' });
    assert.equal(put.statusCode, 405);
    assert.deepEqual(put.json(), { code: 'method-not-allowed', message: 'method PUT not allowed on /indexer/api/v1/index_state' });
    const notBuilt = await app.inject({ method: 'POST', url: '/indexer/api/v1/internal/affected_manifest', payload: { vulnerabilities: [] } });
    assert.equal(notBuilt.statusCode, 501);
    assert.deepEqual(notBuilt.json(), { code: 'not-implemented', message: 'indexer: affected manifests are not implemented yet' });
  });

  it('accepts the partial vulnerabilities Clair\'s notifier sends for affected manifests and answers with full ones', async () => {
    let seen: unknown;
    const app = await buildApiServer({
      services: {
        indexer: fakeIndexer({
          affectedManifests: async (vulns) => {
            seen = vulns;
            return { vulnerabilities: { [vulns[0]!.id]: vulns[0]! }, vulnerable_manifests: { [DIGEST]: [vulns[0]!.id] } };
          },
        }),
      },
    });
    // As Clair's own diff writes one: a null detector, no distribution, no range.
    const clairVuln = { id: '7', updater: 'osv/pypi', name: 'GHSA-x', normalized_severity: 'High', package: { id: '', name: 'requests', version: '', kind: 'binary', normalized_version: '', cpe: '', detector: null }, repository: { name: 'pypi', uri: 'https://pypi.org/simple', cpe: '' }, fixed_in_version: 'fixed=2.31.0' };
    const r = await app.inject({ method: 'POST', url: '/indexer/api/v1/internal/affected_manifest', payload: { vulnerabilities: [clairVuln] } });
    assert.equal(r.statusCode, 200);
    const full = {
      id: '7', updater: 'osv/pypi', name: 'GHSA-x', description: '', issued: '0001-01-01T00:00:00Z', links: '', severity: '', normalized_severity: 'High',
      package: { id: '', name: 'requests', version: '', kind: 'binary', normalized_version: '', cpe: '' },
      distribution: { id: '', did: '', name: '', version: '', version_code_name: '', version_id: '', arch: '', cpe: '', pretty_name: '' },
      repository: { name: 'pypi', uri: 'https://pypi.org/simple', cpe: '' },
      fixed_in_version: 'fixed=2.31.0',
    };
    assert.deepEqual(seen, [full]);
    assert.deepEqual(r.json(), { vulnerabilities: { '7': full }, vulnerable_manifests: { [DIGEST]: ['7'] } });
    const bad = await app.inject({ method: 'POST', url: '/indexer/api/v1/internal/affected_manifest', payload: { vulnerabilities: [{ name: 5 }] } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().message, /name must be string/);
  });

  it('answers malformed URLs, overlong parameters, oversize and deeply nested bodies with Clair\'s error body', async () => {
    const app = await buildApiServer({ services: { indexer: fakeIndexer() }, bodyLimit: 256 * 1024 });
    const cases: Array<[string, InjectOptions, number, object]> = [
      ['bad percent-encoding', { method: 'GET', url: '/indexer/api/v1/index_report/%ZZ' }, 400, { code: 'bad-request', message: 'the request URL is malformed' }],
      ['a 10k-character parameter', { method: 'GET', url: `/indexer/api/v1/index_report/${'a'.repeat(10_000)}` }, 400, { code: 'bad-request', message: 'a path parameter is too long' }],
      ['a body over the limit', { method: 'POST', url: '/indexer/api/v1/index_report', payload: 'x'.repeat(300_000), headers: { 'content-type': 'application/json' } }, 413, { code: 'bad-request', message: 'Request body is too large' }],
    ];
    for (const [name, request, status, body] of cases) {
      const r = await app.inject(request);
      assert.equal(r.statusCode, status, name);
      assert.deepEqual(r.json(), body, name);
      assert.match(String(r.headers['content-type']), /^application\/json/, name);
    }
    const nested = '{"name":"x","source":'.repeat(3000) + '{}' + '}'.repeat(3000);
    const deep = await app.inject({ method: 'POST', url: '/indexer/api/v1/internal/affected_manifest', payload: `{"vulnerabilities":[{"package":${nested}}]}`, headers: { 'content-type': 'application/json' } });
    assert.equal(deep.statusCode, 200, 'a source chain 3,000 deep is read one level down, never recursively');
    const coerced = await app.inject({ method: 'POST', url: '/indexer/api/v1/index_report', payload: { ...manifest, layers: [{ ...manifest.layers[0], uri: ['http://x'] }] } });
    assert.deepEqual([coerced.statusCode, coerced.json().message], [400, 'body/layers/0/uri must be string'], 'a list is never coerced into a URI');
  });

  it('refuses an affected-manifest request naming more vulnerabilities than the limit, before any lookup', async () => {
    let called = false;
    const app = await buildApiServer({ services: { indexer: fakeIndexer({ affectedManifests: async () => ((called = true), { vulnerabilities: {}, vulnerable_manifests: {} }) }) }, affectedManifestVulnerabilities: 5 });
    const six = Array.from({ length: 6 }, (_, i) => ({ id: String(i), name: `CVE-${i}` }));
    const r = await app.inject({ method: 'POST', url: '/indexer/api/v1/internal/affected_manifest', payload: { vulnerabilities: six } });
    assert.equal(r.statusCode, 400);
    assert.deepEqual(r.json(), { code: 'bad-request', message: 'affected_manifest: 6 vulnerabilities in one request; at most 5 (indexer.limits.affected_manifest_vulnerabilities)' });
    assert.equal(called, false);
    assert.equal((await app.inject({ method: 'POST', url: '/indexer/api/v1/internal/affected_manifest', payload: { vulnerabilities: six.slice(1) } })).statusCode, 200);
  });

  it('hides internal failures behind a generic 500', async () => {
    const app = await buildApiServer({ services: { indexer: fakeIndexer({ state: async () => { throw new Error('password=hunter2 leaked'); } }) } });
    const r = await app.inject({ method: 'GET', url: '/indexer/api/v1/index_state' });
    assert.equal(r.statusCode, 500);
    assert.deepEqual(r.json(), { code: 'internal-error', message: 'internal error' });
  });

  it('limits concurrent indexing requests with 429', async () => {
    let release!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handling = new Promise<void>((r) => (entered = r));
    const app = await buildApiServer({
      services: { indexer: fakeIndexer({ index: async () => (entered(), await gate, report) }) },
      indexReportRequestConcurrency: 1,
    });
    const first = app.inject({ method: 'POST', url: '/indexer/api/v1/index_report', payload: manifest });
    await handling;
    const second = await app.inject({ method: 'POST', url: '/indexer/api/v1/index_report', payload: manifest });
    assert.equal(second.statusCode, 429);
    assert.deepEqual(second.json(), { code: 'too-many-requests', message: 'too many requests in flight; retry later' });
    assert.equal((await app.inject({ method: 'GET', url: '/indexer/api/v1/index_state' })).statusCode, 200, 'reads are not limited');
    release();
    assert.equal((await first).statusCode, 201);
    assert.equal((await app.inject({ method: 'POST', url: '/indexer/api/v1/index_report', payload: manifest })).statusCode, 201, 'the slot is free again');
  });

  it('compresses large responses when the client accepts gzip', async () => {
    const big = { ...report, packages: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [String(i), { id: String(i), name: `pkg${i}`, version: '1.0-1', kind: 'binary' as const, normalized_version: '', cpe: '' }])) };
    const app = await buildApiServer({ services: { indexer: fakeIndexer({ indexReport: async () => big }) } });
    const plain = await app.inject({ method: 'GET', url: `/indexer/api/v1/index_report/${DIGEST}` });
    assert.equal(plain.headers['content-encoding'], undefined);
    const gz = await app.inject({ method: 'GET', url: `/indexer/api/v1/index_report/${DIGEST}`, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    const { gunzipSync } = await import('node:zlib');
    assert.deepEqual(JSON.parse(gunzipSync(gz.rawPayload).toString()), JSON.parse(plain.body));
  });

  it('serves robots.txt', async () => {
    const app = await buildApiServer({ services: {} });
    const r = await app.inject({ method: 'GET', url: '/robots.txt' });
    assert.equal(r.body, 'User-agent: *\nDisallow: /\n');
  });

  it('finishes in-flight requests on close and refuses new ones', async () => {
    let release!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handling = new Promise<void>((r) => (entered = r));
    const app = await buildApiServer({ services: { indexer: fakeIndexer({ index: async () => (entered(), await gate, report) }) } });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const inFlight = fetch(`${address}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(manifest), headers: { 'content-type': 'application/json' } });
    await handling; // the request is inside its handler before shutdown starts
    const closing = app.close();
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(fetch(`${address}/indexer/api/v1/index_state`), 'the listener is closed to new connections');
    release();
    const response = await inFlight;
    assert.equal(response.status, 201);
    assert.equal(((await response.json()) as IndexReport).manifest_hash, DIGEST);
    await closing;
  });
});

describe('matcher routes', () => {
  const matcher = (overrides: Partial<MatcherService> = {}): MatcherService => ({
    initialized: async () => true,
    scan: async (r) => ({ manifest_hash: r.manifest_hash, packages: r.packages, distributions: {}, repository: {}, environments: r.environments, vulnerabilities: {}, package_vulnerabilities: {}, enrichments: {} }),
    updateOperations: async () => ({ u: [{ ref: '11111111-1111-4111-8111-111111111111', updater: 'u', fingerprint: 'f', date: '2026-01-01T00:00:00.000Z', kind: 'vulnerability' }] }),
    latestUpdateOperations: async () => ({}),
    latestUpdateOperation: async () => '11111111-1111-4111-8111-111111111111',
    deleteUpdateOperations: async (refs) => refs.length,
    updateDiff: async () => { throw clairError('HTTP_NOT_IMPLEMENTED', 'matcher: update diffs are not implemented yet'); },
    ...overrides,
  });
  const build = (m: MatcherService) => buildApiServer({ services: { matcher: { matcher: m, indexerClient: fakeIndexer(), cacheAgeSeconds: 3600 } } });

  it('answers 202 with no body until vulnerability data is loaded', async () => {
    const app = await build(matcher({ initialized: async () => false }));
    const r = await app.inject({ method: 'GET', url: `/matcher/api/v1/vulnerability_report/${DIGEST}` });
    assert.equal(r.statusCode, 202);
    assert.equal(r.body, '');
  });

  it('reports for a finished index report with Cache-Control, and 404 for an unknown one', async () => {
    const app = await build(matcher());
    const r = await app.inject({ method: 'GET', url: `/matcher/api/v1/vulnerability_report/${DIGEST}` });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['cache-control'], 'max-age=3600');
    assert.equal(r.json().manifest_hash, DIGEST);
    assert.deepEqual(Object.keys(r.json().packages), ['1']);
    const unknown = await app.inject({ method: 'GET', url: `/matcher/api/v1/vulnerability_report/sha256:${'e'.repeat(64)}` });
    assert.equal(unknown.statusCode, 404);
  });

  it('lists update operations with the latest ref as ETag, 304 when unchanged, 400 for an unknown kind', async () => {
    const app = await build(matcher());
    const r = await app.inject({ method: 'GET', url: '/matcher/api/v1/internal/update_operation?kind=vulnerability' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers.etag, '"11111111-1111-4111-8111-111111111111"');
    assert.equal(r.json().u[0].fingerprint, 'f');
    const same = await app.inject({ method: 'GET', url: '/matcher/api/v1/internal/update_operation', headers: { 'if-none-match': '"11111111-1111-4111-8111-111111111111"' } });
    assert.equal(same.statusCode, 304);
    const bad = await app.inject({ method: 'GET', url: '/matcher/api/v1/internal/update_operation?kind=nope' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().message, /querystring\/kind must be equal to one of the allowed values/);
  });

  it('requires a UUID `cur` for update diffs', async () => {
    const app = await build(matcher());
    assert.equal((await app.inject({ method: 'GET', url: '/matcher/api/v1/internal/update_diff' })).statusCode, 400);
    assert.equal((await app.inject({ method: 'GET', url: '/matcher/api/v1/internal/update_diff?cur=nope' })).statusCode, 400);
    assert.equal((await app.inject({ method: 'GET', url: '/matcher/api/v1/internal/update_diff?cur=11111111-1111-4111-8111-111111111111' })).statusCode, 501);
  });
});

describe('notifier routes', () => {
  const ID = '22222222-2222-4222-8222-222222222222';
  it('pages with the default size of 500 and passes `next` through', async () => {
    const seen: unknown[] = [];
    const notifier: NotifierService = {
      notifications: async (id, page) => (seen.push({ id, page }), { page: { size: page.size }, notifications: [] }),
      deleteNotifications: async () => {},
    };
    const app = await buildApiServer({ services: { notifier } });
    assert.deepEqual((await app.inject({ method: 'GET', url: `/notifier/api/v1/notification/${ID}` })).json(), { page: { size: 500 }, notifications: [] });
    await app.inject({ method: 'GET', url: `/notifier/api/v1/notification/${ID}?page_size=2&next=${ID}` });
    assert.deepEqual(seen, [{ id: ID, page: { size: 500 } }, { id: ID, page: { size: 2, next: ID } }]);
    assert.equal((await app.inject({ method: 'GET', url: `/notifier/api/v1/notification/not-a-uuid` })).statusCode, 400);
    for (const size of ['-1', 'Infinity', '1e400', '2.5', '10001']) {
      const r = await app.inject({ method: 'GET', url: `/notifier/api/v1/notification/${ID}?page_size=${size}` });
      assert.deepEqual([r.statusCode, r.json().code], [400, 'bad-request'], `page_size=${size}`);
    }
    assert.equal(seen.length, 2, 'no bad page size reaches the notifier');
  });

  it('acknowledges with 200 and answers 404 when there is no receipt', async () => {
    const notifier: NotifierService = {
      notifications: async () => ({ page: { size: 1 }, notifications: [] }),
      deleteNotifications: async (id) => {
        if (id !== ID) throw clairError('NOTIFICATION_NOT_FOUND', `notifier: no receipt exists for notification ${id}`);
      },
    };
    const app = await buildApiServer({ services: { notifier } });
    assert.equal((await app.inject({ method: 'DELETE', url: `/notifier/api/v1/notification/${ID}` })).statusCode, 200);
    const missing = await app.inject({ method: 'DELETE', url: '/notifier/api/v1/notification/33333333-3333-4333-8333-333333333333' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().message, 'notifier: no receipt exists for notification 33333333-3333-4333-8333-333333333333');
  });
});
