/**
 * @module rpm's SQLite database, `rpmdb.sqlite` (claircore
 * `internal/rpm/sqlite`): header blobs are the `blob` column of table
 * `Packages(hnum, blob)`, read in `hnum` order.
 *
 * The file is opened in memory with sql.js (SQLite compiled to wasm); nothing
 * is written back. Images usually ship the database in WAL mode; only the
 * main file is read (as claircore does), and its header is switched to
 * rollback-journal mode in our private copy so SQLite does not look for a
 * `-wal`/`-shm` pair that an in-memory file system cannot provide.
 */
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { isClairError } from '../../lib/errors.js';
import { rpmError } from './errors.js';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

let engine: Promise<SqlJsStatic> | undefined;

/** The sql.js module, loaded once per process. */
function sqlJs(): Promise<SqlJsStatic> {
  engine ??= initSqlJs();
  return engine;
}

/**
 * Every header blob in an `rpmdb.sqlite`, in `hnum` order.
 *
 * @throws {ClairError} `RPM_DB_INVALID` when the file is not an SQLite
 *   database or has no `Packages` table ("not an rpm database").
 */
export async function sqliteHeaderBlobs(file: Buffer): Promise<Buffer[]> {
  if (file.length < 100 || !file.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw rpmError('sqlite: not an SQLite database');
  }
  const copy = Buffer.from(file);
  // Bytes 18 and 19: file format write/read versions; 2 means WAL.
  if (copy[18] === 2) copy[18] = 1;
  if (copy[19] === 2) copy[19] = 1;
  const SQL = await sqlJs();
  let db: InstanceType<SqlJsStatic['Database']>;
  try {
    db = new SQL.Database(copy);
  } catch (cause) {
    throw rpmError('sqlite: unable to open db', cause);
  }
  try {
    const tables = db.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'Packages'`);
    if (tables.length === 0) throw rpmError('sqlite: not an rpm database');
    const out: Buffer[] = [];
    const stmt = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum ASC');
    try {
      while (stmt.step()) {
        const blob = stmt.get()[1];
        if (!(blob instanceof Uint8Array)) throw rpmError('sqlite: scan error: blob is not binary');
        out.push(Buffer.from(blob));
      }
    } finally {
      stmt.free();
    }
    return out;
  } catch (cause) {
    if (isClairError(cause)) throw cause;
    throw rpmError('sqlite: sql error', cause);
  } finally {
    db.close();
  }
}
