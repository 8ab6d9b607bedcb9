/**
 * @module A server span per request (`GET /matcher/api/v1/vulnerability_report/:digest`),
 * child of the caller's `traceparent` when there is one, active while the
 * handlers run so the indexer's and matcher's spans nest under it. A no-op
 * unless a trace provider is configured.
 */
import { SpanKind, SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { contextFromHeaders, tracer } from '../lib/tracing.js';

const spans = new WeakMap<FastifyRequest, Span>();

export function registerTracing(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url ?? request.url.split('?')[0]!;
    const parent = contextFromHeaders(request.headers);
    const span = tracer().startSpan(
      `${request.method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route, 'url.path': request.url.split('?')[0]! } },
      parent,
    );
    spans.set(request, span);
    context.with(trace.setSpan(parent, span), done);
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    spans.delete(request);
    span.end();
  });
  app.addHook('onRequestAbort', async (request) => {
    const span = spans.get(request);
    spans.delete(request);
    span?.setStatus({ code: SpanStatusCode.ERROR, message: 'client went away' });
    span?.end();
  });
}
