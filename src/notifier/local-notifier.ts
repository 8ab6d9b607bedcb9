/**
 * @module The notifier's read side as it runs in this process: paging
 * through a notification's bodies and acknowledging it.
 */
import { clairError } from '../lib/errors.js';
import type { NotificationPage } from '../model/index.js';
import type { NotifierStore } from '../store/notifier-store.js';
import type { NotifierService, PageRequest } from './service.js';

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export class LocalNotifier implements NotifierService {
  readonly #store: NotifierStore;

  constructor(store: NotifierStore) {
    this.#store = store;
  }

  /** Bodies ordered by id; one extra row tells whether another page follows. */
  async notifications(id: string, page: PageRequest): Promise<NotificationPage> {
    const rows = await this.#store.notificationBodies(id, page.next ?? NIL_UUID, page.size + 1);
    const more = rows.length > page.size;
    const notifications = more ? rows.slice(0, page.size) : rows;
    return { page: more ? { size: page.size, next: notifications[notifications.length - 1]!.id } : { size: page.size }, notifications };
  }

  async deleteNotifications(id: string): Promise<void> {
    if (!(await this.#store.acknowledge(id))) throw clairError('NOTIFICATION_NOT_FOUND', `notifier: no receipt exists for notification ${id}`);
  }
}
