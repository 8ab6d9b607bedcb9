/**
 * @module The OpenAPI document's fixed parts (info, tags, the PSK security
 * scheme, the notification webhook) and the `/openapi/v1` route, which serves
 * a rendered document as JSON or YAML. The paths and schemas come from the
 * route schemas; `openapi-document.ts` renders the full document from a
 * server with every node type mounted.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SwaggerOptions } from '@fastify/swagger';
import { stringify } from 'yaml';
import { pickContentType } from './negotiate.js';

export const OPENAPI_INFO = {
  title: 'Clair Container Analyzer',
  description:
    'Clair indexes the contents of container images and matches them against known vulnerabilities. ' +
    'Endpoints tagged "internal" are documented for completeness and exempt from versioning.',
  version: '1.2.0',
  license: { name: 'Apache License 2.0', url: 'http://www.apache.org/licenses/' },
};

const TAGS = [
  { name: 'indexer', description: 'Indexer service endpoints: what is inside container images.' },
  { name: 'matcher', description: 'Matcher service endpoints: vulnerability reports against current data.' },
  { name: 'notifier', description: 'Notifier service endpoints: notifications of changed vulnerability reports.' },
  { name: 'internal', description: 'Internal endpoints between Clair nodes, documented for completeness; exempt from API stability guarantees.' },
];

/** The `openapi` options of @fastify/swagger: everything but paths and schemas. */
export const OPENAPI_OPTIONS: NonNullable<Extract<SwaggerOptions, { openapi?: unknown }>['openapi']> = {
  openapi: '3.1.0',
  info: OPENAPI_INFO,
  tags: TAGS,
  components: {
    securitySchemes: {
      PSK: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT signed with the pre-shared key (HS256/384/512), with an allow-listed iss claim',
        description: 'Required on every endpoint when `auth.psk` is configured; without it, nothing is authenticated.',
      },
    },
  },
  // Either no authentication (no PSK configured) or the PSK scheme.
  security: [{}, { PSK: [] }],
  webhooks: {
    notification: {
      post: {
        tags: ['notifier'],
        summary: 'Sent to `notifier.webhook.target` when a notification is ready to page through.',
        description: 'Only a 200 answer counts as delivered; anything else is retried.',
        requestBody: {
          required: true,
          content: { 'application/vnd.clair.notification_webhook.v1+json': { schema: { $ref: '#/components/schemas/notification_webhook' } } },
        },
        responses: { '200': { description: 'Delivered.' } },
      },
    },
  },
};

const OFFERS = [
  'application/openapi+json',
  'application/openapi+yaml',
  'application/json',
  'application/yaml',
  'application/vnd.oai.openapi+json',
  'application/vnd.oai.openapi+yaml',
];

export interface RenderedDocument {
  json: string;
  yaml: string;
  etag: string;
}

/** Renders the document of a ready server (its mounted routes and registered schemas). */
export function renderDocument(app: FastifyInstance): RenderedDocument {
  const document = app.swagger() as object;
  const json = JSON.stringify(document);
  return { json, yaml: stringify(document, { lineWidth: 0 }), etag: createHash('sha256').update(json).digest('hex').slice(0, 32) };
}

/** Serves `document()` at `/openapi/v1`, negotiated between JSON and YAML, with an ETag. */
export function registerOpenApiRoute(app: FastifyInstance, document: () => Promise<RenderedDocument>): void {
  app.get('/openapi/v1', { schema: { hide: true } }, async (request, reply) => {
    const type = pickContentType(request.headers.accept, OFFERS);
    const doc = await document();
    reply.header('etag', `"${doc.etag}"`);
    if (request.headers['if-none-match'] === `"${doc.etag}"`) return reply.code(304).send();
    return reply.type(`${type}; charset=utf-8`).send(type.endsWith('yaml') ? doc.yaml : doc.json);
  });
}
