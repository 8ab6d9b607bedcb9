/**
 * @module dnf history databases (claircore `internal/dnf`): which dnf
 * repository ("repoid") each installed rpm came from, as dnf 4
 * (`var/lib/dnf/history.sqlite`) and dnf 5
 * (`usr/lib/sysimage/libdnf5/transaction_history.sqlite`) record it.
 *
 * For every rpm the latest transaction item that is not a removal names the
 * repository; claircore's SQL is used unchanged, except that the per-package
 * lookup is run once for all packages and kept in a map (the NEVRA is unique
 * in both schemas, so the answers are the same).
 *
 * The database is opened in memory with sql.js; nothing is written back.
 */
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import type { LayerFS } from '../../indexer/layer-fs.js';
import { RPM_DB_READ_LIMIT } from '../rpm/index.js';
import { scannerError } from '../internal/layer-files.js';

/** dnf 5's history database; looked for first, as claircore does. */
export const DNF5_HISTORY_PATH = 'usr/lib/sysimage/libdnf5/transaction_history.sqlite';
/** dnf 4's (libdnf "swdb") history database. */
export const DNF4_HISTORY_PATH = 'var/lib/dnf/history.sqlite';

/** libdnf's `TransactionItemAction::REMOVE`. */
const DNF4_ACTION_REMOVE = 8;

/** claircore `sql/dnf4_all_repoids.sql`. */
const DNF4_ALL_REPOIDS = `
SELECT DISTINCT repoid
FROM trans_item
  JOIN (SELECT max(id) AS uniq FROM trans_item WHERE action <> ${DNF4_ACTION_REMOVE} GROUP BY item_id) ON (uniq = trans_item.id)
  JOIN repo ON (repo.id = repo_id)`;

/** claircore `sql/dnf5_all_repoids.sql`. */
const DNF5_ALL_REPOIDS = `
SELECT DISTINCT repoid
FROM trans_item
  JOIN (
    SELECT max(i.id) AS uniq
    FROM trans_item AS i JOIN trans_item_action AS a ON (i.action_id = a.id)
    WHERE a.Name <> 'Remove'
    GROUP BY i.item_id
  ) ON (uniq = trans_item.id)
  JOIN repo ON (repo.id = repo_id)`;

/** claircore `sql/dnf4_repoid_for_package.sql`, for every package at once. */
const DNF4_PACKAGE_REPOIDS = `
SELECT rpm.name, rpm.epoch, rpm.version, rpm.release, rpm.arch, repo.repoid
FROM trans_item
  JOIN (SELECT max(id) AS uniq FROM trans_item WHERE action <> ${DNF4_ACTION_REMOVE} GROUP BY item_id) ON (uniq = trans_item.id)
  JOIN repo ON (repo.id = trans_item.repo_id)
  JOIN rpm ON (rpm.item_id = trans_item.item_id)`;

/** claircore `sql/dnf5_repoid_for_package.sql`, for every package at once. */
const DNF5_PACKAGE_REPOIDS = `
SELECT n.name, r.epoch, r.version, r.release, arch.name, repo.repoid
FROM trans_item
  JOIN (
    SELECT max(i.id) AS uniq
    FROM trans_item AS i JOIN trans_item_action AS a ON (i.action_id = a.id)
    WHERE a.Name <> 'Remove'
    GROUP BY i.item_id
  ) ON (uniq = trans_item.id)
  JOIN repo ON (repo.id = trans_item.repo_id)
  JOIN rpm AS r ON (r.item_id = trans_item.item_id)
  JOIN pkg_name AS n ON (r.name_id = n.id)
  JOIN arch ON (r.arch_id = arch.id)`;

let engine: Promise<SqlJsStatic> | undefined;

function sqlJs(): Promise<SqlJsStatic> {
  engine ??= initSqlJs();
  return engine;
}

/** An rpm's identity as the history database keys it. */
export interface Nevra {
  name: string;
  epoch: string;
  version: string;
  release: string;
  arch: string;
}

/** What one history database says. */
export interface DnfHistory {
  /** Which of the two databases was read. */
  path: string;
  /** Every repoid an installed (not removed-last) item came from, as the database lists them. */
  repoids: string[];
  /** The repoid the rpm `nevra` was installed from, if recorded. */
  repoidFor(nevra: Nevra): string | undefined;
}

const key = (n: Nevra): string => `${n.name}\0${normalEpoch(n.epoch)}\0${n.version}\0${n.release}\0${n.arch}`;

/** SQLite compares the INTEGER epoch column numerically; so must the map key. */
function normalEpoch(epoch: string): string {
  return /^[0-9]+$/.test(epoch) ? String(Number(epoch)) : epoch;
}

/**
 * Reads the layer's dnf history database, if it has one.
 *
 * @throws {ClairError} `SCANNER_FAILED` naming `scanner` when the file is
 *   not a readable SQLite database of either schema (claircore fails the
 *   scan too).
 */
export async function readDnfHistory(layer: LayerFS, scanner: string): Promise<DnfHistory | undefined> {
  const path = [DNF5_HISTORY_PATH, DNF4_HISTORY_PATH].find((p) => layer.stat(p)?.type === 'file');
  if (path === undefined) return undefined;
  let file: Buffer;
  try {
    file = Buffer.from(await layer.readFile(path, { maxBytes: RPM_DB_READ_LIMIT }));
  } catch (cause) {
    throw scannerError(scanner, `unable to read dnf history ${JSON.stringify(path)}`, cause);
  }
  // dnf keeps its history in WAL mode; only the main file is in the layer, so
  // switch our private copy to rollback-journal mode (bytes 18 and 19).
  if (file.length >= 100) {
    if (file[18] === 2) file[18] = 1;
    if (file[19] === 2) file[19] = 1;
  }
  const SQL = await sqlJs();
  let db: Database;
  try {
    db = new SQL.Database(file);
  } catch (cause) {
    throw scannerError(scanner, `unable to open dnf history ${JSON.stringify(path)}`, cause);
  }
  try {
    const tables = new Set(rows(db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).map((r) => String(r[0])));
    // claircore's pickQueries: dnf 5 only when both `config` and `trans_item_action` exist.
    const dnf5 = tables.has('config') && tables.has('trans_item_action');
    const repoids = rows(db, dnf5 ? DNF5_ALL_REPOIDS : DNF4_ALL_REPOIDS).map((r) => String(r[0]));
    const byNevra = new Map<string, string>();
    for (const [name, epoch, version, release, arch, repoid] of rows(db, dnf5 ? DNF5_PACKAGE_REPOIDS : DNF4_PACKAGE_REPOIDS)) {
      const k = key({ name: String(name), epoch: String(epoch), version: String(version), release: String(release), arch: String(arch) });
      if (!byNevra.has(k)) byNevra.set(k, String(repoid));
    }
    return { path, repoids, repoidFor: (n) => byNevra.get(key(n)) };
  } catch (cause) {
    throw scannerError(scanner, `dnf history ${JSON.stringify(path)} database error: ${(cause as Error).message}`, cause);
  } finally {
    db.close();
  }
}

function rows(db: Database, sql: string): unknown[][] {
  const out: unknown[][] = [];
  const stmt = db.prepare(sql);
  try {
    while (stmt.step()) out.push(stmt.get());
  } finally {
    stmt.free();
  }
  return out;
}
