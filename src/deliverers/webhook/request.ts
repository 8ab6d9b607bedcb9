/**
 * @module What a webhook request carries, computed once per deliverer (the
 * target and the configured headers) or once per notification (the body).
 */
import type { WebhookConfig } from '../../config/types.js';
import { clairError } from '../../lib/errors.js';
import { CLAIR_VERSION } from '../../lib/version.js';

/** The target split into what is requested and what may be shown. */
export interface WebhookTarget {
  /** The URL requested: userinfo removed (fetch refuses URLs with credentials). */
  url: URL;
  /** Origin and path only, for errors and logs: userinfo and query may hold secrets. */
  display: string;
}

export function webhookTarget(target: string): WebhookTarget {
  const url = new URL(target);
  url.username = '';
  url.password = '';
  return { url, display: `${url.origin}${url.pathname}` };
}

/**
 * The headers every try sends, before the per-try `Authorization` and
 * `Clair-Signature`. Precedence, lowest first: `Basic` credentials from the
 * target's userinfo (as Go's client does when no Authorization is set), our
 * User-Agent, the configured headers (each value sent; several values for
 * one name go as one comma-joined field, which HTTP treats as the same),
 * and finally `content-type`, which is always JSON as upstream forces it.
 */
export function baseHeaders(config: WebhookConfig): Headers {
  const headers = new Headers();
  const target = new URL(config.target);
  if (target.username !== '' || target.password !== '') {
    const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
    headers.set('authorization', `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`);
  }
  headers.set('user-agent', `clair/${CLAIR_VERSION}`);
  for (const [name, values] of Object.entries(config.headers)) {
    if (values.length === 0) continue;
    try {
      headers.delete(name);
      for (const value of values) headers.append(name, value);
    } catch {
      // Neither the value nor fetch's error (which quotes it) is kept: headers often carry credentials.
      throw clairError('CONFIG_INVALID', `notifier.webhook.headers: ${JSON.stringify(name)} is not a valid header name, or one of its values is not a valid header value`);
    }
  }
  headers.set('content-type', 'application/json');
  return headers;
}
