/**
 * @module The contract between the notifier's delivery loop and a delivery
 * mechanism (webhook, AMQP, STOMP: `src/deliverers/`). The loop decides
 * what to deliver and when, holds the notification's lock and records the
 * outcome; a deliverer only sends.
 *
 * - A **callback** deliverer announces the notification id and its callback
 *   URL; the subscriber pages the bodies from the notifier's API and
 *   acknowledges them itself.
 * - A **direct** deliverer carries the bodies in its messages (in batches of
 *   `rollup`); once it has delivered, nobody will fetch them, so the loop
 *   acknowledges the notification itself.
 */
import type { Notification } from '../model/index.js';

/** What a deliverer is given for one notification. */
export interface Delivery {
  /** The notification id (a UUID). */
  id: string;
  /**
   * The notification's bodies in Clair's paging order, page by page (bounded
   * memory however many there are). Each call starts again from the first
   * page. Only direct deliverers read it.
   */
  pages(): AsyncIterable<Notification[]>;
  /** Aborted when the process is shutting down: give up promptly, delivered or not. */
  signal: AbortSignal;
}

export interface Deliverer {
  /** `webhook`, `amqp` or `stomp`: the `deliverer` label of metrics and logs. */
  readonly name: string;
  /** True when the messages carry the notifications themselves. */
  readonly direct: boolean;
  /**
   * Delivers one notification, retrying within the call as the mechanism's
   * configuration says. Resolves once the subscriber (or broker) has taken
   * it. Throws an error with code `DELIVERY_FAILED` (see `lib/errors.ts`),
   * naming the target and the cause, when it could not: the loop records
   * the failure and tries again on a later round.
   */
  deliver(delivery: Delivery): Promise<void>;
  /** Ends connections the deliverer keeps open between deliveries. */
  close(): Promise<void>;
}
