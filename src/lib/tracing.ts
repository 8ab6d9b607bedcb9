/**
 * @module Spans, through the OpenTelemetry API only: engines mark their work
 * here, and without a configured `trace` provider (the composition root's
 * `app/telemetry`) every call is a no-op costing next to nothing.
 */
import { SpanStatusCode, context, propagation, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

/** The tracer, looked up per use: a cached one would stay bound to a provider unregistered since. */
export const tracer = () => trace.getTracer('clair');

/**
 * Runs `fn` in a span named `name` (the current span's child), ending it
 * when `fn` settles and recording a failure as the span's error.
 */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, parent?: Context): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The context a request's `traceparent`/`tracestate` headers carry, for a server span's parent. */
export const contextFromHeaders = (headers: Record<string, string | string[] | undefined>): Context =>
  propagation.extract(context.active(), headers, {
    keys: (carrier) => Object.keys(carrier),
    get: (carrier, key) => {
      const v = carrier[key];
      return Array.isArray(v) ? v[0] : v;
    },
  });

/** Adds the current context's `traceparent` to outgoing request headers. */
export function injectTraceHeaders(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}
