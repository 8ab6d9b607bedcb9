/**
 * Fuzzing the API's inputs through the in-process server: request bodies
 * (manifests, affected-manifest lookups, bulk deletes), path parameters,
 * query strings and the headers the routes read. Every answer must be a 2xx,
 * 304, 412 or a 4xx with Clair's `{code, message}` body; never a 5xx, a crash
 * or a hang. The services are fakes that answer as the real ones do.
 */
import { describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { fuzz } from '../test-support/fuzz.js';
import { clairError } from '../lib/errors.js';
import { buildApiServer } from './server.js';
import type { IndexerService } from '../indexer/service.js';
import type { MatcherService } from '../matcher/service.js';
import type { NotifierService } from '../notifier/service.js';
import type { IndexReport, Manifest } from '../model/index.js';

/**
 * Checks the property. The harness takes any ordinary `Error` (an
 * `AssertionError` too) for a clear answer to bad input, so a broken
 * property is raised as a `TypeError`, which fails the run.
 */
function holds(condition: unknown, message: string): asserts condition {
  if (!condition) throw new TypeError(`property violated: ${message}`);
}

const DIGEST = `sha256:${'fc84b5febd328ecc'.repeat(4)}`;
const LAYER = `sha256:${'2f077db56abccc19'.repeat(4)}`;
const SHA512 = `sha512:${'ab'.repeat(64)}`;
const OP = '11111111-1111-4111-8111-111111111111';
const NOTE = '22222222-2222-4222-8222-222222222222';

function reportFor(hash: string): IndexReport {
  return {
    manifest_hash: hash,
    state: 'IndexFinished',
    packages: { '1': { id: '1', name: 'libc6', version: '2.36-9', kind: 'binary', normalized_version: '', cpe: '' } },
    distributions: {},
    repository: {},
    environments: { '1': [{ package_db: 'var/lib/dpkg/status', introduced_in: LAYER, distribution_id: '', repository_ids: null }] },
    success: true,
    err: '',
  };
}

const indexer: IndexerService = {
  index: async (m: Manifest) => reportFor(m.hash),
  indexReport: async (d) => (d === DIGEST ? reportFor(d) : undefined),
  deleteManifests: async (ds) => ds.filter((d) => d === DIGEST),
  state: async () => 'st4te',
  affectedManifests: async (vulns) => ({
    vulnerabilities: Object.fromEntries(vulns.map((v) => [v.id, v])),
    vulnerable_manifests: { [DIGEST]: vulns.map((v) => v.id) },
  }),
};

const operation = { ref: OP, updater: 'osv/pypi', fingerprint: 'f', date: '2026-01-01T00:00:00.000Z', kind: 'vulnerability' as const };
const matcher: MatcherService = {
  initialized: async () => true,
  scan: async (r) => ({ manifest_hash: r.manifest_hash, packages: r.packages, distributions: {}, repository: {}, environments: r.environments, vulnerabilities: {}, package_vulnerabilities: {}, enrichments: {} }),
  updateOperations: async () => ({ 'osv/pypi': [operation] }),
  latestUpdateOperations: async () => ({ 'osv/pypi': [operation] }),
  latestUpdateOperation: async () => OP,
  deleteUpdateOperations: async (refs) => refs.length,
  updateDiff: async (prev, cur) => {
    if (cur !== OP || (prev !== undefined && prev !== OP)) throw clairError('UPDATE_OPERATION_NOT_FOUND', `update operation ${cur} not found`);
    return { prev: { ...operation, ref: '00000000-0000-0000-0000-000000000000' }, cur: operation, added: [], removed: [] };
  },
};

const notifier: NotifierService = {
  notifications: async (_id, page) => ({ page: { size: page.size }, notifications: [] }),
  deleteNotifications: async (id) => {
    if (id !== NOTE) throw clairError('NOTIFICATION_NOT_FOUND', `notifier: no receipt exists for notification ${id}`);
  },
};

async function server(): Promise<FastifyInstance> {
  return buildApiServer({
    services: { indexer, matcher: { matcher, indexerClient: indexer, cacheAgeSeconds: 60 }, notifier },
    indexReportRequestConcurrency: 64,
    bodyLimit: 256 * 1024,
  });
}

/** The property: a success, a not-modified or failed-precondition answer (no body), or a client error with Clair's error body. */
async function answered(app: FastifyInstance, request: InjectOptions): Promise<void> {
  const r = await app.inject(request);
  const what = `${request.method} ${String(request.url)}`;
  holds(r.statusCode < 500, `${what}: ${r.statusCode} ${r.body}`);
  if (r.statusCode === 412) {
    holds(r.body === '', `${what}: 412 has no body`);
  } else if (r.statusCode >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(r.body);
    } catch {
      holds(false, `${what}: ${r.statusCode} error body is not JSON: ${r.body}`);
    }
    holds(typeof body === 'object' && body !== null, `${what}: ${r.statusCode} error body ${r.body}`);
    const { code, message, ...rest } = body as Record<string, unknown>;
    holds(typeof code === 'string' && typeof message === 'string' && message !== '' && Object.keys(rest).length === 0, `${what}: ${r.statusCode} error body ${r.body}`);
  }
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 1));

const MANIFESTS = [
  { hash: DIGEST, layers: [{ hash: LAYER, uri: `https://storage.example.com/blob/${LAYER}`, headers: { Authorization: ['Bearer hunter2'] } }] },
  {
    hash: SHA512,
    layers: [
      { hash: LAYER, uri: 'http://registry.example/v2/a/blobs/x', media_type: 'application/vnd.oci.image.layer.v1.tar+gzip' },
      { hash: DIGEST, uri: 'http://registry.example/v2/a/blobs/y', headers: {} },
    ],
  },
].map(json);

const AFFECTED = [
  {
    vulnerabilities: [
      {
        id: '7', updater: 'osv/pypi', name: 'GHSA-x', normalized_severity: 'High', fixed_in_version: 'fixed=2.31.0',
        package: { id: '', name: 'requests', version: '', kind: 'binary', normalized_version: '', cpe: '', detector: null },
        repository: { name: 'pypi', uri: 'https://pypi.org/simple', cpe: '' },
      },
      {
        id: '8', name: 'CVE-2009-5155', description: 'glibc regcomp', links: 'http://link-to-advisory', issued: '2019-10-12T07:20:50.52Z',
        package: { name: 'glibc', version: 'v0.0.1-rc1', source: { name: 'glibc' } },
        distribution: { did: 'ubuntu', name: 'Ubuntu', version_id: '18.04' },
        range: { '[': '1.0', ')': '2.0' }, arch_op: 'equals',
        Self: { space: 'CVE', name: 'CVE-2009-5155' }, Aliases: [{ space: 'GHSA', name: 'GHSA-aaaa-bbbb-cccc' }],
      },
    ],
  },
  { vulnerabilities: [] },
].map(json);

const BULK = [[DIGEST, SHA512], []].map(json);

/** `METHOD url` lines: every route with path parameters or a query string. */
const URLS = [
  `GET /indexer/api/v1/index_report/${DIGEST}`,
  `DELETE /indexer/api/v1/index_report/${SHA512}`,
  'GET /indexer/api/v1/index_state',
  `GET /matcher/api/v1/vulnerability_report/${DIGEST}`,
  'GET /matcher/api/v1/internal/update_operation?kind=enrichment&latest=true',
  'GET /matcher/api/v1/internal/update_operation?latest=false',
  `DELETE /matcher/api/v1/internal/update_operation/${OP}`,
  `GET /matcher/api/v1/internal/update_diff?prev=${OP}&cur=${OP}`,
  `GET /notifier/api/v1/notification/${NOTE}?page_size=2&next=${NOTE}`,
  `GET /notifier/api/v1/notification/${NOTE}?page_size=0`,
  `DELETE /notifier/api/v1/notification/${NOTE}`,
  `GET /indexer/api/v1/index_report/${SHA512}`,
  // Known paths with other methods: 405 with the error body.
  `PUT /indexer/api/v1/index_report/${DIGEST}`,
  `POST /notifier/api/v1/notification/${NOTE}?next=${NOTE}`,
  'OPTIONS /robots.txt',
].map((s) => Buffer.from(s));
/** The URL seeds before the ones with a method their path does not allow. */
const VALID_URLS = 12;

/**
 * What reaches a server over the wire: clients percent-encode control bytes,
 * spaces and non-ASCII. Backslashes too, as `inject` reads the URL with the
 * WHATWG parser, which takes a leading one for a host.
 */
const wireUrl = (s: string) => s.replace(/[\x00-\x20\x7f-\xff\\]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);

/** Header values cannot hold CR, LF or NUL; the HTTP parser refuses those before any route. */
const headerValue = (s: string) => s.replace(/[\r\n\0]/g, ' ');

describe('API inputs: fuzz', async () => {
  const app = await server();

  it('answers the unmutated seeds with success, so the fuzzing starts from valid requests', async () => {
    const requests: InjectOptions[] = [
      ...MANIFESTS.map((payload): InjectOptions => ({ method: 'POST', url: '/indexer/api/v1/index_report', payload, headers: { 'content-type': 'application/json' } })),
      ...AFFECTED.map((payload): InjectOptions => ({ method: 'POST', url: '/indexer/api/v1/internal/affected_manifest', payload, headers: { 'content-type': 'application/json' } })),
      ...BULK.map((payload): InjectOptions => ({ method: 'DELETE', url: '/indexer/api/v1/index_report', payload, headers: { 'content-type': 'application/json' } })),
      ...URLS.slice(0, VALID_URLS).map((line): InjectOptions => {
        const [method, url] = line.toString().split(' ');
        return { method: method as 'GET' | 'DELETE', url: url! };
      }),
    ];
    for (const request of requests) {
      const r = await app.inject(request);
      holds(r.statusCode < 400 || (r.statusCode === 404 && request.url === `/indexer/api/v1/index_report/${SHA512}`), `${request.method} ${String(request.url)}: ${r.statusCode} ${r.body}`);
    }
  });

  it('answers every mutated manifest (POST index_report) with 201 or a 4xx error body', async () => {
    await fuzz({
      seeds: MANIFESTS,
      parse: (input) => answered(app, { method: 'POST', url: '/indexer/api/v1/index_report', payload: input, headers: { 'content-type': 'application/vnd.clair.manifest.v1+json' } }),
    });
  });

  it('answers every mutated affected-manifest request with 200 or a 4xx error body', async () => {
    await fuzz({
      seeds: AFFECTED,
      parse: (input) => answered(app, { method: 'POST', url: '/indexer/api/v1/internal/affected_manifest', payload: input, headers: { 'content-type': 'application/json' } }),
    });
  });

  it('answers every mutated bulk delete (DELETE index_report) with 200 or a 4xx error body', async () => {
    await fuzz({
      seeds: BULK,
      parse: (input) => answered(app, { method: 'DELETE', url: '/indexer/api/v1/index_report', payload: input, headers: { 'content-type': 'application/vnd.clair.bulk_delete.v1+json' } }),
    });
  });

  it('answers every mutated path parameter and query string with a 2xx, 304 or a 4xx error body', async () => {
    await fuzz({
      seeds: URLS,
      parse: (input) => {
        const line = input.toString('latin1');
        const space = line.indexOf(' ');
        const method = line.slice(0, Math.max(space, 0));
        const path = wireUrl(line.slice(space + 1));
        const known = ['GET', 'DELETE', 'POST', 'PUT', 'HEAD', 'OPTIONS', 'PATCH'] as const;
        return answered(app, { method: known.find((m) => m === method) ?? 'GET', url: path.startsWith('/') ? path : `/${path}` });
      },
    });
  });

  it('answers every mutated Accept, If-None-Match and Content-Type header with a 2xx, 304, 412 or a 4xx error body', async () => {
    const seeds = [
      'application/vnd.clair.index_report.v1+json\n"st4te"\napplication/vnd.clair.manifest.v1+json',
      'text/html;q=0.9, application/*;q=0.5, */*;q=0.1\nW/"other", "st4te"\napplication/json; charset=utf-8',
      'application/json; charset=utf-8\n*\ntext/plain',
    ].map((s) => Buffer.from(s));
    await fuzz({
      seeds,
      parse: async (input) => {
        const [accept = '', ifNoneMatch = '', contentType = ''] = input.toString('latin1').split('\n');
        const headers = { accept: headerValue(accept), 'if-none-match': headerValue(ifNoneMatch) };
        await answered(app, { method: 'GET', url: `/indexer/api/v1/index_report/${DIGEST}`, headers });
        await answered(app, { method: 'POST', url: '/indexer/api/v1/index_report', payload: MANIFESTS[0]!, headers: { ...headers, 'content-type': headerValue(contentType) } });
        await answered(app, { method: 'GET', url: '/matcher/api/v1/internal/update_operation', headers });
      },
    });
  });
});
