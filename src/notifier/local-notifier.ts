/**
 * @module The notifier's read side as it runs in this process: paging
 * through a notification's bodies and acknowledging it.
 */
import type { Database } from '../store/database.js';
import { clairError } from '../lib/errors.js';
import type { Notification, NotificationPage } from '../model/index.js';
import type { NotifierService, PageRequest } from './service.js';

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export class LocalNotifier implements NotifierService {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Bodies ordered by id; one extra row tells whether another page follows. */
  async notifications(id: string, page: PageRequest): Promise<NotificationPage> {
    const { rows } = await this.#db.query<{ id: string; body: Omit<Notification, 'id'> }>(
      'SELECT id::text AS id, body FROM notification_body WHERE notification_id = $1 AND id > $2 ORDER BY id LIMIT $3',
      [id, page.next ?? NIL_UUID, page.size + 1],
    );
    const more = rows.length > page.size;
    const shown = more ? rows.slice(0, page.size) : rows;
    const notifications = shown.map((r) => ({ ...r.body, id: r.id }));
    return { page: more ? { size: page.size, next: shown[shown.length - 1]!.id } : { size: page.size }, notifications };
  }

  async deleteNotifications(id: string): Promise<void> {
    const { rowCount } = await this.#db.query("UPDATE receipt SET status = 'deleted', ts = now() WHERE notification_id = $1", [id]);
    if (rowCount === 0) throw clairError('HTTP_NOT_FOUND', `notifier: no receipt exists for notification ${id}`);
  }
}
