/** @module The notifier store on SQL (PostgreSQL and the embedded store). */
import type { Database } from '../database.js';
import type { Notification } from '../../model/index.js';
import type { NotifierStore } from '../notifier-store.js';

export class SqlNotifierStore implements NotifierStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async notificationBodies(id: string, after: string, limit: number): Promise<Notification[]> {
    const { rows } = await this.#db.query<{ id: string; body: Omit<Notification, 'id'> }>(
      'SELECT id::text AS id, body FROM notification_body WHERE notification_id = $1 AND id > $2 ORDER BY id LIMIT $3',
      [id, after, limit],
    );
    return rows.map((r) => ({ ...r.body, id: r.id }));
  }

  async acknowledge(id: string): Promise<boolean> {
    const { rowCount } = await this.#db.query("UPDATE receipt SET status = 'deleted', ts = now() WHERE notification_id = $1", [id]);
    return rowCount > 0;
  }
}
