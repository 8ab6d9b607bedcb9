/**
 * @module PostgreSQL through `pg`: a pool for queries and one dedicated
 * session for advisory locks, as claircore's ctxlock keeps one.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { clairError } from '../../lib/errors.js';
import type { Database, DatabaseKind, Lease, Queryable, QueryResult } from '../database.js';
import { LocalLocks, lockKey, retryLock } from '../locks.js';

const INT8_OID = 20;

/** int8 columns come back as numbers while they are exact (ids), bigints beyond. */
function parseInt8(value: string): number | bigint {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : BigInt(value);
}

const typeOverrides: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Parameterised statements are prepared once per connection under a name
 * derived from their text, so PostgreSQL plans each statement shape once.
 * Statement texts are a small fixed set (values always travel as
 * parameters), so the per-connection cache stays small.
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `clair_${createHash('md5').update(text).digest('hex')}`;
    statementNames.set(text, name);
  }
  return name;
}

/** Network errors and SQLSTATEs meaning the server is unreachable, going away or gone. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '3D000']);

/** True when `err` says the database cannot be reached, rather than that a statement is wrong. */
export function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

/** Runs a statement; an unreachable database becomes `STORE_UNAVAILABLE` (HTTP 503), naming the target. */
async function guarded<T>(display: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isUnavailable(err)) throw clairError('STORE_UNAVAILABLE', `store: ${display} is unavailable: ${(err as Error).message}`, { cause: err });
    throw err;
  }
}

function wrap(client: pg.Pool | pg.PoolClient | pg.Client, display: string): Queryable {
  return {
    query<R extends object>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      return guarded(display, async () => {
        const result = params && params.length > 0
          ? await client.query<R>({ name: statementName(text), text, values: params as unknown[] })
          : await client.query<R>(text);
        return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
      });
    },
    exec(sql: string): Promise<void> {
      return guarded(display, async () => {
        await client.query(sql);
      });
    },
  };
}

export interface OpenPostgresOptions {
  /** `embedded` for the server this process runs (default `postgres`). */
  kind?: DatabaseKind;
  /** Runs after the pool is closed, e.g. to release the embedded server. */
  onClose?: () => Promise<void>;
  /** See {@link Database.lost}. */
  lost?: Promise<Error>;
}

export class PostgresDatabase implements Database {
  readonly kind: DatabaseKind;
  readonly display: string;
  readonly lost: Promise<Error> | undefined;
  readonly #pool: pg.Pool;
  readonly #config: pg.PoolConfig;
  readonly #local = new LocalLocks();
  readonly #log: Logger | undefined;
  #lockClient: Promise<pg.Client> | undefined;
  /** The lock session runs one statement at a time: pg clients must not be queried concurrently. */
  #lockQueue: Promise<unknown> = Promise.resolve();
  /** Locks held on the lock session, each with the switch that tells its holder it was lost. */
  readonly #leases = new Map<string, AbortController>();
  readonly #queryable: Queryable;

  readonly #onClose: (() => Promise<void>) | undefined;

  private constructor(config: pg.PoolConfig, display: string, log: Logger | undefined, options: OpenPostgresOptions) {
    this.kind = options.kind ?? 'postgres';
    this.#onClose = options.onClose;
    this.lost = options.lost;
    this.#config = { ...config, types: typeOverrides };
    // Clair's statements are short lookups: JIT compiling them cost 1.3–2.7 s
    // per affected-manifests plan at 100k manifests (docs/benchmarks.md). Set
    // per session rather than as a startup option, which PgBouncer refuses; a
    // server without the setting (before PostgreSQL 11) keeps its default.
    // pg-pool awaits the promise before handing the client out.
    const onConnect = async (client: pg.ClientBase) => void (await client.query('SET jit = off').catch(() => {}));
    this.#pool = new pg.Pool({ ...this.#config, onConnect: onConnect as unknown as (client: pg.ClientBase) => void });
    // An idle client erroring (server restart) must not crash the process.
    this.#pool.on('error', (err) => this.#log?.warn({ err }, 'database pool client error'));
    this.display = display;
    this.#log = log;
    this.#queryable = wrap(this.#pool, display);
  }

  /** Connects and checks the server answers; a failure names the target. */
  static async open(config: pg.PoolConfig, display: string, log?: Logger, options: OpenPostgresOptions = {}): Promise<PostgresDatabase> {
    const db = new PostgresDatabase(config, display, log, options);
    try {
      await db.ping();
    } catch (cause) {
      await db.#pool.end().catch(() => {});
      throw clairError('STORE_CONNECT', `store: cannot connect to ${display}: ${(cause as Error).message}`, { cause });
    }
    return db;
  }

  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.#queryable.query<R>(text, params);
  }

  exec(sql: string): Promise<void> {
    return this.#queryable.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await guarded(this.display, () => this.#pool.connect());
    try {
      await client.query('BEGIN');
      const result = await fn(wrap(client, this.display));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async tryLock(name: string): Promise<Lease | undefined> {
    if (!this.#local.tryAcquire(name)) return undefined;
    try {
      const key = lockKey(name);
      const { rows } = await this.#onLockSession((client) => client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]));
      if (!rows[0]?.locked) {
        this.#local.release(name);
        return undefined;
      }
      const lost = new AbortController();
      this.#leases.set(name, lost);
      let held = true;
      return {
        key: name,
        lost: lost.signal,
        release: async () => {
          if (!held) return;
          held = false;
          // The lock session may have died meanwhile, taking the lock with it.
          if (!this.#leases.delete(name)) return;
          this.#local.release(name);
          if (!this.#lockClient) return;
          await this.#onLockSession((client) => client.query('SELECT pg_advisory_unlock($1::bigint)', [key])).catch(() => {});
        },
      };
    } catch (err) {
      this.#local.release(name);
      throw err;
    }
  }

  lock(name: string, options: { signal?: AbortSignal; maxBackoffMs?: number } = {}): Promise<Lease> {
    return retryLock(() => this.tryLock(name), options);
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    const session = await this.#lockClient?.catch(() => undefined);
    this.#lockClient = undefined;
    await session?.end().catch(() => {});
    await this.#pool.end();
    await this.#onClose?.();
  }

  /** Runs `fn` on the lock session once every earlier lock statement has finished. */
  #onLockSession<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const run = this.#lockQueue.then(async () => fn(await this.#lockSession()));
    this.#lockQueue = run.catch(() => {});
    return run;
  }

  /** The dedicated lock session; if it dies every lock it held is gone too. */
  #lockSession(): Promise<pg.Client> {
    if (this.#lockClient) return this.#lockClient;
    const client = new pg.Client({ ...this.#config, application_name: 'clair-locks' } as pg.ClientConfig);
    const lost = (err?: Error): void => {
      if (this.#lockClient === connecting) this.#lockClient = undefined;
      if (this.#leases.size > 0) this.#log?.error({ err, locks: [...this.#leases.keys()] }, 'database lock session lost');
      const held = [...this.#leases];
      this.#leases.clear();
      for (const [name, controller] of held) {
        this.#local.release(name);
        controller.abort(clairError('STORE_LOCK_LOST', `store: lock "${name}" on ${this.display} was lost with its session${err ? `: ${err.message}` : ''}`));
      }
    };
    client.on('error', lost);
    client.on('end', () => lost());
    const connecting = client.connect().then(
      () => client,
      (err: unknown) => {
        this.#lockClient = undefined;
        throw err;
      },
    );
    this.#lockClient = connecting;
    return connecting;
  }
}
