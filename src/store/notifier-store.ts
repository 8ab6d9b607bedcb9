/**
 * @module The notifier's persistence contract: notifications and their
 * bodies, the receipts that track each one's delivery, and which update
 * operations have been processed. One SQL implementation serves PostgreSQL
 * and the embedded store; its conformance suite runs on both.
 */
import type { Notification } from '../model/index.js';

/** A body to store; the store gives it its id. */
export type NewNotificationBody = Omit<Notification, 'id'>;

/** Where a notification's bodies are streamed while it is being created. */
export interface NotificationWriter {
  /**
   * Stores a batch of bodies. In summary mode each manifest keeps one body:
   * the one with the most severe vulnerability, the first stored on a tie,
   * whatever the reason.
   */
  add(bodies: readonly NewNotificationBody[]): Promise<void>;
}

export interface NewNotification {
  /** The notification id (a UUID). */
  id: string;
  /** The update operation it is made from, and that operation's updater. */
  updateOperation: string;
  updater: string;
  /** One body per manifest (Clair's default) rather than one per manifest and vulnerability. */
  summary: boolean;
}

/** What creating a notification came to. */
export interface CreatedNotification {
  /** Bodies stored; 0 means nothing was affected and nothing will be delivered. */
  bodies: number;
}

export type ReceiptStatus = 'created' | 'delivered' | 'delivery_failed' | 'deleted';

/** A notification waiting to be delivered. */
export interface PendingNotification {
  id: string;
  status: 'created' | 'delivery_failed';
  /** Delivery rounds that failed so far. */
  attempts: number;
  created: Date;
  /** Opaque position in the pending order, exact where `created` is rounded to milliseconds. */
  cursor: string;
}

/** What one garbage collection removed. */
export interface NotifierCollected {
  notifications: number;
  receipts: number;
  updateOperations: number;
}

export interface NotifierStore {
  /** Whether update operation `ref` has been processed: it has a receipt. */
  processed(ref: string): Promise<boolean>;
  /**
   * Creates a notification in one transaction: `fill` streams the bodies in
   * through the writer, then the receipt is written, `created` when there
   * are bodies and `delivered` (nothing to deliver) when there are none,
   * and the update operation is marked processed. If `fill` throws, nothing
   * is stored and the operation stays unprocessed.
   */
  createNotification(notification: NewNotification, fill: (writer: NotificationWriter) => Promise<void>): Promise<CreatedNotification>;
  /**
   * Up to `limit` bodies of notification `id` whose body ids sort after
   * `after`, ordered by body id (Clair's paging order); none for an unknown id.
   */
  notificationBodies(id: string, after: string, limit: number): Promise<Notification[]>;
  /** Up to `limit` notifications waiting for delivery, oldest first; after `after` when given. */
  pending(limit: number, after?: PendingNotification): Promise<PendingNotification[]>;
  /** The receipt status of notification `id`, or `undefined` without a receipt. */
  status(id: string): Promise<ReceiptStatus | undefined>;
  /** Records a delivery: `deleted` too for direct deliverers, whose subscribers never acknowledge. */
  setDelivered(id: string, acknowledged: boolean): Promise<void>;
  /** Records a failed delivery round and its cause. */
  setDeliveryFailed(id: string, cause: string): Promise<void>;
  /** Gives up on an undelivered notification: it is marked deleted, with the reason. */
  expire(id: string, reason: string): Promise<void>;
  /** Marks the notification's receipt deleted; false when it has none. */
  acknowledge(id: string): Promise<boolean>;
  /** Notifications waiting for delivery. */
  pendingCount(): Promise<number>;
  /**
   * Removes acknowledged (and expired) notifications with their bodies,
   * receipts older than `retention` ms that are no longer pending, and
   * processed-operation marks without a receipt; it keeps the newest
   * processed operation of each updater. Deletes in bounded batches.
   */
  collectGarbage(retention: number): Promise<NotifierCollected>;
}
