/**
 * @module Configuration validation. Turns a raw document (YAML or JSON,
 * already merged with its drop-ins) into a {@link Config} with every default
 * applied, plus lints. Mirrors upstream's `config.Validate`/`config.Lint`:
 *
 * - Decoding is strict everywhere: unknown keys, wrong types, bad durations
 *   and bad enum values are errors in every mode (upstream rejects them while
 *   decoding, before the mode is known).
 * - Required keys and semantic checks are mode-scoped: indexer blocks in
 *   `combo`/`indexer`, matcher blocks in `combo`/`matcher`, notifier blocks in
 *   `combo`/`notifier`. Defaults are applied to every block so the result is
 *   uniform, but lints are only reported for the blocks the mode runs.
 * - Every problem is collected and reported at once, one per line.
 */
import { statSync } from 'node:fs';
import { clairError } from '../lib/errors.js';
import { DEFAULTS, defaultIndexReportRequestConcurrency } from './defaults.js';
import { indexerLimits, layerFetchConfig } from './indexer-limits.js';
import { CONFIG_SCHEMA, Problems, decodeNode, isPlainObject, type METRICS_NAMES, type TRACE_NAMES } from './schema.js';
import {
  MODES,
  type AmqpConfig,
  type AuthConfig,
  type Config,
  type IndexerConfig,
  type Lint,
  type LoadedConfig,
  type LogLevel,
  type MatcherConfig,
  type MatchersConfig,
  type MetricsConfig,
  type Mode,
  type NotifierConfig,
  type StompConfig,
  type TlsClientConfig,
  type TlsConfig,
  type TraceConfig,
  type UpdatersConfig,
  type WebhookConfig,
} from './types.js';

/** Options for {@link validateConfig}; the defaults are right for production. */
export interface ValidateOptions {
  /** Environment consulted for `PG*` variables (mentioned by the empty-connstring lint). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Check that `tls.cert`/`tls.key` exist on disk. Default `true`. */
  checkFiles?: boolean;
}

/** Upstream's text for deprecated settings (`config.ErrDeprecated`). */
const DEPRECATED = 'setting will be removed in a future release';

type Obj = Record<string, unknown>;

// Typed readers over the decoded document. `decodeNode` has already checked
// every type, so these only narrow.
function obj(o: Obj | undefined, k: string): Obj | undefined {
  const v = o?.[k];
  return isPlainObject(v) ? v : undefined;
}
function str(o: Obj | undefined, k: string): string | undefined {
  const v = o?.[k];
  return typeof v === 'string' ? v : undefined;
}
function num(o: Obj | undefined, k: string): number | undefined {
  const v = o?.[k];
  return typeof v === 'number' ? v : undefined;
}
function bool(o: Obj | undefined, k: string): boolean {
  return o?.[k] === true;
}
function list(o: Obj | undefined, k: string): string[] | undefined {
  const v = o?.[k];
  return Array.isArray(v) ? (v as string[]) : undefined;
}

const uses = {
  indexer: (m: Mode) => m === 'combo' || m === 'indexer',
  matcher: (m: Mode) => m === 'combo' || m === 'matcher',
  notifier: (m: Mode) => m === 'combo' || m === 'notifier',
};

/**
 * Checks `host:port` the way Go's `net.SplitHostPort` does, and additionally
 * requires a numeric port (Node cannot listen on a service name).
 * Returns the reason it is bad, or `undefined` when it is fine.
 */
export function checkHostPort(addr: string): string | undefined {
  let host: string;
  let port: string;
  if (addr.startsWith('[')) {
    const end = addr.indexOf(']');
    if (end < 0) return 'missing "]" in address';
    if (addr[end + 1] !== ':') return end + 1 === addr.length ? 'missing port in address' : 'unexpected text after "]"';
    host = addr.slice(1, end);
    port = addr.slice(end + 2);
    if (!host.includes(':')) return 'brackets are only for IPv6 addresses';
  } else {
    const colon = addr.lastIndexOf(':');
    if (colon < 0) return 'missing port in address';
    host = addr.slice(0, colon);
    port = addr.slice(colon + 1);
    if (host.includes(':')) return 'too many colons in address (put IPv6 hosts in brackets)';
  }
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) return 'port must be a number from 0 to 65535';
  return undefined;
}

/** Returns the reason `s` is not an absolute http(s) URL, or `undefined`. */
function checkHttpUrl(s: string): string | undefined {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return 'not a valid URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `scheme must be http or https, not ${JSON.stringify(u.protocol.slice(0, -1))}`;
  if (u.hostname === '') return 'URL has no host';
  return undefined;
}

/** Standard base64 with padding (Go's `base64.StdEncoding`, which skips CR and LF). */
function isStdBase64(s: string): boolean {
  const t = s.replace(/[\r\n]/g, '');
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t);
}

/**
 * Validates a raw configuration document for `mode`, applies every default
 * and returns the config with its lints.
 *
 * @throws ClairError `CLAIR_ERR_CONFIG_INVALID` listing every problem, one per
 * line, each prefixed `config: ` and naming the key path, e.g.
 * `config: indexer.migrations: expected a boolean, got string "yes"`.
 */
export function validateConfig(raw: unknown, mode: Mode, options: ValidateOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const checkFiles = options.checkFiles ?? true;
  const problems = new Problems();
  const lints: Lint[] = [];
  const lint = (path: string, message: string): void => {
    lints.push({ path, message });
  };

  if (!(MODES as readonly string[]).includes(mode)) {
    throw clairError('CONFIG_INVALID', `config: unknown mode ${JSON.stringify(mode)}: must be one of ${MODES.join(', ')}`);
  }

  const doc = (decodeNode(CONFIG_SCHEMA, raw ?? {}, [], problems) ?? {}) as Obj;

  // --- top level (every mode) ----------------------------------------------
  const addr = (key: 'http_listen_addr' | 'introspection_addr'): string => {
    const given = str(doc, key);
    const value = given === undefined || given === '' ? DEFAULTS[key] : given;
    const bad = checkHostPort(value);
    if (bad !== undefined) problems.add(key, `invalid address ${JSON.stringify(value)}: ${bad}`);
    return value;
  };
  const http_listen_addr = addr('http_listen_addr');
  if ((str(doc, 'introspection_addr') ?? '') === '' && !problems.has('introspection_addr')) {
    lint('introspection_addr', 'introspection address not provided, default will be used');
  }
  const introspection_addr = addr('introspection_addr');
  const log_level = (str(doc, 'log_level') ?? DEFAULTS.log_level) as LogLevel;
  const data_dir = str(doc, 'data_dir') || DEFAULTS.data_dir;

  let tls: TlsConfig | undefined;
  const tlsDoc = obj(doc, 'tls');
  if (tlsDoc !== undefined) {
    const cert = str(tlsDoc, 'cert') ?? '';
    const key = str(tlsDoc, 'key') ?? '';
    if (cert === '' || key === '') {
      problems.add('tls', 'cert and key must be given together');
    } else if (checkFiles) {
      for (const [k, file] of [['cert', cert], ['key', key]] as const) {
        if (!isFile(file)) problems.add(`tls.${k}`, `file ${JSON.stringify(file)} does not exist or is not a file`);
      }
    }
    tls = { cert, key };
    const rootCa = str(tlsDoc, 'root_ca');
    if (rootCa !== undefined && rootCa !== '') {
      tls.root_ca = rootCa;
      lint('tls.root_ca', `${DEPRECATED}: use the SSL_CERT_FILE or SSL_CERT_DIR environment variables`);
    }
  }

  // --- indexer ---------------------------------------------------------------
  const ix = obj(doc, 'indexer');
  const indexer: IndexerConfig = {
    connstring: str(ix, 'connstring') ?? '',
    scanlock_retry: num(ix, 'scanlock_retry') || DEFAULTS.indexer.scanlock_retry,
    layer_scan_concurrency: num(ix, 'layer_scan_concurrency') || DEFAULTS.indexer.layer_scan_concurrency,
    index_report_request_concurrency: num(ix, 'index_report_request_concurrency') || defaultIndexReportRequestConcurrency(),
    migrations: bool(ix, 'migrations'),
    airgap: bool(ix, 'airgap'),
    spool_dir: str(ix, 'spool_dir') ?? '',
    limits: indexerLimits(ix, problems, lint, uses.indexer(mode)),
    layer_fetch: layerFetchConfig(ix, problems, uses.indexer(mode)),
    scanner: {
      package: obj(obj(ix, 'scanner'), 'package') ?? {},
      dist: obj(obj(ix, 'scanner'), 'dist') ?? {},
      repo: obj(obj(ix, 'scanner'), 'repo') ?? {},
    },
  };
  if (uses.indexer(mode)) {
    checkConnString('indexer.connstring', indexer.connstring, data_dir, env, lint, problems);
    const given = num(ix, 'scanlock_retry') ?? 0;
    if (given < 0) problems.add('indexer.scanlock_retry', `must not be negative, got ${given}`);
    if (indexer.scanlock_retry > DEFAULTS.indexer.lint_scanlock_retry_max) {
      lint('indexer.scanlock_retry', 'large values will increase latency');
    }
    const lsc = num(ix, 'layer_scan_concurrency') ?? 0;
    if (lsc < 0) problems.add('indexer.layer_scan_concurrency', `must not be negative, got ${lsc}`);
    else if (lsc !== 0 && lsc < DEFAULTS.indexer.lint_layer_scan_concurrency_min) {
      lint('indexer.layer_scan_concurrency', 'small values will limit resource utilization and increase latency');
    } else if (lsc > DEFAULTS.indexer.lint_layer_scan_concurrency_max) {
      lint('indexer.layer_scan_concurrency', 'large values may exceed resource quotas');
    }
    if ((num(ix, 'index_report_request_concurrency') ?? 0) === 0 && !problems.has('indexer.index_report_request_concurrency')) {
      lint('indexer.index_report_request_concurrency', `automatically sizing number of concurrent requests (${indexer.index_report_request_concurrency})`);
    }
  }

  // --- matcher ---------------------------------------------------------------
  const mx = obj(doc, 'matcher');
  const period = num(mx, 'period') || DEFAULTS.matcher.period;
  const givenRetention = num(mx, 'update_retention') ?? 0;
  const matcher: MatcherConfig = {
    connstring: str(mx, 'connstring') ?? '',
    indexer_addr: str(mx, 'indexer_addr') ?? '',
    migrations: bool(mx, 'migrations'),
    period,
    disable_updaters: bool(mx, 'disable_updaters'),
    disable_enrichment: bool(mx, 'disable_enrichment'),
    update_retention:
      givenRetention < 0 ? 0 : givenRetention < DEFAULTS.matcher.update_retention_min ? DEFAULTS.matcher.update_retention : givenRetention,
    cache_age: num(mx, 'cache_age') || period,
  };
  const maxConnPool = num(mx, 'max_conn_pool');
  if (maxConnPool !== undefined) matcher.max_conn_pool = maxConnPool;
  if (uses.matcher(mode)) {
    checkConnString('matcher.connstring', matcher.connstring, data_dir, env, lint, problems);
    if (mode === 'matcher') requiredUrl('matcher.indexer_addr', matcher.indexer_addr, 'matcher', problems);
    if ((num(mx, 'period') ?? 0) < 0) problems.add('matcher.period', 'must not be negative');
    else if (matcher.period < DEFAULTS.matcher.period) {
      lint('matcher.period', 'updater period is very aggressive: most sources are updated daily');
    }
    if ((num(mx, 'cache_age') ?? 0) < 0) problems.add('matcher.cache_age', 'must not be negative');
    else if (matcher.cache_age < matcher.period / 2) lint('matcher.cache_age', 'expiry very low: may result in increased workload');
    if (givenRetention < 0) lint('matcher.update_retention', `negative value ${givenRetention} treated as 0`);
    if (matcher.update_retention === 0) lint('matcher.update_retention', 'update garbage collection is off');
    if (matcher.max_conn_pool !== undefined) {
      lint('matcher.max_conn_pool', `${DEPRECATED}: ignored; set the pool size with connstring parameters such as pool_max_conns`);
    }
  }

  // --- matchers / updaters ---------------------------------------------------
  const msx = obj(doc, 'matchers');
  const matchers: MatchersConfig = { config: obj(msx, 'config') ?? {} };
  const names = list(msx, 'names');
  if (names !== undefined) matchers.names = names;

  const ux = obj(doc, 'updaters');
  const updaters: UpdatersConfig = { config: obj(ux, 'config') ?? {} };
  const sets = list(ux, 'sets');
  if (sets !== undefined) updaters.sets = sets;
  const filter = str(ux, 'filter');
  if (filter !== undefined && filter !== '') updaters.filter = filter;
  if (matcher.disable_updaters) updaters.sets = [];

  // --- notifier --------------------------------------------------------------
  const nx = obj(doc, 'notifier');
  const interval = (key: 'poll_interval' | 'delivery_interval'): number => {
    const v = num(nx, key) ?? 0;
    return v < DEFAULTS.notifier.min_interval ? DEFAULTS.notifier[key] : v;
  };
  const notifier: NotifierConfig = {
    connstring: str(nx, 'connstring') ?? '',
    migrations: bool(nx, 'migrations'),
    indexer_addr: str(nx, 'indexer_addr') ?? '',
    matcher_addr: str(nx, 'matcher_addr') ?? '',
    poll_interval: interval('poll_interval'),
    delivery_interval: interval('delivery_interval'),
    disable_summary: bool(nx, 'disable_summary'),
  };
  const notifierUsed = uses.notifier(mode);
  const wx = obj(nx, 'webhook');
  if (wx !== undefined) notifier.webhook = webhookConfig(wx, notifierUsed, problems, lint);
  const ax = obj(nx, 'amqp');
  if (ax !== undefined) notifier.amqp = amqpConfig(ax, notifierUsed, problems, lint);
  const sx = obj(nx, 'stomp');
  if (sx !== undefined) notifier.stomp = stompConfig(sx, notifierUsed, problems, lint);
  if (notifierUsed) {
    if (mode === 'notifier') {
      requiredUrl('notifier.indexer_addr', notifier.indexer_addr, 'notifier', problems);
      requiredUrl('notifier.matcher_addr', notifier.matcher_addr, 'notifier', problems);
    }
    // Upstream skips the connstring lint for a notifier block that is absent in combo mode.
    if (mode === 'notifier' || (nx !== undefined && Object.keys(nx).length > 0)) {
      checkConnString('notifier.connstring', notifier.connstring, data_dir, env, lint, problems);
    }
    const mechanisms = [wx, ax, sx].filter((x) => x !== undefined).length;
    if (mechanisms === 0 && nx !== undefined && Object.keys(nx).length > 0) lint('notifier', 'no delivery mechanisms specified');
    if (mechanisms > 1) lint('notifier', 'multiple delivery mechanisms specified (webhook is used first, then amqp, then stomp)');
    if (notifier.poll_interval < DEFAULTS.notifier.poll_interval) {
      lint('notifier.poll_interval', 'interval is very fast: may result in increased workload');
    }
    if (notifier.delivery_interval < DEFAULTS.notifier.delivery_interval) {
      lint('notifier.delivery_interval', 'interval is very fast: may result in increased workload');
    }
    for (const key of ['poll_interval', 'delivery_interval'] as const) {
      const v = num(nx, key);
      if (v !== undefined && v < DEFAULTS.notifier.min_interval) {
        lint(`notifier.${key}`, `values below 1m are replaced by the default (${key === 'poll_interval' ? '6h' : '1h'})`);
      }
    }
    if (notifier.disable_summary) {
      lint('notifier.disable_summary', 'disabling notification summary significantly increases memory consumption');
    }
  }

  // --- auth ------------------------------------------------------------------
  const authx = obj(doc, 'auth');
  const auth: AuthConfig = {};
  if (authx !== undefined && Object.hasOwn(authx, 'keyserver')) {
    problems.add('auth.keyserver', 'quay keyserver support has been removed; use auth.psk');
  }
  const pskx = obj(authx, 'psk');
  if (pskx !== undefined) {
    const key = str(pskx, 'key') ?? '';
    const iss = list(pskx, 'iss') ?? [];
    if (!isStdBase64(key)) {
      problems.add('auth.psk.key', 'not valid standard base64 (RFC 4648 alphabet with "=" padding)');
    } else if (key === '' && !problems.has('auth.psk.key')) {
      lint('auth.psk.key', 'key is empty: requests are signed and verified with an empty HMAC key');
    }
    if (iss.length === 0 && !problems.has('auth.psk.iss')) {
      lint('auth.psk.iss', 'issuer list is empty: only Clair\'s own "clair-intraservice" tokens will be accepted');
    }
    auth.psk = { key, iss };
  }

  // --- trace / metrics -------------------------------------------------------
  const tx = obj(doc, 'trace');
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

  const metx = obj(doc, 'metrics');
  const endpoint = str(obj(metx, 'prometheus'), 'endpoint') || DEFAULTS.metrics.prometheus_endpoint;
  if (!endpoint.startsWith('/')) problems.add('metrics.prometheus.endpoint', `must be a URL path starting with "/", got ${JSON.stringify(endpoint)}`);
  const metrics: MetricsConfig = {
    name: (str(metx, 'name') ?? '') as (typeof METRICS_NAMES)[number],
    prometheus: { endpoint },
  };
  const motlp = obj(metx, 'otlp');
  if (motlp !== undefined) metrics.otlp = motlp;
  if (metrics.name === 'otlp') lint('metrics.name', 'please consult the documentation for the status of metrics via "otlp"');

  if (problems.lines.length > 0) {
    throw clairError('CONFIG_INVALID', problems.lines.map((l) => `config: ${l}`).join('\n'));
  }

  const config: Config = {
    http_listen_addr,
    introspection_addr,
    log_level,
    data_dir,
    indexer,
    matcher,
    matchers,
    updaters,
    notifier,
    auth,
    metrics,
    trace,
  };
  if (tls !== undefined) config.tls = tls;
  return { config, lints };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function requiredUrl(path: string, value: string, mode: Mode, problems: Problems): void {
  if (problems.has(path)) return;
  if (value === '') {
    problems.add(path, `required in ${mode} mode (an absolute http(s) URL)`);
    return;
  }
  const bad = checkHttpUrl(value);
  if (bad !== undefined) problems.add(path, `must be an absolute http(s) URL, got ${JSON.stringify(value)}: ${bad}`);
}

/**
 * Connection-string checks, after upstream's `checkPostgresqlDSN` but adapted
 * to what our store accepts (see docs/config.md): an empty value selects the
 * embedded database (a lint, as upstream lints an empty value); a string our
 * store cannot open is an error here rather than a failure at first connect.
 * The value itself is never echoed: it may hold a password.
 */
function checkConnString(
  path: string,
  value: string,
  dataDir: string,
  env: Readonly<Record<string, string | undefined>>,
  lint: (path: string, message: string) => void,
  problems: Problems,
): void {
  const text = value.trim();
  if (text === '') {
    const pg = Object.keys(env).filter((k) => k.startsWith('PG')).sort();
    const note = pg.length === 0 ? '' : ` (the ${pg.join(', ')} environment variables are not used for an empty connstring)`;
    lint(path, `connection string is empty: the embedded database under data_dir ${JSON.stringify(dataDir)} will be used${note}`);
    return;
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)?.[1];
  if (scheme !== undefined) {
    if (!['postgres', 'postgresql', 'memory', 'pglite', 'file'].includes(scheme)) {
      problems.add(path, `unrecognized URL scheme ${JSON.stringify(scheme)}: use postgres://, postgresql://, memory://, pglite:// or file://, or a key=value DSN`);
    } else if ((scheme === 'pglite' || scheme === 'file') && text === `${scheme}://`) {
      problems.add(path, `${scheme}:// needs a directory, e.g. ${scheme}:///var/lib/clair`);
    }
    return;
  }
  if (!text.includes('=')) problems.add(path, 'unable to make sense of connection string: expected a URL or a libpq key=value DSN');
}

function callbackWithSlash(
  path: string,
  callback: string,
  lint: ((path: string, message: string) => void) | undefined,
): string {
  if (callback.endsWith('/')) return callback;
  lint?.(path, 'URL should end in a "/"; one was appended');
  return `${callback}/`;
}

function webhookConfig(
  wx: Obj,
  used: boolean,
  problems: Problems,
  lint: (path: string, message: string) => void,
): WebhookConfig {
  const target = str(wx, 'target') ?? '';
  let callback = str(wx, 'callback') ?? '';
  if (used) {
    for (const [k, v] of [['target', target], ['callback', callback]] as const) {
      const path = `notifier.webhook.${k}`;
      if (problems.has(path)) continue;
      if (v === '') problems.add(path, 'required (an absolute http(s) URL)');
      else {
        const bad = checkHttpUrl(v);
        if (bad !== undefined) problems.add(path, `must be an absolute http(s) URL, got ${JSON.stringify(v)}: ${bad}`);
      }
    }
  }
  if (callback !== '') callback = callbackWithSlash('notifier.webhook.callback', callback, used ? lint : undefined);
  const out: WebhookConfig = {
    target,
    callback,
    headers: (obj(wx, 'headers') as Record<string, string[]> | undefined) ?? {},
  };
  if (wx.signed !== undefined) {
    out.signed = bool(wx, 'signed');
    if (used && out.signed) lint('notifier.webhook.signed', `${DEPRECATED}: ignored (deliveries are signed when auth.psk is set)`);
  }
  return out;
}

function tlsClient(x: Obj | undefined, path: string, used: boolean, problems: Problems): TlsClientConfig | undefined {
  if (x === undefined) return undefined;
  const out: TlsClientConfig = {};
  for (const k of ['cert', 'key', 'root_ca'] as const) {
    const v = str(x, k);
    if (v !== undefined) out[k] = v;
  }
  if (used && ((out.cert ?? '') === '' || (out.key ?? '') === '')) problems.add(path, 'cert and key must be given together');
  return out;
}

function amqpConfig(ax: Obj, used: boolean, problems: Problems, lint: (path: string, message: string) => void): AmqpConfig {
  const ex = obj(ax, 'exchange');
  const direct = bool(ax, 'direct');
  let callback = str(ax, 'callback') ?? '';
  const out: AmqpConfig = {
    exchange: {
      name: str(ex, 'name') ?? '',
      type: str(ex, 'type') ?? '',
      durability: bool(ex, 'durability'),
      auto_delete: bool(ex, 'auto_delete'),
    },
    routing_key: str(ax, 'routing_key') ?? '',
    callback,
    uris: list(ax, 'uris') ?? [],
    direct,
    rollup: num(ax, 'rollup') ?? 0,
  };
  const tls = tlsClient(obj(ax, 'tls'), 'notifier.amqp.tls', used, problems);
  if (tls !== undefined) out.tls = tls;
  if (!used) return out;

  lint('notifier.amqp', `${DEPRECATED}: AMQP delivery is deprecated upstream; prefer the webhook`);
  if (out.exchange.type === '' && !problems.has('notifier.amqp.exchange.type')) problems.add('notifier.amqp.exchange.type', 'required');
  if (out.routing_key === '' && !problems.has('notifier.amqp.routing_key')) problems.add('notifier.amqp.routing_key', 'required');
  if (out.uris.length === 0 && !problems.has('notifier.amqp.uris')) problems.add('notifier.amqp.uris', 'at least one amqp:// or amqps:// URI is required');
  out.uris.forEach((uri, i) => {
    let ok = false;
    try {
      const u = new URL(uri);
      ok = (u.protocol === 'amqp:' || u.protocol === 'amqps:') && u.hostname !== '';
    } catch {
      ok = false;
    }
    // The URI is not echoed: it usually carries credentials.
    if (!ok) problems.add(`notifier.amqp.uris[${i}]`, 'not a valid amqp:// or amqps:// URI');
  });
  if (!direct) {
    if (callback === '') problems.add('notifier.amqp.callback', 'required unless direct is true');
    else {
      callback = callbackWithSlash('notifier.amqp.callback', callback, lint);
      const bad = checkHttpUrl(callback);
      if (bad !== undefined) problems.add('notifier.amqp.callback', `must be an absolute http(s) URL, got ${JSON.stringify(callback)}: ${bad}`);
      out.callback = callback;
    }
  } else if (callback !== '') {
    lint('notifier.amqp.callback', '`callback` and `direct` set: `callback` will be ignored');
  }
  if (out.rollup === 1) lint('notifier.amqp.rollup', '`rollup` set to 1: this means nothing');
  if (out.tls?.root_ca !== undefined) lint('notifier.amqp.tls.root_ca', `${DEPRECATED}: use the SSL_CERT_FILE or SSL_CERT_DIR environment variables`);
  return out;
}

function stompConfig(sx: Obj, used: boolean, problems: Problems, lint: (path: string, message: string) => void): StompConfig {
  const direct = bool(sx, 'direct');
  let callback = str(sx, 'callback') ?? '';
  const out: StompConfig = {
    destination: str(sx, 'destination') ?? '',
    callback,
    uris: list(sx, 'uris') ?? [],
    direct,
    rollup: num(sx, 'rollup') ?? 0,
  };
  const tls = tlsClient(obj(sx, 'tls'), 'notifier.stomp.tls', used, problems);
  if (tls !== undefined) out.tls = tls;
  const ux = obj(sx, 'user');
  if (ux !== undefined) out.user = { login: str(ux, 'login') ?? '', passcode: str(ux, 'passcode') ?? '' };
  if (!used) return out;

  lint('notifier.stomp', `${DEPRECATED}: STOMP delivery is deprecated upstream; prefer the webhook`);
  if (out.uris.length === 0 && !problems.has('notifier.stomp.uris')) problems.add('notifier.stomp.uris', 'at least one host:port is required');
  out.uris.forEach((uri, i) => {
    const bad = uri.includes('@') ? 'expected host:port, not a URI with credentials (use stomp.user)' : checkHostPort(uri);
    if (bad !== undefined) problems.add(`notifier.stomp.uris[${i}]`, `bad host:port: ${bad}`);
  });
  if (!direct) {
    if (callback === '') problems.add('notifier.stomp.callback', 'required unless direct is true');
    else {
      callback = callbackWithSlash('notifier.stomp.callback', callback, lint);
      const bad = checkHttpUrl(callback);
      if (bad !== undefined) problems.add('notifier.stomp.callback', `must be an absolute http(s) URL, got ${JSON.stringify(callback)}: ${bad}`);
      out.callback = callback;
    }
  } else if (callback !== '') {
    lint('notifier.stomp.callback', '`callback` and `direct` set: `callback` will be ignored');
  }
  if (out.rollup === 1) lint('notifier.stomp.rollup', '`rollup` set to 1: this means nothing');
  if (out.tls?.root_ca !== undefined) lint('notifier.stomp.tls.root_ca', `${DEPRECATED}: use the SSL_CERT_FILE or SSL_CERT_DIR environment variables`);
  return out;
}
