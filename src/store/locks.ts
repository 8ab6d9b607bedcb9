/**
 * @module Lock keys and the in-process half of every lock.
 *
 * PostgreSQL advisory locks are held per session and are re-entrant, so two
 * tasks of one process sharing the lock connection would both "hold" the same
 * key. Every lock therefore first takes an in-process keyed mutex, then (on
 * PostgreSQL) the advisory lock that excludes other processes.
 */
import { setTimeout as sleep } from 'node:timers/promises';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/**
 * The advisory-lock key of a string: FNV-1a-64 over its UTF-8 bytes, read as
 * a signed 64-bit integer, as claircore's ctxlock does. Returned as a decimal
 * string so it can be passed as a `bigint` parameter by both drivers.
 */
export function lockKey(name: string): string {
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(name, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return BigInt.asIntN(64, hash).toString();
}

/** Non-blocking keyed mutex for one process. */
export class LocalLocks {
  readonly #held = new Set<string>();

  tryAcquire(key: string): boolean {
    if (this.#held.has(key)) return false;
    this.#held.add(key);
    return true;
  }

  release(key: string): void {
    this.#held.delete(key);
  }

  get size(): number {
    return this.#held.size;
  }
}

export const DEFAULT_MAX_BACKOFF_MS = 10_000; // ctxlock caps its retry back-off at 10 s

/**
 * Turns a `tryLock` into a blocking `lock`: retries with doubling back-off
 * starting at 50 ms, capped at `maxBackoffMs`, until it succeeds or `signal`
 * aborts.
 */
export async function retryLock<L>(
  tryLock: () => Promise<L | undefined>,
  options: { signal?: AbortSignal; maxBackoffMs?: number } = {},
): Promise<L> {
  const max = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  let delay = 50;
  for (;;) {
    options.signal?.throwIfAborted();
    const lease = await tryLock();
    if (lease !== undefined) return lease;
    try {
      await sleep(delay, undefined, options.signal ? { signal: options.signal } : undefined);
    } catch (err) {
      // Surface the caller's reason rather than a generic AbortError.
      throw options.signal?.aborted ? options.signal.reason : err;
    }
    delay = Math.min(delay * 2, max);
  }
}
