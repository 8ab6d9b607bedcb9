/**
 * @module Databases for tests: a fresh PostgreSQL database per call (created
 * on the server at CLAIR_TEST_PG, default 127.0.0.1:5432/test, and dropped
 * afterwards), and fresh embedded ones. Store suites run against both.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL = process.env.CLAIR_TEST_PG ?? 'postgresql://postgres@127.0.0.1:5432/test';

let reachable: Promise<string | undefined> | undefined;

/**
 * Resolves `undefined` if PostgreSQL answers, else the reason it does not.
 * Outside CI an unreachable server skips PostgreSQL tests; in CI (CI set) the
 * tests fail instead, because .ci/run is meant to have started it.
 */
export function postgresUnavailable(): Promise<string | undefined> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (err) {
      if (process.env.CI) throw new Error(`PostgreSQL at ${ADMIN_URL} is required in CI: ${(err as Error).message}`);
      return `PostgreSQL at ${ADMIN_URL} is unreachable (${(err as Error).message}); set CLAIR_TEST_PG`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

export interface TestDatabase {
  /** A connstring for the fresh database. */
  connstring: string;
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database with a random name. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `clair_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    connstring: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

let template: Promise<string> | undefined;

/**
 * An initialised, empty embedded data directory, made once per test process:
 * copying it is much faster than PGlite's initdb for every test database.
 */
function embeddedTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clair-template-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite(join(dir, 'db'));
    await db.waitReady;
    await db.close();
    return join(dir, 'db');
  })();
  return template;
}

/** A fresh directory for an embedded database, removed by `drop`. */
export async function createEmbeddedDirectory(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'clair-test-'));
  const dbDir = join(dir, 'db');
  cpSync(await embeddedTemplate(), dbDir, { recursive: true });
  return {
    connstring: `pglite://${dbDir}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type Backend = 'postgres' | 'embedded';
export const BACKENDS: readonly Backend[] = ['postgres', 'embedded'];

/** A fresh database of the given backend. */
export function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  return backend === 'postgres' ? createPostgresDatabase() : createEmbeddedDirectory();
}
