/**
 * @module The notifier's delivery mechanisms: `notifier.webhook`,
 * `notifier.amqp` and `notifier.stomp`, with their TLS client blocks. Each
 * reader takes `used` (the mode runs the notifier): when false the block is
 * read with its defaults but neither checked nor linted.
 */
import type { Problems } from '../schema.js';
import type { AmqpConfig, StompConfig, TlsClientConfig, WebhookConfig } from '../types.js';
import { DEFAULTS } from '../defaults.js';
import { isStdBase64 } from './auth.js';
import { checkHostPort, checkHttpUrl } from './checks.js';
import { DEPRECATED, bool, list, num, obj, str, type LintCallback, type Obj } from './section.js';

/** Reads and checks the decoded `notifier.webhook` block `wx`. */
export function webhookConfig(wx: Obj, used: boolean, problems: Problems, lint: LintCallback): WebhookConfig {
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
  const defaults = DEFAULTS.notifier.webhook;
  const out: WebhookConfig = {
    target,
    callback,
    headers: (obj(wx, 'headers') as Record<string, string[]> | undefined) ?? {},
    attempts: num(wx, 'attempts') ?? defaults.attempts,
    backoff: num(wx, 'backoff') ?? defaults.backoff,
    timeout: num(wx, 'timeout') ?? defaults.timeout,
  };
  const key = str(wx, 'signature_key');
  if (key !== undefined) out.signature_key = key;
  if (used) {
    if (out.attempts < 1) problems.add('notifier.webhook.attempts', 'must be at least 1');
    if (out.backoff < 0) problems.add('notifier.webhook.backoff', 'must not be negative');
    if (out.timeout <= 0) problems.add('notifier.webhook.timeout', 'must be positive');
    if (key !== undefined && (key === '' || !isStdBase64(key))) problems.add('notifier.webhook.signature_key', 'must be a non-empty base64 (standard alphabet) key');
  }
  if (wx.signed !== undefined) {
    out.signed = bool(wx, 'signed');
    if (used && out.signed) lint('notifier.webhook.signed', `${DEPRECATED}: ignored (deliveries are signed when auth.psk is set)`);
  }
  return out;
}

/** Reads and checks the decoded `notifier.amqp` block `ax`. */
export function amqpConfig(ax: Obj, used: boolean, problems: Problems, lint: LintCallback): AmqpConfig {
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

/** Reads and checks the decoded `notifier.stomp` block `sx`. */
export function stompConfig(sx: Obj, used: boolean, problems: Problems, lint: LintCallback): StompConfig {
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

/** Appends the "/" a callback URL needs (the notification id is appended to it), linting when `lint` is given. */
function callbackWithSlash(path: string, callback: string, lint: LintCallback | undefined): string {
  if (callback.endsWith('/')) return callback;
  lint?.(path, 'URL should end in a "/"; one was appended');
  return `${callback}/`;
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
