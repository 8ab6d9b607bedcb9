/**
 * @module The webhook deliverer (quay/clair notifier/webhook): POSTs
 * `{notification_id, callback}` to `notifier.webhook.target`; the receiver
 * pages the notification from the callback URL and acknowledges it.
 *
 * Beyond upstream: any 2xx is success (upstream: 200 only), failed tries are
 * retried with backoff within one delivery, each try has a deadline, and a
 * `Clair-Signature` HMAC header is added when a key is configured. The wire
 * format and the rest is documented in docs/notifier.md#webhook.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch } from 'undici';
import type { WebhookConfig } from '../../config/types.js';
import { clairError, type ClairError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Deliverer, Delivery } from '../../notifier/deliverer.js';
import { discardBody } from './discard-body.js';
import { callbackMessage } from '../callback.js';
import { baseHeaders, webhookTarget, type WebhookTarget } from './request.js';
import { honoursRetryAfter, isRetryableStatus, parseRetryAfter, retryDelay } from './retry-policy.js';
import { SIGNATURE_HEADER, signatureValue } from './signature.js';

export const WEBHOOK_DELIVERER_NAME = 'webhook'; // the `deliverer` label of metrics and logs; never rename

export interface WebhookDelivererOptions {
  /**
   * The whole `Authorization` value for each try (e.g. `Bearer <jwt>` with
   * issuer `clair-notifier` when `auth.psk` is set). Called per try so a
   * token is fresh even after long waits. It replaces a configured
   * Authorization header, as upstream's signer does.
   */
  authorization?: () => Promise<string>;
  /** Failed tries are logged here; header values never are. */
  logger?: Logger;
}

/** How one try ended. */
type TryOutcome =
  | { delivered: true }
  | { delivered: false; reason: string; retryable: boolean; retryAfterMs?: number | undefined };

export class WebhookDeliverer implements Deliverer {
  readonly name = WEBHOOK_DELIVERER_NAME;
  readonly direct = false;

  readonly #config: WebhookConfig;
  readonly #target: WebhookTarget;
  readonly #headers: Headers;
  readonly #signatureKey: Uint8Array | undefined;
  readonly #authorization: (() => Promise<string>) | undefined;
  readonly #log: Logger | undefined;
  // Our own pool, so close() can end its keep-alive connections.
  readonly #agent: Agent;
  #closed = false;

  constructor(config: WebhookConfig, options: WebhookDelivererOptions = {}) {
    this.#config = config;
    this.#target = webhookTarget(config.target);
    this.#headers = baseHeaders(config);
    this.#signatureKey = config.signature_key === undefined ? undefined : Buffer.from(config.signature_key, 'base64');
    this.#authorization = options.authorization;
    this.#log = options.logger?.child({ component: 'notifier/webhook', target: this.#target.display });
    // The per-try deadline bounds everything; the agent's own timers must not fire first.
    this.#agent = new Agent({ headersTimeout: config.timeout, bodyTimeout: config.timeout });
  }

  async deliver({ id, signal }: Delivery): Promise<void> {
    const body = callbackMessage(id, this.#config.callback);
    const log = this.#log?.child({ notification_id: id });
    let tries = 0;
    for (;;) {
      if (signal.aborted) throw this.#abandoned(tries);
      tries += 1;
      const outcome = await this.#try(body, signal);
      if (outcome.delivered) {
        log?.debug({ tries }, 'webhook delivered');
        return;
      }
      if (signal.aborted) throw this.#abandoned(tries);
      if (!outcome.retryable) throw this.#failed(tries, `${outcome.reason} (not retried)`);
      if (tries >= this.#config.attempts) throw this.#failed(tries, outcome.reason);
      const wait = retryDelay(this.#config.backoff, tries, outcome.retryAfterMs);
      log?.warn({ try: tries, reason: outcome.reason, retry_in_ms: wait }, 'webhook try failed');
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        throw this.#abandoned(tries);
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#agent.close();
  }

  /** One POST, answer read (bounded) included, within `timeout` ms or until `signal` aborts. */
  async #try(body: Uint8Array, signal: AbortSignal): Promise<TryOutcome> {
    const headers = await this.#tryHeaders(body);
    // A per-try controller rather than AbortSignal.any, whose followers of a
    // long-lived signal are only released late on Node 20.
    const controller = new AbortController();
    const abort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#config.timeout);
    try {
      const response = await fetch(this.#target.url, {
        method: 'POST',
        body,
        headers,
        // A redirected POST becomes a GET that "succeeds" without the body; and credentials must not follow.
        redirect: 'manual',
        signal: controller.signal,
        dispatcher: this.#agent,
      });
      await discardBody(response.body as ReadableStream<Uint8Array> | null);
      const status = response.status;
      if (status >= 200 && status < 300) return { delivered: true };
      const retryAfterMs = honoursRetryAfter(status) ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
      return { delivered: false, reason: `status ${status}`, retryable: isRetryableStatus(status), retryAfterMs };
    } catch (err) {
      const reason = timedOut ? `no answer within ${this.#config.timeout} ms` : `network error: ${describeNetworkError(err)}`;
      return { delivered: false, reason, retryable: true };
    } finally {
      clearTimeout(deadline);
      signal.removeEventListener('abort', abort);
    }
  }

  async #tryHeaders(body: Uint8Array): Promise<Headers> {
    const headers = new Headers(this.#headers);
    if (this.#authorization !== undefined) {
      try {
        headers.set('authorization', await this.#authorization());
      } catch (err) {
        throw clairError('DELIVERY_FAILED', `webhook: delivering to ${this.#target.display} failed: no authorization token could be made`, { cause: err });
      }
    }
    if (this.#signatureKey !== undefined) {
      headers.set(SIGNATURE_HEADER, signatureValue(this.#signatureKey, body, Math.floor(Date.now() / 1000)));
    }
    return headers;
  }

  #failed(tries: number, reason: string): ClairError {
    return clairError('DELIVERY_FAILED', `webhook: delivering to ${this.#target.display} failed after ${countTries(tries)}: ${reason}`);
  }

  #abandoned(tries: number): ClairError {
    return clairError('DELIVERY_FAILED', `webhook: delivering to ${this.#target.display} abandoned after ${countTries(tries)}: shutting down`);
  }
}

const countTries = (n: number) => `${n} ${n === 1 ? 'try' : 'tries'}`;

/** fetch reports "fetch failed" and puts the socket error (ECONNREFUSED…) in `cause`. */
function describeNetworkError(err: unknown): string {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  if (typeof code !== 'string') return cause.message || cause.name;
  // A multi-address connect fails with an AggregateError whose message is empty.
  return cause.message.includes(code) ? cause.message : `${code}${cause.message ? `: ${cause.message}` : ''}`;
}
