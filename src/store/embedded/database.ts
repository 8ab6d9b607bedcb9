/**
 * @module Opening a database on the embedded PostgreSQL server: the server
 * of the target's data directory (started on first use, shared by every
 * database opened on it), the database created if needed, and a pooled
 * connection over the server's Unix socket. Closing gives the server back;
 * a throw-away database (`memory://`) is dropped first.
 */
import type { Logger } from 'pino';
import type { PoolConfig } from 'pg';
import type { Database } from '../database.js';
import { PostgresDatabase } from '../postgres/database.js';
import { acquireEmbeddedServer } from './server.js';

export interface EmbeddedTarget {
  /** The data directory; `undefined` for the process's throw-away server. */
  dir: string | undefined;
  database: string;
  /** Drop the database when it is closed (throw-away databases). */
  dropOnClose: boolean;
  display: string;
}

/** Pool size per database: the same default as for an external PostgreSQL. */
const POOL_MAX = 10;

export async function openEmbedded(target: EmbeddedTarget, options: { applicationName?: string | undefined; log?: Logger | undefined }): Promise<Database> {
  const server = await acquireEmbeddedServer(target.dir, options.log);
  try {
    await server.ensureDatabase(target.database);
    const config: PoolConfig = { host: server.socketDir, port: server.port, user: server.role, database: target.database, max: POOL_MAX };
    if (options.applicationName) config.application_name = options.applicationName;
    return await PostgresDatabase.open(config, target.display, options.log, {
      kind: 'embedded',
      lost: server.lost,
      onClose: async () => {
        if (target.dropOnClose) await server.dropDatabase(target.database).catch(() => {});
        await server.release();
      },
    });
  } catch (err) {
    await server.release();
    throw err;
  }
}
