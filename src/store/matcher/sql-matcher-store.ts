/** @module The matcher store in SQL, shared by PostgreSQL and the embedded database. */
import type { Database } from '../database.js';
import type { UpdateDiff, UpdateKind, UpdateOperation, Vulnerability, VulnerabilityRecord } from '../../model/index.js';
import { clairError } from '../../lib/errors.js';
import type { MatchCandidate, MatcherStore, UpdaterStatus, VulnerabilityQuery } from '../matcher-store.js';
import { updateVulnerabilities } from './update.js';
import { queryVulnerabilities } from './query.js';
import { lookupEnrichments, updateEnrichments } from './enrichment.js';
import type { EnrichmentRecord } from '../../model/enrichment.js';
import { VULN_SELECT, wireVulnerability, type VulnRow } from './vuln-row.js';

interface UpdateOperationRow {
  id: number;
  ref: string;
  updater: string;
  fingerprint: string;
  date: Date;
  kind: UpdateKind;
}

const UO_COLUMNS = 'id, ref::text AS ref, updater, fingerprint, date, kind';
const toOperation = (r: UpdateOperationRow): UpdateOperation => ({ ref: r.ref, updater: r.updater, fingerprint: r.fingerprint, date: r.date.toISOString(), kind: r.kind });
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const ZERO_OPERATION: UpdateOperation = { ref: NIL_UUID, updater: '', fingerprint: '', date: '0001-01-01T00:00:00Z', kind: 'vulnerability' };
const GC_BATCH = 50; // operations deleted per GC call, as upstream
const GC_ORPHAN_VULNS = 10_000; // orphaned vulnerability rows deleted per GC call
const GC_ORPHAN_ENRICHMENTS = 50_000; // orphaned enrichment rows deleted per statement
const GC_ENRICHMENT_CHUNKS = 20; // statements per GC call at most: a million rows

export class SqlMatcherStore implements MatcherStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async initialized(): Promise<boolean> {
    const { rows } = await this.#db.query<{ ok: boolean }>('SELECT EXISTS (SELECT 1 FROM vuln) AS ok');
    return rows[0]?.ok === true;
  }

  updateVulnerabilities(updater: string, fingerprint: string, records: AsyncIterable<VulnerabilityRecord> | Iterable<VulnerabilityRecord>) {
    return updateVulnerabilities(this.#db, updater, fingerprint, records);
  }

  updateEnrichments(updater: string, fingerprint: string, records: AsyncIterable<EnrichmentRecord> | Iterable<EnrichmentRecord>) {
    return updateEnrichments(this.#db, updater, fingerprint, records);
  }

  enrichments(enricher: string, queries: ReadonlyArray<readonly string[]>): Promise<EnrichmentRecord[][]> {
    return lookupEnrichments(this.#db, enricher, queries);
  }

  async latestFingerprint(updater: string, kind?: UpdateKind): Promise<string | undefined> {
    const { rows } = kind === undefined
      ? await this.#db.query<{ fingerprint: string }>('SELECT fingerprint FROM update_operation WHERE updater = $1 ORDER BY id DESC LIMIT 1', [updater])
      : await this.#db.query<{ fingerprint: string }>('SELECT fingerprint FROM update_operation WHERE updater = $1 AND kind = $2 ORDER BY id DESC LIMIT 1', [updater, kind]);
    return rows[0]?.fingerprint;
  }

  async recordUpdaterStatus(s: UpdaterStatus): Promise<void> {
    await this.#db.query(
      `INSERT INTO updater_status (updater_name, last_attempt, last_success, last_run_succeeded, last_attempt_fingerprint, last_error)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (updater_name) DO UPDATE SET last_attempt = EXCLUDED.last_attempt,
         last_success = COALESCE(EXCLUDED.last_success, updater_status.last_success),
         last_run_succeeded = EXCLUDED.last_run_succeeded, last_attempt_fingerprint = EXCLUDED.last_attempt_fingerprint,
         last_error = EXCLUDED.last_error`,
      [s.updater, s.lastAttempt.toISOString(), s.lastSuccess?.toISOString() ?? null, s.lastRunSucceeded, s.lastAttemptFingerprint, s.lastError],
    );
  }

  async updaterStatus(updater: string): Promise<UpdaterStatus | undefined> {
    const { rows } = await this.#db.query<{ last_attempt: Date; last_success: Date | null; last_run_succeeded: boolean; last_attempt_fingerprint: string; last_error: string }>(
      'SELECT last_attempt, last_success, last_run_succeeded, last_attempt_fingerprint, last_error FROM updater_status WHERE updater_name = $1',
      [updater],
    );
    const r = rows[0];
    if (!r) return undefined;
    return { updater, lastAttempt: r.last_attempt, lastSuccess: r.last_success ?? undefined, lastRunSucceeded: r.last_run_succeeded, lastAttemptFingerprint: r.last_attempt_fingerprint, lastError: r.last_error };
  }

  async updateOperations(kind: UpdateKind, latestOnly = false): Promise<Record<string, UpdateOperation[]>> {
    const sql = latestOnly
      ? `SELECT DISTINCT ON (updater) ${UO_COLUMNS} FROM update_operation WHERE kind = $1 ORDER BY updater, id DESC`
      : `SELECT ${UO_COLUMNS} FROM update_operation WHERE kind = $1 ORDER BY updater, id DESC`;
    const { rows } = await this.#db.query<UpdateOperationRow>(sql, [kind]);
    const out: Record<string, UpdateOperation[]> = {};
    for (const row of rows) (out[row.updater] ??= []).push(toOperation(row));
    return out;
  }

  async latestUpdateOperation(kind: UpdateKind): Promise<string | undefined> {
    const { rows } = await this.#db.query<{ ref: string }>('SELECT ref::text AS ref FROM update_operation WHERE kind = $1 ORDER BY id DESC LIMIT 1', [kind]);
    return rows[0]?.ref;
  }

  async deleteUpdateOperations(refs: readonly string[]): Promise<number> {
    if (refs.length === 0) return 0;
    const { rowCount } = await this.#db.query('DELETE FROM update_operation WHERE ref = ANY($1::uuid[])', [[...refs]]);
    return rowCount;
  }

  async updateDiff(prev: string | undefined, cur: string): Promise<UpdateDiff> {
    const find = async (ref: string): Promise<UpdateOperationRow> => {
      const { rows } = await this.#db.query<UpdateOperationRow>(`SELECT ${UO_COLUMNS} FROM update_operation WHERE ref = $1`, [ref]);
      if (!rows[0]) throw clairError('UPDATE_OPERATION_NOT_FOUND', `matcher: update operation ${ref} not found`);
      return rows[0];
    };
    const curOp = await find(cur);
    const prevOp = prev === undefined || prev === NIL_UUID ? undefined : await find(prev);
    if (prevOp && prevOp.updater !== curOp.updater) {
      throw clairError('UPDATE_DIFF_UPDATERS', `matcher: update operations ${prev} and ${cur} belong to different updaters`);
    }
    const side = async (a: number, b: number | undefined): Promise<Vulnerability[]> => {
      const { rows } = await this.#db.query<VulnRow>(
        `SELECT ${VULN_SELECT} FROM vuln v JOIN uo_vuln a ON a.vuln = v.id AND a.uo = $1
         WHERE NOT EXISTS (SELECT 1 FROM uo_vuln b WHERE b.vuln = v.id AND b.uo = $2) ORDER BY v.id`,
        [a, b ?? -1],
      );
      return rows.map(wireVulnerability);
    };
    return {
      prev: prevOp ? toOperation(prevOp) : ZERO_OPERATION,
      cur: toOperation(curOp),
      added: await side(curOp.id, prevOp?.id),
      removed: prevOp ? await side(prevOp.id, curOp.id) : [],
    };
  }

  async gc(keep: number, batch = GC_BATCH): Promise<number> {
    const { rows } = await this.#db.query<{ id: number }>(
      `SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY updater ORDER BY id DESC) AS n FROM update_operation) o
       WHERE n > $1 ORDER BY id`,
      [keep],
    );
    const doomed = rows.slice(0, batch).map((r) => r.id);
    if (doomed.length > 0) {
      await this.#db.query('DELETE FROM update_operation WHERE id = ANY($1::bigint[])', [doomed]);
    }
    // Rows no operation links any more; bounded so one call stays short.
    await this.#db.query(`DELETE FROM vuln WHERE id IN (SELECT v.id FROM vuln v WHERE NOT EXISTS (SELECT 1 FROM uo_vuln u WHERE u.vuln = v.id) LIMIT ${GC_ORPHAN_VULNS})`);
    // Rows an enrichment run is linking right now are locked by it: skipped, not deleted from under it.
    // A whole enrichment operation (EPSS: ~300k rows a day) can be orphaned at
    // once, so these go in several bounded statements until none are left.
    for (let chunk = 0; chunk < GC_ENRICHMENT_CHUNKS; chunk++) {
      const { rowCount } = await this.#db.query(
        `DELETE FROM enrichment WHERE id IN (SELECT e.id FROM enrichment e WHERE NOT EXISTS (SELECT 1 FROM uo_enrich u WHERE u.enrich = e.id) LIMIT ${GC_ORPHAN_ENRICHMENTS} FOR UPDATE SKIP LOCKED)`,
      );
      if (rowCount < GC_ORPHAN_ENRICHMENTS) break;
    }
    return rows.length - doomed.length;
  }

  query(queries: readonly VulnerabilityQuery[]): Promise<MatchCandidate[][]> {
    return queryVulnerabilities(this.#db, queries);
  }
}
