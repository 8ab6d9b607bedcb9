/**
 * @module The database contract shared by PostgreSQL (`pg`) and the embedded
 * PGlite store. Both run the same SQL and migrations; the differences
 * (connection pooling, how advisory locks exclude other processes) stay behind
 * this interface.
 */

export interface QueryResult<R> {
  rows: R[];
  /** Rows affected by INSERT/UPDATE/DELETE, or returned by SELECT. */
  rowCount: number;
}

/** Anything that runs parameterised SQL: the database itself or a transaction. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements with no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A held advisory lock. Releasing twice is harmless. */
export interface Lease {
  readonly key: string;
  release(): Promise<void>;
}

export type DatabaseKind = 'postgres' | 'embedded';

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** The target without secrets, for logs. */
  readonly display: string;
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Takes the cluster-wide lock named `key` if it is free, else resolves
   * `undefined` at once. Excludes other tasks of this process and, on
   * PostgreSQL, every other process using the same database.
   */
  tryLock(key: string): Promise<Lease | undefined>;
  /**
   * Waits for the lock named `key`, retrying with doubling back-off capped at
   * `maxBackoffMs`. Rejects with the signal's reason if `signal` aborts first.
   */
  lock(key: string, options?: { signal?: AbortSignal; maxBackoffMs?: number }): Promise<Lease>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
