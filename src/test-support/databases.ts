/**
 * @module Databases for tests: a fresh PostgreSQL database per call (created
 * on the server at CLAIR_TEST_PG, default 127.0.0.1:5432/test, and dropped
 * afterwards), and fresh embedded ones. Store suites run against both.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { acquireEmbeddedServer, type EmbeddedServer } from '../store/embedded/server.js';
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

let shared: Promise<{ dir: string; server: EmbeddedServer }> | undefined;

/**
 * The test process's embedded server, in a temporary data directory: started
 * once and held until the process exits (its watchdog then stops it), so each
 * test database costs only a CREATE DATABASE.
 */
function sharedEmbeddedServer(): Promise<{ dir: string; server: EmbeddedServer }> {
  shared ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clair-test-embedded-'));
    chmodSync(dir, 0o711); // the server's own user must be able to enter it
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    return { dir, server: await acquireEmbeddedServer(dir) };
  })();
  return shared;
}

/** A fresh database on the test process's embedded server, dropped by `drop`. */
export async function createEmbeddedDatabase(): Promise<TestDatabase> {
  const { dir, server } = await sharedEmbeddedServer();
  const name = `clair_test_${randomBytes(6).toString('hex')}`;
  await server.ensureDatabase(name);
  return {
    connstring: `embedded://${dir}?dbname=${name}`,
    drop: () => server.dropDatabase(name),
  };
}

/** A fresh embedded data directory of its own (its own server), removed by `drop`. */
export async function createEmbeddedDirectory(): Promise<TestDatabase & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'clair-test-dir-'));
  chmodSync(dir, 0o711);
  return {
    dir,
    connstring: `embedded://${dir}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type Backend = 'postgres' | 'embedded';
export const BACKENDS: readonly Backend[] = ['postgres', 'embedded'];

/** A fresh database of the given backend. */
export function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  return backend === 'postgres' ? createPostgresDatabase() : createEmbeddedDatabase();
}
