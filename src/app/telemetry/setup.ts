/**
 * @module The OpenTelemetry SDK, wired from the `trace` and `metrics`
 * blocks as Clair's `introspection/server.go` wires it:
 *
 * - **Traces** (`trace.name`): `otlp` (HTTP or gRPC), `stdout`, or the
 *   deprecated `jaeger` (agent over UDP, or collector). The service is
 *   `clairv4/<mode>`. Sampling as upstream: every span at `log_level:
 *   debug`; else `trace.probability` of root spans, following the caller's
 *   decision for spans with a sampled parent; else only spans whose caller
 *   sampled them (a `traceparent` header). `sentry` exports nothing, as
 *   upstream (a lint says so).
 * - **Metrics** (`metrics.name`): `otlp` (HTTP or gRPC) or `stdout` export
 *   every prom-client metric (see `prom-bridge.ts`) each
 *   {@link METRICS_EXPORT_INTERVAL_MS}. The Prometheus endpoint stays served
 *   whatever the name, so switching to OTLP loses no scrape.
 *
 * Exporter failures (collector down) are logged by the SDK's diagnostics at
 * warn level and never stop the process.
 */
import { readFileSync } from 'node:fs';
import { credentials as grpcCredentials, Metadata } from '@grpc/grpc-js';
import { DiagLogLevel, context, diag, metrics as metricsApi, propagation, trace, type DiagLogger } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { JaegerExporter } from '@opentelemetry/exporter-jaeger';
import { OTLPMetricExporter as OtlpGrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as OtlpHttpMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter as OtlpGrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpHttpTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../../config/types.js';
import { jaegerSettings, otlpSettings, type OtlpSettings } from '../../config/telemetry.js';
import { clairError } from '../../lib/errors.js';
import { PromClientProducer } from './prom-bridge.js';

export const METRICS_EXPORT_INTERVAL_MS = 60_000;

export interface Telemetry {
  /** Flushes what is buffered and stops the exporters. */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  /** How often metrics are pushed (tests shorten it). */
  metricsIntervalMs?: number;
}

/** Settings that were validated at load; a failure here is a programming error, named. */
function checked<T>(read: (problem: (path: string, message: string) => void) => T | undefined): T {
  const problems: string[] = [];
  const value = read((path, message) => problems.push(`${path}: ${message}`));
  if (value === undefined || problems.length > 0) throw clairError('CONFIG_INVALID', problems.join('; ') || 'telemetry settings are invalid');
  return value;
}

function otlpUrl(s: OtlpSettings, signal: 'traces' | 'metrics'): string {
  const scheme = s.insecure ? 'http' : 'https';
  const endpoint = s.endpoint || `localhost:${s.transport === 'grpc' ? 4317 : 4318}`;
  return s.transport === 'grpc' ? `${scheme}://${endpoint}` : `${scheme}://${endpoint}${s.urlPath || `/v1/${signal}`}`;
}

/** The parts both OTLP exporters of one transport take. */
function otlpOptions(s: OtlpSettings, signal: 'traces' | 'metrics') {
  const tls = s.clientTls;
  const read = (path: string | undefined) => (path ? readFileSync(path) : undefined);
  const common = {
    url: otlpUrl(s, signal),
    compression: s.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    ...(s.timeoutMs !== undefined ? { timeoutMillis: s.timeoutMs } : {}),
  };
  if (s.transport === 'grpc') {
    const metadata = new Metadata();
    for (const [k, v] of Object.entries(s.headers)) metadata.set(k, v);
    const credentials = s.insecure ? grpcCredentials.createInsecure() : grpcCredentials.createSsl(read(tls?.rootCa) ?? null, read(tls?.key) ?? null, read(tls?.cert) ?? null);
    return { grpc: { ...common, metadata, credentials } };
  }
  const agent = tls ? { ca: read(tls.rootCa), cert: read(tls.cert), key: read(tls.key) } : undefined;
  return { http: { ...common, headers: s.headers, ...(agent ? { httpAgentOptions: agent } : {}) } };
}

function traceExporter(config: Config): SpanExporter | undefined {
  switch (config.trace.name) {
    case 'stdout':
      return new ConsoleSpanExporter();
    case 'otlp': {
      const o = otlpOptions(checked((p) => otlpSettings(config.trace.otlp, 'trace.otlp', p)), 'traces');
      return o.grpc ? new OtlpGrpcTraceExporter(o.grpc) : new OtlpHttpTraceExporter(o.http);
    }
    case 'jaeger': {
      const j = checked((p) => jaegerSettings(config.trace.jaeger, 'trace.jaeger', p));
      const tags = Object.entries(j.tags).map(([key, value]) => ({ key, value }));
      if (j.agentEndpoint === '' && j.collectorEndpoint !== '') {
        return new JaegerExporter({ endpoint: j.collectorEndpoint, ...(j.username ? { username: j.username } : {}), ...(j.password ? { password: j.password } : {}), tags }) as unknown as SpanExporter;
      }
      const [host, port] = j.agentEndpoint === '' ? ['localhost', '6831'] : [j.agentEndpoint.slice(0, j.agentEndpoint.lastIndexOf(':')), j.agentEndpoint.slice(j.agentEndpoint.lastIndexOf(':') + 1)];
      return new JaegerExporter({ host: host || 'localhost', port: Number(port), tags, ...(j.bufferMax ? { maxPacketSize: j.bufferMax } : {}) }) as unknown as SpanExporter;
    }
    default:
      return undefined;
  }
}

function metricExporter(config: Config): PushMetricExporter | undefined {
  switch (config.metrics.name) {
    case 'stdout':
      return new ConsoleMetricExporter();
    case 'otlp': {
      const o = otlpOptions(checked((p) => otlpSettings(config.metrics.otlp, 'metrics.otlp', p)), 'metrics');
      return o.grpc ? new OtlpGrpcMetricExporter(o.grpc) : new OtlpHttpMetricExporter(o.http);
    }
    default:
      return undefined;
  }
}

function sampler(config: Config): Sampler {
  if (config.log_level === 'debug' || config.log_level === 'debug-color') return new AlwaysOnSampler();
  if (config.trace.probability !== undefined) return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.trace.probability) });
  return new ParentBasedSampler({ root: new AlwaysOffSampler() });
}

/** The SDK's own complaints (an unreachable collector) as warnings in the process log. */
function diagnostics(log: Logger): DiagLogger {
  const write = (level: 'warn' | 'error') => (message: string, ...args: unknown[]) => log[level]({ detail: args.map(String).join(' ') }, `telemetry: ${message}`);
  return { error: write('error'), warn: write('warn'), info: () => {}, debug: () => {}, verbose: () => {} };
}

/**
 * Starts the exporters the config names; with neither a trace nor a metrics
 * exporter it does nothing. Global: one per process (combo mode is one).
 */
export function startTelemetry(config: Config, mode: string, registry: Registry, log: Logger, options: TelemetryOptions = {}): Telemetry {
  const spans = traceExporter(config);
  const pushed = metricExporter(config);
  if (!spans && !pushed) {
    log.info({}, 'no distributed tracing or metrics export configured');
    return { shutdown: async () => {} };
  }
  diag.setLogger(diagnostics(log), DiagLogLevel.WARN);
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: `clairv4/${mode}` });
  const stops: Array<() => Promise<void>> = [];
  if (spans) {
    const provider = new NodeTracerProvider({ resource, sampler: sampler(config), spanProcessors: [new BatchSpanProcessor(spans)] });
    provider.register({ propagator: new W3CTraceContextPropagator() });
    stops.push(() => provider.shutdown());
    log.info({ exporter: config.trace.name }, 'distributed tracing configured');
  }
  if (pushed) {
    const reader = new PeriodicExportingMetricReader({
      exporter: pushed,
      exportIntervalMillis: options.metricsIntervalMs ?? METRICS_EXPORT_INTERVAL_MS,
      metricProducers: [new PromClientProducer(registry)],
    });
    const provider = new MeterProvider({ resource, readers: [reader] });
    metricsApi.setGlobalMeterProvider(provider);
    stops.push(() => provider.shutdown());
    log.info({ exporter: config.metrics.name }, 'metrics export configured');
  }
  return {
    shutdown: async () => {
      await Promise.all(stops.map((stop) => stop().catch((err: unknown) => log.warn({ err }, 'telemetry shutdown error'))));
      // Unregistered, so a later start in this process (tests, clairctl --local) can register afresh.
      trace.disable();
      context.disable();
      propagation.disable();
      metricsApi.disable();
      diag.disable();
    },
  };
}
