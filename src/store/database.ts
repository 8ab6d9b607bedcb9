/**
 * @module The database contract. There is one SQL engine, PostgreSQL: an
 * external server, or the embedded server this process runs (`embedded/`);
 * both run the same SQL, migrations and advisory locks through `pg`.
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
  /**
   * Settles with the reason when the database is gone for good and nothing in
   * this process can bring it back: the embedded server stopped on its own.
   * Absent for an external server, whose restarts the pool rides out.
   */
  readonly lost?: Promise<Error> | undefined;
  close(): Promise<void>;
}
