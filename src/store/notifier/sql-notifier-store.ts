/** @module The notifier store in SQL, shared by PostgreSQL and the embedded server. */
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../database.js';
import { SEVERITIES, type Notification } from '../../model/index.js';
import type {
  CreatedNotification,
  NewNotification,
  NewNotificationBody,
  NotificationWriter,
  NotifierCollected,
  NotifierStore,
  PendingNotification,
  ReceiptStatus,
} from '../notifier-store.js';

/** Rows one GC statement deletes at most, so a large backlog never holds long locks. */
const GC_BATCH = 5_000;
/** GC statements per table and call; what is left waits for the next call. */
const GC_ROUNDS = 20;

const severityRank = (body: NewNotificationBody): number => SEVERITIES.indexOf(body.vulnerability.severity);

export class SqlNotifierStore implements NotifierStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async processed(ref: string): Promise<boolean> {
    const { rowCount } = await this.#db.query('SELECT 1 FROM notifier_update_operation WHERE uo_id = $1', [ref]);
    return rowCount > 0;
  }

  createNotification(n: NewNotification, fill: (writer: NotificationWriter) => Promise<void>): Promise<CreatedNotification> {
    return this.#db.transaction(async (tx) => {
      await tx.query('INSERT INTO notification (id) VALUES ($1)', [n.id]);
      let bodies = 0;
      await fill({
        add: async (batch) => {
          bodies += await insertBodies(tx, n.id, n.summary, batch);
        },
      });
      if (bodies === 0) await tx.query('DELETE FROM notification WHERE id = $1', [n.id]);
      await tx.query('INSERT INTO notifier_update_operation (uo_id, updater) VALUES ($1, $2)', [n.updateOperation, n.updater]);
      await tx.query('INSERT INTO receipt (notification_id, uo_id, status) VALUES ($1, $2, $3)', [n.id, n.updateOperation, bodies > 0 ? 'created' : 'delivered']);
      return { bodies };
    });
  }

  async notificationBodies(id: string, after: string, limit: number): Promise<Notification[]> {
    const { rows } = await this.#db.query<{ id: string; body: Omit<Notification, 'id'> }>(
      'SELECT id::text AS id, body FROM notification_body WHERE notification_id = $1 AND id > $2 ORDER BY id LIMIT $3',
      [id, after, limit],
    );
    return rows.map((r) => ({ id: r.id, manifest: r.body.manifest, reason: r.body.reason, vulnerability: r.body.vulnerability }));
  }

  async pending(limit: number, after?: PendingNotification): Promise<PendingNotification[]> {
    // The cursor is the exact timestamp (microseconds) as PostgreSQL prints it.
    const { rows } = await this.#db.query<PendingNotification>(
      `SELECT notification_id::text AS id, status::text AS status, attempts, created, created::text AS cursor FROM receipt
       WHERE status IN ('created', 'delivery_failed') AND ($2::timestamptz IS NULL OR (created, notification_id) > ($2::timestamptz, $3::uuid))
       ORDER BY created, notification_id LIMIT $1`,
      [limit, after?.cursor ?? null, after?.id ?? null],
    );
    return rows;
  }

  async status(id: string): Promise<ReceiptStatus | undefined> {
    const { rows } = await this.#db.query<{ status: ReceiptStatus }>('SELECT status::text AS status FROM receipt WHERE notification_id = $1', [id]);
    return rows[0]?.status;
  }

  async setDelivered(id: string, acknowledged: boolean): Promise<void> {
    await this.#db.query('UPDATE receipt SET status = $2, ts = now(), details = NULL WHERE notification_id = $1', [id, acknowledged ? 'deleted' : 'delivered']);
  }

  async setDeliveryFailed(id: string, cause: string): Promise<void> {
    await this.#db.query(
      `UPDATE receipt SET status = 'delivery_failed', ts = now(), attempts = attempts + 1, details = jsonb_build_object('error', $2::text) WHERE notification_id = $1`,
      [id, cause],
    );
  }

  async expire(id: string, reason: string): Promise<void> {
    await this.#db.query(`UPDATE receipt SET status = 'deleted', ts = now(), details = jsonb_build_object('expired', $2::text) WHERE notification_id = $1`, [id, reason]);
  }

  async acknowledge(id: string): Promise<boolean> {
    const { rowCount } = await this.#db.query("UPDATE receipt SET status = 'deleted', ts = now() WHERE notification_id = $1", [id]);
    return rowCount > 0;
  }

  async pendingCount(): Promise<number> {
    const { rows } = await this.#db.query<{ n: number }>("SELECT count(*)::int AS n FROM receipt WHERE status IN ('created', 'delivery_failed')");
    return rows[0]?.n ?? 0;
  }

  async collectGarbage(retention: number): Promise<NotifierCollected> {
    const cutoff = new Date(Date.now() - retention).toISOString();
    const notifications = await this.#deleteInBatches(
      `DELETE FROM notification WHERE id IN (
         SELECT n.id FROM notification n JOIN receipt r ON r.notification_id = n.id
         WHERE r.status = 'deleted' OR (r.status = 'delivered' AND r.ts < $1) LIMIT ${GC_BATCH})`,
      [cutoff],
    );
    const receipts = await this.#deleteInBatches(
      `DELETE FROM receipt WHERE notification_id IN (
         SELECT notification_id FROM receipt WHERE status IN ('delivered', 'deleted') AND ts < $1
         AND NOT EXISTS (SELECT 1 FROM notification WHERE notification.id = receipt.notification_id) LIMIT ${GC_BATCH})`,
      [cutoff],
    );
    const updateOperations = await this.#deleteInBatches(
      `DELETE FROM notifier_update_operation WHERE uo_id IN (
         SELECT uo_id FROM notifier_update_operation o WHERE ts < $1
         AND NOT EXISTS (SELECT 1 FROM receipt r WHERE r.uo_id = o.uo_id)
         AND EXISTS (SELECT 1 FROM notifier_update_operation newer WHERE newer.updater = o.updater AND newer.ts > o.ts)
         LIMIT ${GC_BATCH})`,
      [cutoff],
    );
    return { notifications, receipts, updateOperations };
  }

  async #deleteInBatches(sql: string, params: unknown[]): Promise<number> {
    let total = 0;
    for (let round = 0; round < GC_ROUNDS; round++) {
      const { rowCount } = await this.#db.query(sql, params);
      total += rowCount;
      if (rowCount < GC_BATCH) break;
    }
    return total;
  }
}

/**
 * Inserts one batch of bodies and returns how many new rows it made. In
 * summary mode a body replaces the stored one of its manifest only when its
 * vulnerability is strictly more severe, so the first of equals stays; the
 * batch itself is reduced the same way first, as one INSERT may not touch a
 * row twice.
 */
async function insertBodies(tx: Queryable, notificationId: string, summary: boolean, batch: readonly NewNotificationBody[]): Promise<number> {
  let rows = batch;
  if (summary) {
    const best = new Map<string, NewNotificationBody>();
    for (const body of batch) {
      const held = best.get(body.manifest);
      if (held === undefined || severityRank(body) > severityRank(held)) best.set(body.manifest, body);
    }
    rows = [...best.values()];
  }
  if (rows.length === 0) return 0;
  const { rows: inserted } = await tx.query<{ inserted: boolean }>(
    `INSERT INTO notification_body (id, notification_id, summary_key, severity, body)
     SELECT u.id, $1, u.summary_key, u.severity, u.body FROM unnest($2::uuid[], $3::text[], $4::smallint[], $5::jsonb[]) AS u(id, summary_key, severity, body)
     ON CONFLICT (notification_id, summary_key) DO UPDATE SET severity = EXCLUDED.severity, body = EXCLUDED.body
       WHERE notification_body.severity < EXCLUDED.severity
     RETURNING (xmax = 0) AS inserted`,
    [
      notificationId,
      rows.map(() => randomUUID()),
      rows.map((b) => (summary ? b.manifest : null)),
      rows.map(severityRank),
      rows.map((b) => JSON.stringify({ manifest: b.manifest, reason: b.reason, vulnerability: b.vulnerability })),
    ],
  );
  return inserted.filter((r) => r.inserted).length;
}
