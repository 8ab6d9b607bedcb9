/**
 * @module Printing a configuration safely. {@link redactConfig} replaces every
 * secret with `"<redacted>"`; {@link formatEffectiveConfig} prints the result
 * as JSON or YAML with durations spelled as Go prints them (`6h0m0s`).
 */
import { stringify as yamlStringify } from 'yaml';
import { formatDuration } from './duration.js';
import { isPlainObject } from './schema.js';
import type { Config } from './types.js';

/** What every secret is replaced by. */
export const REDACTED = '<redacted>';

/** Header names whose values are credentials. */
const SECRET_HEADER = /^(proxy-)?authorization$/i;

/** Key names inside free-form blocks (scanner, updater, matcher, trace, metrics configs) whose values are secrets. */
const SECRET_KEY = /pass(word|wd|code|phrase)?$|secret|token|api[-_]?key|credential|private[-_]?key|authorization|^dsn$/i;

/**
 * Hides the password of a URL's userinfo (`amqp://user:pass@host` →
 * `amqp://user:<redacted>@host`), or all of it when `whole` is set (Sentry
 * DSNs carry the key as the user name). A bare `user:pass@host:port` loses
 * everything before the `@`. Errs on the side of hiding too much when the
 * string is odd.
 */
export function redactUserinfo(s: string, whole = false): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(s)?.[0];
  const start = scheme?.length ?? 0;
  const query = s.indexOf('?', start);
  const at = s.lastIndexOf('@', query < 0 ? s.length : query);
  if (at < start) return s;
  const userinfo = s.slice(start, at);
  if (scheme === undefined) return `${REDACTED}${s.slice(at)}`;
  const colon = userinfo.indexOf(':');
  const kept = whole ? REDACTED : colon < 0 ? userinfo : `${userinfo.slice(0, colon)}:${REDACTED}`;
  return `${scheme}${kept}${s.slice(at)}`;
}

/**
 * Hides passwords in a connection string, in both of libpq's forms: the URL
 * (`postgres://user:pass@host/db?sslpassword=…`) and the key/value DSN
 * (`host=db password='a b' sslpassword=x`).
 */
export function redactConnString(s: string): string {
  if (s === '') return s;
  let out = s;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(out)) {
    out = redactUserinfo(out).replace(/([?&](?:ssl)?password=)[^&#\s]*/gi, `$1${REDACTED}`);
  }
  // Also for URL-looking strings: libpq reads "postgres://… key=value" as a DSN.
  return out.replace(/((?:^|\s)(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)/gi, `$1${REDACTED}`);
}

/** Redacts secret-looking keys (and every header value) inside a free-form block. */
function redactFreeform(value: unknown, underHeaders = false): unknown {
  if (Array.isArray(value)) return value.map((v) => redactFreeform(v, underHeaders));
  if (!isPlainObject(value)) return underHeaders && value !== null ? REDACTED : value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    let next: unknown;
    if (/^headers$/i.test(k)) next = redactFreeform(v, true);
    else if (SECRET_KEY.test(k) && !isPlainObject(v) && !Array.isArray(v)) next = v === '' || v === null ? v : REDACTED;
    else next = redactFreeform(v, underHeaders);
    Object.defineProperty(out, k, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function redacted(config: Config): Config {
  const c = structuredClone(config);
  c.indexer.connstring = redactConnString(c.indexer.connstring);
  c.matcher.connstring = redactConnString(c.matcher.connstring);
  c.notifier.connstring = redactConnString(c.notifier.connstring);
  if (c.auth.psk !== undefined && c.auth.psk.key !== '') c.auth.psk.key = REDACTED;

  const webhook = c.notifier.webhook;
  if (webhook !== undefined) {
    if (webhook.signature_key !== undefined && webhook.signature_key !== '') webhook.signature_key = REDACTED;
    for (const name of Object.keys(webhook.headers)) {
      if (SECRET_HEADER.test(name)) webhook.headers[name] = (webhook.headers[name] ?? []).map(() => REDACTED);
    }
  }
  if (c.notifier.amqp !== undefined) c.notifier.amqp.uris = c.notifier.amqp.uris.map((u) => redactUserinfo(u));
  if (c.notifier.stomp !== undefined) {
    c.notifier.stomp.uris = c.notifier.stomp.uris.map((u) => redactUserinfo(u));
    if (c.notifier.stomp.user !== undefined && c.notifier.stomp.user.passcode !== '') c.notifier.stomp.user.passcode = REDACTED;
  }

  const free = (v: Record<string, unknown>): Record<string, unknown> => redactFreeform(v) as Record<string, unknown>;
  c.indexer.scanner = { package: free(c.indexer.scanner.package), dist: free(c.indexer.scanner.dist), repo: free(c.indexer.scanner.repo) };
  c.matchers.config = free(c.matchers.config);
  c.updaters.config = free(c.updaters.config);
  if (c.trace.jaeger !== undefined) c.trace.jaeger = free(c.trace.jaeger);
  if (c.trace.otlp !== undefined) c.trace.otlp = free(c.trace.otlp);
  if (c.trace.sentry !== undefined) {
    const sentry = free(c.trace.sentry);
    if (typeof c.trace.sentry.dsn === 'string') sentry.dsn = redactUserinfo(c.trace.sentry.dsn, true);
    c.trace.sentry = sentry;
  }
  if (c.metrics.otlp !== undefined) c.metrics.otlp = free(c.metrics.otlp);
  return c;
}

/**
 * Returns a copy of `config` that is safe to print or log: the PSK key,
 * connection-string passwords (URL and DSN forms), credentials in AMQP/STOMP
 * URIs, the STOMP passcode, `Authorization` webhook headers (any case), and
 * secret-looking keys in free-form blocks are replaced by `"<redacted>"`.
 * The input is not modified.
 */
export function redactConfig(config: Config): unknown {
  return redacted(config);
}

export interface FormatOptions {
  /** Print secrets as they are. Default `false`: the output is redacted. */
  showSecrets?: boolean;
}

/**
 * Prints the effective (validated, defaulted) configuration as JSON or YAML,
 * redacted unless `showSecrets` is set, with durations as Go duration strings
 * (`period: 6h0m0s`) so the output can be fed back as a config file.
 */
export function formatEffectiveConfig(config: Config, format: 'json' | 'yaml', options: FormatOptions = {}): string {
  const c = options.showSecrets === true ? structuredClone(config) : redacted(config);
  const limits = Object.fromEntries(Object.entries(c.indexer.limits).map(([k, v]) => [k, k === 'index_timeout' ? formatDuration(v) : Number.isFinite(v) ? v : -1]));
  const fetch = c.indexer.layer_fetch;
  const view = {
    ...c,
    indexer: {
      ...c.indexer,
      // A limit that is off prints as -1, which reads back as off.
      limits,
      layer_fetch: { ...fetch, connect_timeout: formatDuration(fetch.connect_timeout), response_timeout: formatDuration(fetch.response_timeout) },
    },
    matcher: { ...c.matcher, period: formatDuration(c.matcher.period), cache_age: formatDuration(c.matcher.cache_age) },
    notifier: {
      ...c.notifier,
      poll_interval: formatDuration(c.notifier.poll_interval),
      delivery_interval: formatDuration(c.notifier.delivery_interval),
      retention: formatDuration(c.notifier.retention),
      ...(c.notifier.webhook ? { webhook: { ...c.notifier.webhook, backoff: formatDuration(c.notifier.webhook.backoff), timeout: formatDuration(c.notifier.webhook.timeout) } } : {}),
    },
  };
  return format === 'json' ? `${JSON.stringify(view, null, 2)}\n` : yamlStringify(view);
}
