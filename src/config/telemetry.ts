/**
 * @module The exporter settings of the `trace` and `metrics` blocks, read
 * from their free-form provider objects as Clair's `config/otlp.go` and
 * `config/introspection.go` declare them. Pure: validation reports problems
 * by path, start builds exporters from the typed result.
 *
 * ```yaml
 * trace:
 *   name: otlp
 *   probability: 0.1
 *   otlp:
 *     http: { endpoint: "collector:4318", insecure: true, url_path: /v1/traces, headers: {…}, compression: gzip, timeout: 10s, client_tls: {root_ca, cert, key} }
 *     # or grpc: { endpoint: "collector:4317", … }
 * metrics:
 *   name: otlp
 *   otlp: { http: {…} }   # or grpc
 * ```
 */
import { parseDuration } from './duration.js';

export interface OtlpClientTls {
  rootCa?: string;
  cert?: string;
  key?: string;
}

/** One OTLP exporter's settings (Clair's `OTLPHTTPCommon` / `OTLPgRPCCommon`). */
export interface OtlpSettings {
  transport: 'http' | 'grpc';
  /** `host:port`, as Go's exporters take it; empty means the SDK default (localhost, 4318 or 4317). */
  endpoint: string;
  /** Plain HTTP / gRPC without TLS. */
  insecure: boolean;
  headers: Record<string, string>;
  compression: 'none' | 'gzip';
  timeoutMs?: number;
  /** HTTP only: the path under the endpoint; empty means `/v1/traces` or `/v1/metrics`. */
  urlPath: string;
  clientTls?: OtlpClientTls;
}

/** Clair's Jaeger settings (deprecated upstream, still honoured). */
export interface JaegerSettings {
  /** `host:port` of the agent (UDP); the default when no collector is named. */
  agentEndpoint: string;
  /** The collector's URL (HTTP), used when set and no agent is named. */
  collectorEndpoint: string;
  username?: string;
  password?: string;
  serviceName: string;
  tags: Record<string, string>;
  bufferMax?: number;
}

/** Collects what is wrong, by config path. */
export type ProblemSink = (path: string, message: string) => void;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(o: Obj, key: string, path: string, problem: ProblemSink): string {
  const v = o[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') {
    problem(`${path}.${key}`, `must be a string, got ${JSON.stringify(v)}`);
    return '';
  }
  return v;
}

function stringMap(o: Obj, key: string, path: string, problem: ProblemSink): Record<string, string> {
  const v = o[key];
  if (v === undefined || v === null) return {};
  if (!isObj(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    problem(`${path}.${key}`, 'must be a map of strings');
    return {};
  }
  return v as Record<string, string>;
}

/** One transport block (`http` or `grpc`), or undefined when it has problems. */
function transportSettings(transport: 'http' | 'grpc', block: unknown, path: string, problem: ProblemSink): OtlpSettings | undefined {
  if (!isObj(block)) {
    problem(path, 'must be an object');
    return undefined;
  }
  let bad = false;
  const report: ProblemSink = (p, m) => {
    bad = true;
    problem(p, m);
  };
  const compression = text(block, 'compression', path, report) || 'none';
  if (compression !== 'none' && compression !== 'gzip') report(`${path}.compression`, `must be "none" or "gzip", got ${JSON.stringify(compression)}`);
  const insecure = block.insecure ?? false;
  if (typeof insecure !== 'boolean') report(`${path}.insecure`, `must be true or false, got ${JSON.stringify(insecure)}`);
  const endpoint = text(block, 'endpoint', path, report);
  if (endpoint.includes('://')) report(`${path}.endpoint`, `must be host:port, without a scheme (insecure chooses http or https), got ${JSON.stringify(endpoint)}`);
  let timeoutMs: number | undefined;
  const timeout = block.timeout;
  if (timeout !== undefined && timeout !== null) {
    try {
      timeoutMs = typeof timeout === 'number' ? timeout / 1e6 : parseDuration(String(timeout));
      if (!(timeoutMs > 0)) report(`${path}.timeout`, 'must be more than 0');
    } catch (err) {
      report(`${path}.timeout`, (err as Error).message);
    }
  }
  const urlPath = transport === 'http' ? text(block, 'url_path', path, report) : '';
  if (urlPath !== '' && !urlPath.startsWith('/')) report(`${path}.url_path`, `path ${JSON.stringify(urlPath)} must be absolute`);
  let clientTls: OtlpClientTls | undefined;
  if (block.client_tls !== undefined && block.client_tls !== null) {
    if (!isObj(block.client_tls)) report(`${path}.client_tls`, 'must be an object');
    else {
      const tls = block.client_tls;
      clientTls = {};
      const rootCa = text(tls, 'root_ca', `${path}.client_tls`, report);
      const cert = text(tls, 'cert', `${path}.client_tls`, report);
      const key = text(tls, 'key', `${path}.client_tls`, report);
      if (rootCa) clientTls.rootCa = rootCa;
      if (cert) clientTls.cert = cert;
      if (key) clientTls.key = key;
      if (Boolean(cert) !== Boolean(key)) report(`${path}.client_tls`, 'cert and key must be given together');
    }
  }
  const settings: OtlpSettings = {
    transport,
    endpoint,
    insecure: insecure === true,
    headers: stringMap(block, 'headers', path, report),
    compression: compression === 'gzip' ? 'gzip' : 'none',
    urlPath: urlPath.replace(/\/+$/, '') || '',
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(clientTls ? { clientTls } : {}),
  };
  return bad ? undefined : settings;
}

/**
 * The exporter an `otlp` block (`trace.otlp`, `metrics.otlp`) names. As in
 * Clair, one of `http` and `grpc` must be given; with both, gRPC is used.
 */
export function otlpSettings(block: unknown, path: string, problem: ProblemSink): OtlpSettings | undefined {
  if (!isObj(block) || (block.grpc === undefined && block.http === undefined)) {
    problem(path, 'must define either "grpc" or "http" transport for otlp');
    return undefined;
  }
  if (block.grpc !== undefined) return transportSettings('grpc', block.grpc, `${path}.grpc`, problem);
  return transportSettings('http', block.http, `${path}.http`, problem);
}

/** The Jaeger exporter a `trace.jaeger` block names (an empty block: the agent on localhost:6831, as upstream). */
export function jaegerSettings(block: unknown, path: string, problem: ProblemSink): JaegerSettings | undefined {
  const o = isObj(block) ? block : {};
  const agent = isObj(o.agent) ? o.agent : {};
  const collector = isObj(o.collector) ? o.collector : {};
  const agentEndpoint = text(agent, 'endpoint', `${path}.agent`, problem);
  if (agentEndpoint !== '' && !/^[^:]*:\d+$/.test(agentEndpoint)) problem(`${path}.agent.endpoint`, `must be host:port, got ${JSON.stringify(agentEndpoint)}`);
  const settings: JaegerSettings = {
    agentEndpoint,
    collectorEndpoint: text(collector, 'endpoint', `${path}.collector`, problem),
    serviceName: text(o, 'service_name', path, problem),
    tags: stringMap(o, 'tags', path, problem),
  };
  const username = text(collector, 'username', `${path}.collector`, problem);
  const password = text(collector, 'password', `${path}.collector`, problem);
  if (username) settings.username = username;
  if (password) settings.password = password;
  if (typeof o.buffer_max === 'number' && o.buffer_max > 0) settings.bufferMax = o.buffer_max;
  return settings;
}
