/**
 * @module What PostgreSQL holds and how it runs the hot queries, for the
 * capacity plan: the on-disk size of every table and index of a database
 * (`pg_table_size`, which counts TOAST, and `pg_relation_size` per index),
 * and `EXPLAIN (ANALYZE, BUFFERS)` of a statement, with its execution time
 * and the relations it read by sequential scan.
 */
import type pg from 'pg';

/** One table: rows, heap (with TOAST) and each index. */
export interface TableSize {
  table: string;
  rows: number;
  /** `pg_table_size`: heap, TOAST, free-space and visibility maps. */
  tableBytes: number;
  indexes: Array<{ name: string; bytes: number }>;
  /** `pg_total_relation_size`: the table and all its indexes. */
  totalBytes: number;
}

/** Commits and inserted rows of one database so far (`pg_stat_database`), to count them per unit of work. */
export async function databaseActivity(client: pg.Client, database: string): Promise<{ commits: number; inserted: number }> {
  const { rows } = await client.query<{ commits: string; inserted: string }>(
    'SELECT xact_commit AS commits, tup_inserted AS inserted FROM pg_stat_database WHERE datname = $1',
    [database],
  );
  return { commits: Number(rows[0]?.commits ?? 0), inserted: Number(rows[0]?.inserted ?? 0) };
}

/** Sizes of every ordinary table of the public schema, largest first. Counts rows exactly, so run it on an idle database. */
export async function tableSizes(client: pg.Client): Promise<TableSize[]> {
  const { rows: tables } = await client.query<{ oid: number; name: string; table_bytes: string; total_bytes: string }>(
    `SELECT c.oid, c.relname AS name, pg_table_size(c.oid) AS table_bytes, pg_total_relation_size(c.oid) AS total_bytes
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC, c.relname`,
  );
  const { rows: indexes } = await client.query<{ table_oid: number; name: string; bytes: string }>(
    `SELECT i.indrelid AS table_oid, c.relname AS name, pg_relation_size(c.oid) AS bytes
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' ORDER BY c.relname`,
  );
  const out: TableSize[] = [];
  for (const t of tables) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${t.name}"`);
    out.push({
      table: t.name,
      rows: Number(rows[0]!.n),
      tableBytes: Number(t.table_bytes),
      indexes: indexes.filter((i) => i.table_oid === t.oid).map((i) => ({ name: i.name, bytes: Number(i.bytes) })),
      totalBytes: Number(t.total_bytes),
    });
  }
  return out;
}

/** A statement's plan as it ran. */
export interface ExplainedQuery {
  /** The plan text, one line per node. */
  plan: string;
  /** Execution time PostgreSQL reported, in ms. */
  executionMs: number;
  /** Relations read by a sequential scan anywhere in the plan. */
  seqScans: string[];
}

/**
 * Runs `EXPLAIN (ANALYZE, BUFFERS)` of `sql` with `params` inside a
 * transaction that is rolled back, so statements that write leave nothing.
 */
export async function explainAnalyze(client: pg.Client, sql: string, params: readonly unknown[] = []): Promise<ExplainedQuery> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [...params]);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN);
    const seqScans = [...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]!);
    return { plan, executionMs, seqScans: [...new Set(seqScans)] };
  } finally {
    await client.query('ROLLBACK');
  }
}

/** How often the sampled backends of a database were in one state. */
export interface BackendState {
  /** `on CPU`, `waiting <type>:<event>`, `idle in transaction` or `idle`; prefixed `lock session` for Clair's advisory-lock sessions. */
  state: string;
  /** Backends seen in this state per sample, on average. */
  backends: number;
}

/**
 * Samples `pg_stat_activity` for the backends of some databases every
 * `intervalMs`, to tell where their time goes: running (no wait event),
 * waiting on a lock, an I/O or the WAL, or idle in a transaction while
 * the client computes its next statement.
 */
export class BackendSampler {
  readonly #client: pg.Client;
  readonly #databases: string[];
  readonly #intervalMs: number;
  readonly #counts = new Map<string, number>();
  #samples = 0;
  #timer: NodeJS.Timeout | undefined;
  #sampling: Promise<void> = Promise.resolve();

  constructor(client: pg.Client, databases: string[], intervalMs = 200) {
    this.#client = client;
    this.#databases = databases;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.#sampling = this.#sampling.then(() => this.#sample()).catch(() => {});
    }, this.#intervalMs);
  }

  /** Stops sampling; the states seen, busiest first. */
  async stop(): Promise<BackendState[]> {
    clearInterval(this.#timer);
    await this.#sampling;
    return [...this.#counts]
      .map(([state, n]) => ({ state, backends: n / Math.max(1, this.#samples) }))
      .sort((a, b) => b.backends - a.backends);
  }

  async #sample(): Promise<void> {
    const { rows } = await this.#client.query<{ state: string | null; wait_event_type: string | null; wait_event: string | null; application_name: string }>(
      "SELECT state, wait_event_type, wait_event, application_name FROM pg_stat_activity WHERE datname = ANY($1::text[]) AND backend_type = 'client backend'",
      [this.#databases],
    );
    this.#samples++;
    for (const r of rows) {
      const state = r.state === 'active' ? (r.wait_event_type ? `waiting ${r.wait_event_type}:${r.wait_event}` : 'on CPU') : (r.state ?? 'unknown');
      // Clair's advisory-lock session (one per process) is told apart: it serializes each process's lock calls.
      const key = r.application_name === 'clair-locks' ? `lock session ${state}` : state;
      this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    }
  }
}
