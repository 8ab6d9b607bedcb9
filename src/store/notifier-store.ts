/**
 * @module The notifier's persistence contract: stored notification bodies,
 * paged, and their receipts.
 */
import type { Notification } from '../model/index.js';

export interface NotifierStore {
  /**
   * Up to `limit` bodies of notification `id` whose body ids sort after
   * `after`, ordered by body id (Clair's paging order); none for an unknown id.
   */
  notificationBodies(id: string, after: string, limit: number): Promise<Notification[]>;
  /** Marks the notification's receipt deleted; false when it has none. */
  acknowledge(id: string): Promise<boolean>;
}
