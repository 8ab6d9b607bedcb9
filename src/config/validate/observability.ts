/**
 * @module The `trace` and `metrics` blocks (every mode). Provider names are
 * enums already checked while decoding; what is left is ranges, paths and
 * deprecation lints.
 */
import { DEFAULTS } from '../defaults.js';
import type { METRICS_NAMES, Problems, TRACE_NAMES } from '../schema.js';
import type { MetricsConfig, TraceConfig } from '../types.js';
import { DEPRECATED, num, obj, str, type LintCallback, type Obj } from './section.js';
import { jaegerSettings, otlpSettings } from '../telemetry.js';

/** Validates the decoded `trace` block `tx` (absent when the document has none). */
export function validateTrace(tx: Obj | undefined, problems: Problems, lint: LintCallback): TraceConfig {
  const trace: TraceConfig = { name: (str(tx, 'name') ?? '') as (typeof TRACE_NAMES)[number] };
  const probability = num(tx, 'probability');
  if (probability !== undefined) {
    if (probability < 0 || probability > 1) problems.add('trace.probability', `must be between 0 and 1, got ${probability}`);
    trace.probability = probability;
  }
  for (const k of ['jaeger', 'otlp', 'sentry'] as const) {
    const v = obj(tx, k);
    if (v !== undefined) trace[k] = v;
  }
  if (trace.name === 'jaeger') lint('trace.name', 'trace provider "jaeger" is deprecated; migrate to "otlp"');
  else if (trace.jaeger !== undefined) lint('trace.jaeger', DEPRECATED);
  if (trace.name === 'sentry') lint('trace.name', 'trace provider "sentry" exports nothing, as in Clair; use "otlp"');
  // The exporter settings are checked here, so -check refuses what start would.
  const add = (path: string, message: string) => problems.add(path, message);
  if (trace.name === 'otlp') otlpSettings(trace.otlp, 'trace.otlp', add);
  if (trace.name === 'jaeger') jaegerSettings(trace.jaeger, 'trace.jaeger', add);
  return trace;
}

/** Validates the decoded `metrics` block `metx` (absent when the document has none). */
export function validateMetrics(metx: Obj | undefined, problems: Problems, lint: LintCallback): MetricsConfig {
  const endpoint = str(obj(metx, 'prometheus'), 'endpoint') || DEFAULTS.metrics.prometheus_endpoint;
  if (!endpoint.startsWith('/')) problems.add('metrics.prometheus.endpoint', `must be a URL path starting with "/", got ${JSON.stringify(endpoint)}`);
  const metrics: MetricsConfig = {
    name: (str(metx, 'name') ?? '') as (typeof METRICS_NAMES)[number],
    prometheus: { endpoint },
  };
  const motlp = obj(metx, 'otlp');
  if (motlp !== undefined) metrics.otlp = motlp;
  if (metrics.name === 'otlp') otlpSettings(metrics.otlp, 'metrics.otlp', (path, message) => problems.add(path, message));
  return metrics;
}
