/**
 * @module The lock contract engines are given: cluster-wide named locks, as
 * claircore's ctxlock. On PostgreSQL they exclude every process using the
 * same database; on the embedded store, which one process owns, other tasks
 * of that process.
 */

/** A held lock. Releasing twice is harmless. */
export interface Lease {
  readonly key: string;
  release(): Promise<void>;
}

export interface Locker {
  /** Takes the lock named `key` if it is free, else resolves `undefined` at once. */
  tryLock(key: string): Promise<Lease | undefined>;
  /**
   * Waits for the lock named `key`, retrying with doubling back-off capped at
   * `maxBackoffMs`. Rejects with the signal's reason if `signal` aborts first.
   */
  lock(key: string, options?: { signal?: AbortSignal; maxBackoffMs?: number }): Promise<Lease>;
}
