/**
 * @module The matcher as it runs in this process, on its own database.
 * Matching and update diffs are not built yet and answer not-implemented;
 * update operations are read from the store.
 */
import type { Database } from '../store/database.js';
import { clairError } from '../lib/errors.js';
import type { IndexReport, UpdateDiff, UpdateKind, UpdateOperation, VulnerabilityReport } from '../model/index.js';
import type { MatcherService } from './service.js';

interface UpdateOperationRow {
  ref: string;
  updater: string;
  fingerprint: string;
  date: Date;
  kind: UpdateKind;
}

function toUpdateOperation(row: UpdateOperationRow): UpdateOperation {
  return { ref: row.ref, updater: row.updater, fingerprint: row.fingerprint, date: row.date.toISOString(), kind: row.kind };
}

function byUpdater(rows: UpdateOperationRow[]): Record<string, UpdateOperation[]> {
  const out: Record<string, UpdateOperation[]> = {};
  for (const row of rows) (out[row.updater] ??= []).push(toUpdateOperation(row));
  return out;
}

const UO_COLUMNS = 'ref::text AS ref, updater, fingerprint, date, kind';

export class LocalMatcher implements MatcherService {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async initialized(): Promise<boolean> {
    const { rows } = await this.#db.query<{ ok: boolean }>('SELECT EXISTS (SELECT 1 FROM vuln) AS ok');
    return rows[0]?.ok === true;
  }

  async scan(_report: IndexReport): Promise<VulnerabilityReport> {
    throw clairError('HTTP_NOT_IMPLEMENTED', 'matcher: vulnerability matching is not implemented yet');
  }

  async updateOperations(kind: UpdateKind): Promise<Record<string, UpdateOperation[]>> {
    const { rows } = await this.#db.query<UpdateOperationRow>(
      `SELECT ${UO_COLUMNS} FROM update_operation WHERE kind = $1 ORDER BY updater, id DESC`,
      [kind],
    );
    return byUpdater(rows);
  }

  async latestUpdateOperations(kind: UpdateKind): Promise<Record<string, UpdateOperation[]>> {
    const { rows } = await this.#db.query<UpdateOperationRow>(
      `SELECT DISTINCT ON (updater) ${UO_COLUMNS} FROM update_operation WHERE kind = $1 ORDER BY updater, id DESC`,
      [kind],
    );
    return byUpdater(rows);
  }

  async latestUpdateOperation(kind: UpdateKind): Promise<string | undefined> {
    const { rows } = await this.#db.query<{ ref: string }>(
      'SELECT ref::text AS ref FROM update_operation WHERE kind = $1 ORDER BY id DESC LIMIT 1',
      [kind],
    );
    return rows[0]?.ref;
  }

  async deleteUpdateOperations(refs: readonly string[]): Promise<number> {
    if (refs.length === 0) return 0;
    const { rowCount } = await this.#db.query('DELETE FROM update_operation WHERE ref = ANY($1::uuid[])', [[...refs]]);
    return rowCount;
  }

  async updateDiff(): Promise<UpdateDiff> {
    throw clairError('HTTP_NOT_IMPLEMENTED', 'matcher: update diffs are not implemented yet');
  }
}
