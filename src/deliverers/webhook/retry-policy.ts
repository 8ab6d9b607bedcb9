/**
 * @module When a failed webhook try is worth repeating, and how long to wait
 * first: exponential backoff from `notifier.webhook.backoff`, stretched by
 * the receiver's `Retry-After` on 429 and 503, never beyond {@link MAX_DELAY_MS}.
 */

/** Ceiling of any single wait between tries: 5 minutes. */
export const MAX_DELAY_MS = 5 * 60_000;

/**
 * Statuses that may succeed within seconds: timeouts, "too early", rate
 * limits and server errors. Any other 4xx (and a 3xx, since redirects are
 * not followed) will not get better by asking again now; the delivery loop
 * tries again on a later round anyway.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** The statuses whose `Retry-After` is honoured (RFC 9110 §10.2.3 names 503 and 3xx; RFC 6585 adds 429). */
export function honoursRetryAfter(status: number): boolean {
  return status === 429 || status === 503;
}

/** Parses `Retry-After` (delay seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Every HTTP-date form names a day or month; Date.parse alone would take "-1" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Milliseconds to wait after the `failedTries`-th failed try (1 = after the
 * first): `backoff`, then twice that, four times… A longer `retryAfterMs`
 * wins. Both are capped at {@link MAX_DELAY_MS}. No jitter: the wait is
 * documented exactly, and deliveries of different notifications are not
 * synchronised anyway.
 */
export function retryDelay(backoff: number, failedTries: number, retryAfterMs?: number): number {
  const step = backoff * 2 ** Math.max(0, failedTries - 1);
  return Math.min(MAX_DELAY_MS, Math.max(step, retryAfterMs ?? 0));
}
