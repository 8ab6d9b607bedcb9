/**
 * @module The lock contract engines are given: cluster-wide named locks, as
 * claircore's ctxlock. On PostgreSQL they exclude every process using the
 * same database; on the embedded store, which one process owns, other tasks
 * of that process.
 */

/** A held lock. Releasing twice is harmless. */
export interface Lease {
  readonly key: string;
  /**
   * Aborted (with a `STORE_LOCK_LOST` error) if the lock is lost before it
   * is released: on PostgreSQL, when the session holding it dies. Another
   * process may then take it, so work that must not run twice stops here
   * and is retried under a new lease.
   */
  readonly lost: AbortSignal;
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
