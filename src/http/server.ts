/**
 * @module The API server: Fastify with Clair's routes for the node types
 * this process runs, Clair's error bodies, PSK auth, per-route metrics and
 * the OpenAPI document.
 */
import { finished } from 'node:stream';
import Fastify, { LogController, type FastifyInstance, type HTTPMethods } from 'fastify';
import swagger from '@fastify/swagger';
import { Ajv, type Options as AjvOptions } from 'ajv';
import addFormatsModule from 'ajv-formats';
import compress from '@fastify/compress';
import type { Logger } from 'pino';
import type { PskConfig } from '../config/types.js';
import type { IndexerService } from '../indexer/service.js';
import type { MatcherService } from '../matcher/service.js';
import type { NotifierService } from '../notifier/service.js';
import { clairError } from '../lib/errors.js';
import { pskVerifier, registerAuth } from './auth.js';
import { frameworkError, registerErrorHandling, sendApiError } from './errors.js';
import { HttpMetrics } from './metrics.js';
import { OPENAPI_OPTIONS, registerOpenApiRoute, renderDocument, type RenderedDocument } from './openapi.js';
import { schemas } from './schemas.js';
import { INDEX_REPORT_PATH, INDEXER_PREFIX, indexerRoutes } from './routes/indexer.js';
import { matcherRoutes } from './routes/matcher.js';
import { notifierRoutes } from './routes/notifier.js';
import { registerTracing } from './tracing.js';

export interface ApiServices {
  /** Mount `/indexer/api/v1/` backed by this indexer. */
  indexer?: IndexerService;
  /** Mount `/matcher/api/v1/`; `indexerClient` supplies its index reports. */
  matcher?: { matcher: MatcherService; indexerClient: IndexerService; cacheAgeSeconds: number };
  /** Mount `/notifier/api/v1/`. */
  notifier?: NotifierService;
}

export interface ApiServerOptions {
  services: ApiServices;
  /** Require PSK-signed JWTs on every route but /robots.txt. */
  psk?: PskConfig | undefined;
  logger?: Logger | undefined;
  metrics?: HttpMetrics | undefined;
  /** In-flight limit for indexing requests; negative means unlimited. */
  indexReportRequestConcurrency?: number;
  /** Most vulnerabilities one affected-manifest request may name (default 5,000). */
  affectedManifestVulnerabilities?: number;
  /** Largest accepted request body, in bytes. */
  bodyLimit?: number;
  /** Serve HTTPS (TLS 1.2 or newer) with this PEM certificate chain and key. */
  tls?: { cert: Buffer; key: Buffer } | undefined;
  /**
   * The document `/openapi/v1` serves; every mode serves the full one (see
   * `openapi-document.ts`). Default: this server's own routes.
   */
  openApiDocument?: (() => Promise<RenderedDocument>) | undefined;
}

const ALL_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024; // 32 MiB: large manifests and bulk requests fit
const MAX_PARAM_LENGTH = 256; // characters: a sha512 digest with its algorithm prefix is 135
const DEFAULT_AFFECTED_LIMIT = 5_000; // vulnerabilities per affected-manifest request; Clair's notifier sends 1,000

export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  // Typed as the default instance: route modules do not depend on the logger type.
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Fastify's per-request info lines are replaced by one debug line (below).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Fastify's default (100) is shorter than a sha512 digest (135); longer parameters are still refused.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    return503OnClosing: true,
    frameworkErrors: frameworkError,
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' as const } } : {}),
  }) as unknown as FastifyInstance;

  registerTracing(app);
  registerErrorHandling(app);
  registerDrainOnClose(app);
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime }, 'http request');
  });
  registerJsonParsing(app);
  if (options.psk) registerAuth(app, pskVerifier(options.psk));
  options.metrics?.register(app);
  if (options.services.indexer) registerConcurrencyLimit(app, options.indexReportRequestConcurrency ?? -1, options.metrics);

  // Response compression chosen from Accept-Encoding, as upstream offers
  // (gzip and deflate; Node 20's zlib has no zstd encoder). Small bodies are
  // sent as they are.
  await app.register(compress, { global: true, encodings: ['gzip', 'deflate'], threshold: 1024 });
  await app.register(swagger, {
    openapi: OPENAPI_OPTIONS,
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  for (const schema of Object.values(schemas)) app.addSchema(schema);
  registerValidation(app);

  const methodsByUrl = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const known = methodsByUrl.get(route.url) ?? new Set<string>();
    for (const m of methods) known.add(m);
    methodsByUrl.set(route.url, known);
  });

  const { indexer, matcher, notifier } = options.services;
  if (indexer) indexerRoutes(app, indexer, { affectedManifestVulnerabilities: options.affectedManifestVulnerabilities ?? DEFAULT_AFFECTED_LIMIT });
  if (matcher) matcherRoutes(app, matcher.matcher, matcher.indexerClient, { cacheAgeSeconds: matcher.cacheAgeSeconds });
  if (notifier) notifierRoutes(app, notifier);
  let own: RenderedDocument | undefined;
  registerOpenApiRoute(app, options.openApiDocument ?? (async () => (own ??= renderDocument(app))));
  app.get('/robots.txt', { schema: { hide: true } }, async (_request, reply) => reply.type('text/plain').send('User-agent: *\nDisallow: /\n'));

  // Known paths answer 405 for other methods, as upstream, rather than 404.
  for (const [url, methods] of [...methodsByUrl]) {
    const others = ALL_METHODS.filter((m) => !methods.has(m));
    if (others.length === 0) continue;
    app.route({
      method: others,
      url,
      schema: { hide: true },
      handler: async (request, reply) => {
        reply.header('allow', [...methods].join(', '));
        return sendApiError(reply, 405, `method ${request.method} not allowed on ${url}`);
      },
    });
  }
  app.setNotFoundHandler(async (request, reply) => sendApiError(reply, 404, `no such endpoint: ${request.method} ${request.url.split('?')[0]}`));
  return app;
}

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Request validation with two compilers. Bodies are JSON and are checked as
 * Clair's decoder checks them: a wrong type is a 400, never coerced (`5`
 * does not become `"5"`, `["http://x"]` does not become a URI). Path and
 * query parameters arrive as text, so they are coerced to their declared
 * types.
 */
function registerValidation(app: FastifyInstance): void {
  const base: AjvOptions = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };
  const bodies = addFormats(new Ajv({ ...base, coerceTypes: false }));
  const parameters = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));
  for (const schema of Object.values(schemas)) {
    bodies.addSchema(schema);
    parameters.addSchema(schema);
  }
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodies : parameters).compile(schema));
}

/**
 * While closing, responses to in-flight requests ask the client to close the
 * connection, so a keep-alive socket cannot hold shutdown open until its
 * idle timeout.
 */
function registerDrainOnClose(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
}

/**
 * Request bodies are JSON whatever their declared type: upstream does not
 * enforce the Clair media types, and clients send several.
 */
function registerJsonParsing(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(clairError('HTTP_BAD_REQUEST', `request body is not valid JSON: ${(err as Error).message}`), undefined);
    }
  });
}

/**
 * Upstream's index-report limiter: a fixed number of slots covering every
 * POST under /indexer/api/v1/ and any method on /indexer/api/v1/index_report;
 * a request finding no free slot gets 429 at once.
 *
 * A slot is given back when the request's work has ended, however the request
 * ends: answered, refused, or abandoned by its client. Abandoned work runs to
 * its end (bounded by the indexer's own deadline) and its result is stored for
 * the next request, and it keeps its slot meanwhile, so clients that give up
 * cannot start unbounded work.
 */
function registerConcurrencyLimit(app: FastifyInstance, limit: number, metrics: HttpMetrics | undefined): void {
  if (limit < 0) return;
  const limitedRoute = (method: string, url: string) => (method === 'POST' && url.startsWith(`${INDEXER_PREFIX}/`)) || url === INDEX_REPORT_PATH;
  // The handler of each limited request, running or done, so the slot outlives an abandoned response.
  const work = new WeakMap<object, Promise<unknown>>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((m) => limitedRoute(m, route.url))) return;
    const handler = route.handler;
    route.handler = function limitedHandler(this: FastifyInstance, request, reply) {
      const running = Promise.resolve().then(() => handler.call(this, request, reply));
      work.set(request, running);
      return running;
    };
  });
  let inFlight = 0;
  app.addHook('onRequest', async (request, reply) => {
    if (!limitedRoute(request.method, request.url.split('?')[0]!)) return;
    if (inFlight >= limit) {
      metrics?.concurrencyLimited.inc();
      return sendApiError(reply, 429, 'too many requests in flight; retry later');
    }
    inFlight++;
    // Once the response is done, or the client has gone (possibly already).
    finished(reply.raw, () => {
      const running = work.get(request) ?? Promise.resolve();
      void running.catch(() => {}).finally(() => inFlight--);
    });
  });
}
