/** @module The notifier service contract. */
import type { NotificationPage } from '../model/index.js';

export interface PageRequest {
  size: number;
  /** Resume after this notification body id. */
  next?: string;
}

export interface NotifierService {
  /** A page of a notification's bodies; an unknown id gives an empty page. */
  notifications(id: string, page: PageRequest, signal?: AbortSignal): Promise<NotificationPage>;
  /** Acknowledges a notification. Throws not-found when there is no receipt for it. */
  deleteNotifications(id: string, signal?: AbortSignal): Promise<void>;
}
