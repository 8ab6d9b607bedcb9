/**
 * @module Schema migrations. Each service owns numbered SQL files under
 * `migrations/<service>/NNNN-name.sql` and records what it applied in its own
 * table, so services sharing one database never collide. Migrating takes the
 * cluster-wide `migrations` lock, so replicas starting together migrate once;
 * each file runs in its own transaction.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { clairError } from '../lib/errors.js';
import type { Database } from './database.js';

export const SERVICES = ['indexer', 'matcher', 'notifier'] as const;
export type Service = (typeof SERVICES)[number];

/** Where each service records its applied migrations. */
export const MIGRATION_TABLES: Record<Service, string> = {
  indexer: 'libindex_migrations',
  matcher: 'libvuln_migrations',
  notifier: 'notifier_migrations',
};

/** The same key claircore's migration lock uses, shared by every service. */
export const MIGRATION_LOCK = 'migrations';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Same depth from src/store and dist/store, so this works built or not.
const MIGRATIONS_ROOT = fileURLToPath(new URL('../../migrations/', import.meta.url));

const FILE_PATTERN = /^(\d{4})-([a-z0-9-]+)\.sql$/;

/** Reads a service's migrations in version order, checking they are numbered 1, 2, 3, … */
export async function loadMigrations(service: Service, root = MIGRATIONS_ROOT): Promise<Migration[]> {
  const dir = `${root}${service}/`;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw clairError('STORE_MIGRATION', `store: migration file ${service}/${file} is not named NNNN-name.sql`);
    const version = Number(match[1]);
    if (version !== migrations.length + 1) {
      throw clairError('STORE_MIGRATION', `store: migration ${service}/${file} is out of sequence (expected ${migrations.length + 1})`);
    }
    migrations.push({ version, name: match[2]!, sql: await readFile(dir + file, 'utf8') });
  }
  return migrations;
}

async function ensureTable(db: Database, table: string): Promise<void> {
  await db.exec(
    `CREATE TABLE IF NOT EXISTS ${table} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
}

async function appliedVersions(db: Database, table: string): Promise<Set<number>> {
  const { rows } = await db.query<{ version: number }>(`SELECT version FROM ${table}`);
  return new Set(rows.map((r) => r.version));
}

/**
 * Applies every pending migration of `service`. Returns the versions this call
 * applied (empty when another replica already did the work).
 */
export async function migrate(db: Database, service: Service, log?: Logger, migrations?: Migration[]): Promise<number[]> {
  const all = migrations ?? (await loadMigrations(service));
  const table = MIGRATION_TABLES[service];
  const lease = await db.lock(MIGRATION_LOCK);
  try {
    await ensureTable(db, table);
    const done = await appliedVersions(db, table);
    const applied: number[] = [];
    for (const m of all) {
      if (done.has(m.version)) continue;
      try {
        await db.transaction(async (tx) => {
          await tx.exec(m.sql);
          await tx.query(`INSERT INTO ${table} (version, name) VALUES ($1, $2)`, [m.version, m.name]);
        });
      } catch (cause) {
        throw clairError('STORE_MIGRATION', `store: ${service} migration ${m.version} (${m.name}) failed: ${(cause as Error).message}`, { cause });
      }
      applied.push(m.version);
      log?.info({ service, version: m.version, migration: m.name }, 'migration applied');
    }
    return applied;
  } finally {
    await lease.release();
  }
}

/**
 * With `migrations: false` the schema must already be current: this checks
 * it and names what is missing, rather than failing later on a missing table.
 */
export async function assertMigrated(db: Database, service: Service, migrations?: Migration[]): Promise<void> {
  const all = migrations ?? (await loadMigrations(service));
  const table = MIGRATION_TABLES[service];
  const { rows } = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
  if (!rows[0]?.present) {
    throw clairError('STORE_NOT_MIGRATED', `store: ${service} schema is not initialised; set ${service}.migrations: true`);
  }
  const done = await appliedVersions(db, table);
  const pending = all.filter((m) => !done.has(m.version)).map((m) => m.version);
  if (pending.length > 0) {
    throw clairError('STORE_NOT_MIGRATED', `store: ${service} schema is missing migrations ${pending.join(', ')}; set ${service}.migrations: true or apply them`);
  }
}
