/**
 * @module The database contract shared by PostgreSQL (`pg`) and the embedded
 * PGlite store. Both run the same SQL and migrations; the differences
 * (connection pooling, how advisory locks exclude other processes) stay behind
 * this interface.
 */
import type { Lease, Locker } from './locker.js';

export type { Lease, Locker };

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

export type DatabaseKind = 'postgres' | 'embedded';

export interface Database extends Queryable, Locker {
  readonly kind: DatabaseKind;
  /** The target without secrets, for logs. */
  readonly display: string;
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
