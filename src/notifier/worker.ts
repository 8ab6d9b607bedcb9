/**
 * @module The notifier's background work, as Clair's notifier runs it:
 *
 * - **poll** every `poll_interval`: the matcher's newest update operation of
 *   each updater; one not yet processed is processed (`processor.ts`).
 *   Started at once rather than after one interval, and kicked when this
 *   process's own updaters change something (combo mode), so notifications
 *   do not wait hours for a tick;
 * - **deliver** every `delivery_interval`, at start (what a crash left
 *   undelivered goes out at once) and right after a notification is made;
 * - **collect garbage** hourly, under a cluster-wide lock.
 *
 * Every replica runs all three; the locks in the processor and the delivery
 * round make each operation processed once and each notification delivered
 * once.
 */
import type { Logger } from 'pino';
import type { IndexerService } from '../indexer/service.js';
import type { MatcherService } from '../matcher/service.js';
import { Periodic } from '../lib/periodic.js';
import type { Locker } from '../store/locker.js';
import type { NotifierStore } from '../store/notifier-store.js';
import type { Deliverer } from './deliverer.js';
import { deliveryRound } from './delivery.js';
import type { NotifierMetrics } from './metrics.js';
import { Processor } from './processor.js';

const HOUR = 3_600_000;
/** The first garbage collection waits until start-up traffic has settled. */
const GC_FIRST_DELAY_MS = 5 * 60_000;
/** Kicks within this many ms share one poll. */
const KICK_DELAY_MS = 1_000;
const GC_LOCK = 'notifier:garbage-collection';

export interface NotifierWorkerOptions {
  store: NotifierStore;
  locks: Locker;
  indexer: IndexerService;
  matcher: MatcherService;
  /** Undefined when no delivery mechanism is configured: notifications are made and served by the API only. */
  deliverer: Deliverer | undefined;
  summary: boolean;
  pollIntervalMs: number;
  deliveryIntervalMs: number;
  /** `notifier.retention`, ms. */
  retention: number;
  metrics?: NotifierMetrics | undefined;
  log: Logger;
}

export class NotifierWorker {
  readonly #o: NotifierWorkerOptions;
  readonly #processor: Processor;
  readonly #poll: Periodic;
  readonly #delivery: Periodic | undefined;
  readonly #gc: Periodic;

  constructor(options: NotifierWorkerOptions) {
    this.#o = options;
    const { log } = options;
    this.#processor = new Processor({ ...options, log });
    this.#poll = new Periodic({
      run: (signal) => this.poll(signal),
      intervalMs: options.pollIntervalMs,
      firstDelayMs: 0,
      kickDelayMs: KICK_DELAY_MS,
      onError: (err) => log.warn({ err }, 'notifier poll failed; retried next interval'),
    });
    const deliverer = options.deliverer;
    if (deliverer) {
      this.#delivery = new Periodic({
        run: (signal) => this.deliver(signal),
        intervalMs: options.deliveryIntervalMs,
        firstDelayMs: 0,
        onError: (err) => log.warn({ err, deliverer: deliverer.name }, 'notifier delivery round failed; retried next interval'),
      });
    }
    this.#gc = new Periodic({
      run: () => this.collectGarbage(),
      intervalMs: HOUR,
      firstDelayMs: GC_FIRST_DELAY_MS,
      onError: (err) => log.warn({ err }, 'notifier garbage collection failed'),
    });
  }

  start(): void {
    const { deliverer, log } = this.#o;
    if (deliverer) log.info({ deliverer: deliverer.name, direct: deliverer.direct }, 'notifier delivery configured');
    else log.warn({}, 'notifier has no delivery mechanism (webhook, amqp or stomp): notifications are made and served by the API, but sent nowhere');
    this.#poll.start();
    this.#delivery?.start();
    this.#gc.start();
  }

  /** Asks for a poll soon: this process's updaters have just changed something. */
  kick(): void {
    this.#poll.kick();
  }

  /** One poll: processes each updater's newest operation not processed yet. */
  async poll(signal?: AbortSignal): Promise<void> {
    const latest = await this.#o.matcher.latestUpdateOperations('vulnerability', signal);
    let notified = false;
    // Each updater on its own: one without operations (Clair stops the whole tick there) or one that fails does not hold up the rest.
    for (const [updater, operations] of Object.entries(latest)) {
      const newest = operations[0];
      if (newest === undefined || (await this.#o.store.processed(newest.ref))) continue;
      signal?.throwIfAborted();
      try {
        const outcome = await this.#processor.process(newest, signal);
        if (outcome.kind === 'baseline') this.#o.metrics?.operations.inc({ outcome: 'baseline' });
        if (outcome.kind === 'processed') {
          this.#o.metrics?.operations.inc({ outcome: outcome.bodies > 0 ? 'notified' : 'unaffected' });
          if (outcome.bodies > 0) {
            this.#o.metrics?.created.inc({ deliverer: this.#o.deliverer?.name ?? 'none' });
            notified = true;
          }
        }
      } catch (err) {
        if (signal?.aborted) throw err;
        this.#o.log.warn({ err, updater, updateOperation: newest.ref }, 'notifier update operation not processed; retried next poll');
      }
    }
    if (notified) this.#delivery?.kick();
  }

  /** One delivery round (nothing without a deliverer). */
  async deliver(signal: AbortSignal = new AbortController().signal): Promise<void> {
    const deliverer = this.#o.deliverer;
    if (!deliverer) return;
    const round = await deliveryRound({ ...this.#o, deliverer }, signal);
    if (round.delivered + round.failed + round.expired > 0) this.#o.log.info({ deliverer: deliverer.name, ...round }, 'notifier delivery round done');
  }

  async collectGarbage(): Promise<void> {
    const lease = await this.#o.locks.tryLock(GC_LOCK);
    if (!lease) return;
    try {
      const collected = await this.#o.store.collectGarbage(this.#o.retention);
      if (collected.notifications + collected.receipts + collected.updateOperations > 0) this.#o.log.info({ ...collected }, 'notifier garbage collected');
    } finally {
      await lease.release();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.#poll.stop(), this.#delivery?.stop(), this.#gc.stop()]);
    await this.#o.deliverer?.close();
  }
}
