/**
 * @module The embedded store: PostgreSQL compiled to WebAssembly (PGlite),
 * in a data directory or in memory. Same SQL and migrations as PostgreSQL.
 * PGlite runs one statement at a time, so there is no pool; and only this
 * process can open the directory, so in-process locks are cluster-wide.
 */
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { clairError, isClairError } from '../../lib/errors.js';
import type { Database, Lease, Queryable, QueryResult } from '../database.js';
import { LocalLocks, retryLock } from '../locks.js';
import { lockDataDir, type DirLock } from './dir-lock.js';

interface PgliteLike {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

function wrap(target: PgliteLike): Queryable {
  return {
    async query<R extends object>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const result = await target.query<R>(text, params ? [...params] : undefined);
      return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
  };
}

export class EmbeddedDatabase implements Database {
  readonly kind = 'embedded' as const;
  readonly display: string;
  readonly #db: PGlite;
  readonly #dirLock: DirLock | undefined;
  readonly #local = new LocalLocks();
  readonly #queryable: Queryable;
  #closed = false;

  private constructor(db: PGlite, display: string, dirLock: DirLock | undefined) {
    this.#db = db;
    this.display = display;
    this.#dirLock = dirLock;
    this.#queryable = wrap(db as unknown as PgliteLike);
  }

  /** Opens (creating if needed) the database in `dir`, or in memory when `dir` is undefined. */
  static async open(dir: string | undefined, display: string): Promise<EmbeddedDatabase> {
    let dirLock: DirLock | undefined;
    if (dir !== undefined) {
      mkdirSync(dir, { recursive: true });
      dirLock = await lockDataDir(dir);
    }
    try {
      // Loaded lazily: the WebAssembly module is large and PostgreSQL users never need it.
      const { PGlite } = await import('@electric-sql/pglite');
      const db = new PGlite(dir ?? 'memory://');
      await db.waitReady;
      return new EmbeddedDatabase(db, display, dirLock);
    } catch (cause) {
      await dirLock?.release();
      if (isClairError(cause)) throw cause;
      throw clairError('STORE_CONNECT', `store: cannot open ${display}: ${(cause as Error).message}`, { cause });
    }
  }

  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.#queryable.query<R>(text, params);
  }

  exec(sql: string): Promise<void> {
    return this.#queryable.exec(sql);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) => fn(wrap(tx as unknown as PgliteLike)));
  }

  async tryLock(name: string): Promise<Lease | undefined> {
    if (!this.#local.tryAcquire(name)) return undefined;
    let held = true;
    return {
      key: name,
      release: async () => {
        if (!held) return;
        held = false;
        this.#local.release(name);
      },
    };
  }

  lock(name: string, options: { signal?: AbortSignal; maxBackoffMs?: number } = {}): Promise<Lease> {
    return retryLock(() => this.tryLock(name), options);
  }

  async ping(): Promise<void> {
    if (this.#closed) throw clairError('STORE_CONNECT', `store: ${this.display} is closed`);
    await this.#db.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#db.close();
    } finally {
      await this.#dirLock?.release();
    }
  }
}
