/**
 * @module Counts the SQL an indexer sends for one image, by statement, for
 * the capacity plan in docs/benchmarks.md: the distributed benchmark sees
 * about 215 transactions per image in `pg_stat_database`, and this says
 * which statements they are. It indexes the benchmark's generated images
 * (bench/support/debian-images.ts) with an in-process indexer on a fresh
 * PostgreSQL database whose `Database` is wrapped to count calls: first a
 * warm-up that scans the shared layers, then `images` measured images.
 *
 * Run: npx tsx bench/support/statements-per-image.ts [images]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/open.js';
import { migrate } from '../../src/store/migrate.js';
import { createIndexer } from '../../src/app/indexer.js';
import { DEFAULT_ECOSYSTEMS, DEFAULT_RESOLVERS } from '../../src/app/defaults/ecosystems.js';
import { defaultMatchers } from '../../src/app/defaults/matchers.js';
import { httpLayerOpener } from '../../src/indexer/layer-opener.js';
import { createLogger } from '../../src/lib/logger.js';
import { createPostgresDatabase, postgresUnavailable } from '../../src/test-support/databases.js';
import type { Database, Queryable } from '../../src/store/database.js';
import { serveDebianImages } from './debian-images.js';

const RUNTIMES = 8;

/** What a wrapped database saw while counting was on. */
interface Tally {
  counting: boolean;
  /** Statement (its first words) → calls; `autocommit:` marks statements outside an explicit transaction. */
  statements: Map<string, number>;
  transactions: number;
  locks: number;
}

const shape = (text: string): string => text.trim().split(/\s+/).slice(0, 4).join(' ');

function countingQueryable(q: Queryable, tally: Tally, prefix: string): Queryable {
  return {
    query: (text, params) => {
      if (tally.counting) tally.statements.set(prefix + shape(text), (tally.statements.get(prefix + shape(text)) ?? 0) + 1);
      return q.query(text, params);
    },
    exec: (sql) => q.exec(sql),
  };
}

/** `db` with every statement, transaction and lock call counted into `tally`. */
function countingDatabase(db: Database, tally: Tally): Database {
  const autocommit = countingQueryable(db, tally, 'autocommit: ');
  return {
    kind: db.kind,
    display: db.display,
    lost: db.lost,
    query: autocommit.query,
    exec: autocommit.exec,
    transaction: (fn) => {
      if (tally.counting) tally.transactions++;
      return db.transaction((tx) => fn(countingQueryable(tx, tally, '')));
    },
    tryLock: (key) => {
      if (tally.counting) tally.locks++;
      return db.tryLock(key);
    },
    lock: (key, options) => {
      if (tally.counting) tally.locks++;
      return db.lock(key, options);
    },
    ping: () => db.ping(),
    close: () => db.close(),
  };
}

const measured = Number(process.argv[2] ?? 4);
if (!Number.isInteger(measured) || measured < 1) throw new Error(`images "${process.argv[2]}" must be a positive integer`);
const unavailable = await postgresUnavailable();
if (unavailable) {
  console.log(`statements per image: skipped: ${unavailable}`);
  process.exit(0);
}
const spool = mkdtempSync(join(tmpdir(), 'clair-statements-'));
const sourceNames = Array.from({ length: 600 }, (_, i) => `pkg${i}`);
const images = await serveDebianImages({ images: RUNTIMES + measured, runtimes: RUNTIMES, basePackages: 80, runtimePackages: 20, appPackages: 5, appLayerBytes: 1024, sourceNames });
const target = await createPostgresDatabase();
const db = await openDatabase(target.connstring, { dataDir: spool });
try {
  await migrate(db, 'indexer');
  const tally: Tally = { counting: false, statements: new Map(), transactions: 0, locks: 0 };
  const indexer = await createIndexer({
    db: countingDatabase(db, tally), ecosystems: DEFAULT_ECOSYSTEMS, resolvers: DEFAULT_RESOLVERS, matchers: defaultMatchers(),
    layerConcurrency: 10, lockRetryMs: 1000, log: createLogger('silent'), openLayer: httpLayerOpener({ spool: { dir: spool } }),
  });
  // The warm-up scans the base layer and every runtime layer, so each measured image brings one new layer, as in the benchmark.
  for (const image of images.images.slice(0, RUNTIMES)) await indexer.index(image.manifest);
  tally.counting = true;
  for (const image of images.images.slice(RUNTIMES)) {
    const report = await indexer.index(image.manifest);
    if (report.state !== 'IndexFinished') throw new Error(`index ${image.manifest.hash}: ${report.state}: ${report.err}`);
  }
  const total = [...tally.statements.values()].reduce((a, b) => a + b, 0);
  console.log(`per image (3 layers, 1 of them new): ${(total / measured).toFixed(1)} statements, ${(tally.transactions / measured).toFixed(1)} explicit transactions, ${(tally.locks / measured).toFixed(1)} lock calls`);
  for (const [statement, n] of [...tally.statements].sort((a, b) => b[1] - a[1])) console.log(`  ${(n / measured).toFixed(1).padStart(6)}  ${statement}`);
} finally {
  await db.close();
  await target.drop();
  await images.close();
  rmSync(spool, { recursive: true, force: true });
}
