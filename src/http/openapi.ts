/**
 * @module The OpenAPI document, generated from the route schemas of a server
 * with every node type mounted, and served at `/openapi/v1` as JSON or YAML.
 * `openapi.yaml` at the repository root is the same document, checked by a
 * test so the two cannot drift (`npm run openapi` rewrites it).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';
import { clairError } from '../lib/errors.js';
import { pickContentType } from './negotiate.js';

export const OPENAPI_INFO = {
  title: 'Clair Container Analyzer',
  description:
    'Clair indexes the contents of container images and matches them against known vulnerabilities. ' +
    'Endpoints tagged "internal" are documented for completeness and exempt from versioning.',
  version: '1.2.0',
  license: { name: 'Apache License 2.0', url: 'http://www.apache.org/licenses/' },
};

const OFFERS = [
  'application/openapi+json',
  'application/openapi+yaml',
  'application/json',
  'application/yaml',
  'application/vnd.oai.openapi+json',
  'application/vnd.oai.openapi+yaml',
];

interface RenderedDocument {
  json: string;
  yaml: string;
  etag: string;
}

let rendered: Promise<RenderedDocument> | undefined;

/** Builds (once) the full document from a throwaway server with every route mounted. */
export function openApiDocument(): Promise<RenderedDocument> {
  rendered ??= (async () => {
    const { buildApiServer } = await import('./server.js');
    const never = (): never => {
      throw clairError('HTTP_NOT_IMPLEMENTED', 'document-only server');
    };
    const stub = new Proxy({}, { get: () => never }) as never;
    const app = await buildApiServer({
      services: { indexer: stub, matcher: { matcher: stub, indexerClient: stub, cacheAgeSeconds: 0 }, notifier: stub },
    });
    await app.ready();
    const document = app.swagger() as object;
    await app.close();
    const json = JSON.stringify(document);
    return { json, yaml: stringify(document, { lineWidth: 0 }), etag: createHash('sha256').update(json).digest('hex').slice(0, 32) };
  })();
  return rendered;
}

export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get('/openapi/v1', { schema: { hide: true } }, async (request, reply) => {
    const type = pickContentType(request.headers.accept, OFFERS);
    const doc = await openApiDocument();
    reply.header('etag', `"${doc.etag}"`);
    if (request.headers['if-none-match'] === `"${doc.etag}"`) return reply.code(304).send();
    return reply.type(type).send(type.endsWith('yaml') ? doc.yaml : doc.json);
  });
}
