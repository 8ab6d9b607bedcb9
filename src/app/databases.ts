/**
 * @module Opens each node type's database. Node types whose connstrings name
 * the same database share one handle and pool (two `memory://` connstrings
 * name the same throw-away database); their tables never collide, so sharing
 * is safe. Databases on one embedded data directory share its server.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { parseConnString } from '../store/connstring.js';
import type { Database } from '../store/database.js';
import { assertMigrated, migrate, type Service } from '../store/migrate.js';
import { openTarget } from '../store/open.js';

const APPLICATION_NAMES: Record<Service, string> = { indexer: 'libindex', matcher: 'libvuln', notifier: 'notifier' };

export interface ServiceDatabases {
  get(service: Service): Database;
  /** Every distinct handle, for health checks and shutdown. */
  all(): Database[];
  close(): Promise<void>;
}

export async function openServiceDatabases(config: Config, services: readonly Service[], log: Logger): Promise<ServiceDatabases> {
  const byKey = new Map<string, Promise<Database>>();
  const byService = new Map<Service, Database>();
  try {
    for (const service of services) {
      const section = config[service];
      const target = parseConnString(section.connstring, `${config.data_dir}`);
      const key = target.kind === 'embedded' ? (target.dir === undefined ? 'memory' : `embedded:${target.dir}/${target.database}`) : JSON.stringify(target.config);
      let opening = byKey.get(key);
      if (!opening) {
        opening = openTarget(target, { applicationName: APPLICATION_NAMES[service], log });
        byKey.set(key, opening);
      }
      const db = await opening;
      log.info({ service, database: db.display, kind: db.kind }, 'database open');
      if (section.migrations || target.kind === 'embedded') {
        // The embedded store always migrates: it has no operator to run them.
        const applied = await migrate(db, service, log);
        log.info({ service, applied }, 'migrations done');
      } else {
        await assertMigrated(db, service);
      }
      byService.set(service, db);
    }
  } catch (err) {
    await Promise.allSettled([...byKey.values()].map(async (p) => (await p).close()));
    throw err;
  }
  const distinct = [...new Set(byService.values())];
  return {
    get(service) {
      const db = byService.get(service);
      if (!db) throw new Error(`no database opened for ${service}`);
      return db;
    },
    all: () => distinct,
    close: async () => {
      await Promise.allSettled(distinct.map((db) => db.close()));
    },
  };
}
