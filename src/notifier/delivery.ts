/**
 * @module One delivery round: every notification waiting for delivery,
 * oldest first, each under its lock so that of several replicas exactly one
 * delivers it. The status is read again under the lock (another replica may
 * have delivered it meanwhile), a notification undelivered for longer than
 * the retention expires, and the deliverer's outcome is recorded: delivered
 * (and, for direct deliverers, acknowledged), or failed, to be tried again
 * next round.
 */
import type { Logger } from 'pino';
import { isClairError } from '../lib/errors.js';
import type { Notification } from '../model/index.js';
import type { Locker } from '../store/locker.js';
import type { NotifierStore, PendingNotification } from '../store/notifier-store.js';
import type { Deliverer } from './deliverer.js';
import type { NotifierMetrics } from './metrics.js';
import { NIL_UUID } from './local-notifier.js';
import { inSpan } from '../lib/tracing.js';

/** Pending notifications read per batch; a round reads batches until none is left. */
const BATCH = 100;
/** Bodies per page handed to a direct deliverer. */
export const DELIVERY_PAGE = 500;

export interface DeliveryOptions {
  store: NotifierStore;
  locks: Locker;
  deliverer: Deliverer;
  /** Ms an undelivered notification is retried before it expires (`notifier.retention`). */
  retention: number;
  metrics?: NotifierMetrics | undefined;
  log: Logger;
}

/** What a round did. */
export interface RoundSummary {
  delivered: number;
  failed: number;
  expired: number;
  /** Held by another replica, or no longer pending when re-read. */
  skipped: number;
}

const lockKey = (id: string) => `notifier:notification:${id}`;

/** The bodies of a notification, page by page, read as the deliverer asks for them. */
export function bodyPages(store: NotifierStore, id: string, size = DELIVERY_PAGE): () => AsyncIterable<Notification[]> {
  return async function* pages() {
    let after = NIL_UUID;
    for (;;) {
      const page = await store.notificationBodies(id, after, size);
      if (page.length > 0) yield page;
      if (page.length < size) return;
      after = page[page.length - 1]!.id;
    }
  };
}

export async function deliveryRound(o: DeliveryOptions, signal: AbortSignal): Promise<RoundSummary> {
  const summary: RoundSummary = { delivered: 0, failed: 0, expired: 0, skipped: 0 };
  let after: PendingNotification | undefined;
  for (;;) {
    // Keyset paging: what this round tried (and failed) is not read again.
    const batch = await o.store.pending(BATCH, after);
    for (const pending of batch) {
      if (signal.aborted) return summary;
      summary[await deliverOne(o, pending, signal)]++;
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1];
  }
  o.metrics?.pending.set({ deliverer: o.deliverer.name }, await o.store.pendingCount());
  return summary;
}

async function deliverOne(o: DeliveryOptions, pending: PendingNotification, signal: AbortSignal): Promise<keyof RoundSummary> {
  const { store, deliverer } = o;
  const labels = { deliverer: deliverer.name };
  const log = o.log.child({ notification: pending.id, deliverer: deliverer.name });
  const lease = await o.locks.tryLock(lockKey(pending.id));
  if (!lease) return 'skipped';
  try {
    const status = await store.status(pending.id);
    if (status !== 'created' && status !== 'delivery_failed') return 'skipped';
    if (Date.now() - pending.created.getTime() > o.retention) {
      await store.expire(pending.id, `undelivered after ${pending.attempts} failed rounds`);
      o.metrics?.expired.inc(labels);
      log.warn({ attempts: pending.attempts, created: pending.created.toISOString() }, 'notifier notification expired undelivered');
      return 'expired';
    }
    // With the lock lost another replica may deliver it too: stop; the next round sees where it stands.
    const held = AbortSignal.any([signal, lease.lost]);
    try {
      await inSpan('notifier deliver', { 'clair.notification': pending.id, 'clair.deliverer': deliverer.name }, () => deliverer.deliver({ id: pending.id, pages: bodyPages(store, pending.id), signal: held }));
    } catch (err) {
      if (held.aborted || !isClairError(err, 'DELIVERY_FAILED')) throw err;
      await store.setDeliveryFailed(pending.id, err.message);
      o.metrics?.failed.inc(labels);
      log.warn({ err: err.message, attempts: pending.attempts + 1 }, 'notifier delivery failed; retried next round');
      return 'failed';
    }
    await store.setDelivered(pending.id, deliverer.direct);
    o.metrics?.delivered.inc(labels);
    log.info({}, 'notifier notification delivered');
    return 'delivered';
  } finally {
    await lease.release();
  }
}
