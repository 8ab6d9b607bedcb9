/** @module Exponential backoff with jitter, and an abortable sleep. */
import { setTimeout as delay } from 'node:timers/promises';

export interface RetryPolicy {
  /** Total tries, including the first (at least 1). */
  attempts: number;
  /** Delay before the first retry, doubled for each further one. */
  baseDelayMs: number;
  /** Ceiling of any single delay. */
  maxDelayMs: number;
}

/** Defaults: 4 tries, 1 s base, 30 s ceiling (about 1 + 2 + 4 s of waiting in the worst case). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000 };

/**
 * Delay before retry number `failures` (1 = after the first failure): half
 * the exponential step plus a random half ("equal jitter"), so clients that
 * failed together do not retry in lockstep. A server's Retry-After wins when
 * it is longer, still bounded by the ceiling.
 */
export function backoffDelay(failures: number, policy: RetryPolicy, retryAfterMs?: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  const jittered = step / 2 + Math.random() * (step / 2);
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Sleeps `ms`; rejects with the signal's reason if it aborts first. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal === undefined ? {} : { signal });
  } catch (err) {
    signal?.throwIfAborted();
    throw err;
  }
}
