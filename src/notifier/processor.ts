/**
 * @module Turns one update operation into a notification, as Clair's
 * processor does: under the operation's lock, and only if it is still
 * unprocessed and still its updater's newest, take the diff against the
 * updater's previous operation, ask the indexer which indexed manifests the
 * added and the removed vulnerabilities affect (1,000 vulnerabilities per
 * call), and store one body per affected manifest (summary mode: the most
 * severe vulnerability; otherwise one per manifest and vulnerability).
 *
 * Bodies stream into the store as each answer arrives, inside the
 * transaction that writes the receipt, so memory stays bounded by one
 * answer however many manifests are affected, and a crash leaves nothing
 * half-made: the operation is simply processed again.
 *
 * An updater's first operation has no previous one to diff against. Clair
 * diffs it against nothing and so announces every vulnerability in the feed
 * as added; here it is the baseline and notifies nobody.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { IndexerService } from '../indexer/service.js';
import type { MatcherService } from '../matcher/service.js';
import type { Notification, UpdateOperation, Vulnerability } from '../model/index.js';
import { SEVERITIES } from '../model/index.js';
import type { Locker } from '../store/locker.js';
import type { NewNotificationBody, NotificationWriter, NotifierStore } from '../store/notifier-store.js';
import { vulnSummary } from './summary.js';

/** Vulnerabilities per affected-manifests call, as Clair's notifier. */
export const AFFECTED_CHUNK = 1_000;
/** Bodies per write: one answer without summary can hold a body per manifest and vulnerability. */
const WRITE_BATCH = 1_000;

export interface ProcessorOptions {
  store: NotifierStore;
  locks: Locker;
  indexer: IndexerService;
  matcher: MatcherService;
  /** `notifier.disable_summary` inverted. */
  summary: boolean;
  log: Logger;
}

/** What processing one operation came to. */
export type ProcessOutcome =
  | { kind: 'skipped'; why: 'locked' | 'processed' | 'superseded' | 'gone' }
  | { kind: 'baseline' }
  | { kind: 'processed'; notification: string; bodies: number };

const lockKey = (ref: string) => `notifier:update_operation:${ref}`;

export class Processor {
  readonly #o: ProcessorOptions;

  constructor(options: ProcessorOptions) {
    this.#o = options;
  }

  /** Processes `operation` (its updater's newest when polled) unless another replica has or is. */
  async process(operation: UpdateOperation, signal?: AbortSignal): Promise<ProcessOutcome> {
    const { store, locks } = this.#o;
    const log = this.#o.log.child({ updater: operation.updater, updateOperation: operation.ref });
    const lease = await locks.tryLock(lockKey(operation.ref));
    if (!lease) return { kind: 'skipped', why: 'locked' };
    // A lost lock stops the work before its transaction commits; the next poll retries it.
    signal = signal ? AbortSignal.any([signal, lease.lost]) : lease.lost;
    try {
      if (await store.processed(operation.ref)) return { kind: 'skipped', why: 'processed' };
      const operations = (await this.#o.matcher.updateOperations('vulnerability', signal))[operation.updater];
      if (!operations?.length) {
        log.warn({}, 'notifier update operation gone from the matcher; skipped');
        return { kind: 'skipped', why: 'gone' };
      }
      if (operations[0]!.ref !== operation.ref) {
        log.info({ newer: operations[0]!.ref }, 'notifier update operation superseded; skipped');
        return { kind: 'skipped', why: 'superseded' };
      }
      const previous = operations[1];
      const id = randomUUID();
      const base = { id, updateOperation: operation.ref, updater: operation.updater, summary: this.#o.summary };
      if (previous === undefined) {
        await store.createNotification(base, async () => {});
        log.info({}, 'notifier baseline update operation recorded; nothing notified');
        return { kind: 'baseline' };
      }
      const diff = await this.#o.matcher.updateDiff(previous.ref, operation.ref, signal);
      log.info({ previous: previous.ref, added: diff.added.length, removed: diff.removed.length }, 'notifier update diff');
      const { bodies } = await store.createNotification(base, async (writer) => {
        await this.#affected(diff.added, 'added', writer, signal);
        await this.#affected(diff.removed, 'removed', writer, signal);
      });
      log.info({ notification: id, bodies }, bodies > 0 ? 'notifier notification created' : 'notifier update affects no manifest');
      return { kind: 'processed', notification: id, bodies };
    } finally {
      await lease.release();
    }
  }

  /** Streams the bodies for `vulnerabilities` into `writer`, one affected-manifests answer at a time. */
  async #affected(vulnerabilities: readonly Vulnerability[], reason: Notification['reason'], writer: NotificationWriter, signal?: AbortSignal): Promise<void> {
    for (let at = 0; at < vulnerabilities.length; at += AFFECTED_CHUNK) {
      signal?.throwIfAborted();
      const answer = await this.#o.indexer.affectedManifests(vulnerabilities.slice(at, at + AFFECTED_CHUNK), signal);
      let bodies: NewNotificationBody[] = [];
      for (const [manifest, ids] of Object.entries(answer.vulnerable_manifests)) {
        if (bodies.length >= WRITE_BATCH) {
          await writer.add(bodies);
          bodies = [];
        }
        const affecting = ids.map((v) => answer.vulnerabilities[v]).filter((v): v is Vulnerability => v !== undefined);
        if (this.#o.summary) {
          const worst = mostSevere(affecting);
          if (worst) bodies.push({ manifest, reason, vulnerability: vulnSummary(worst) });
        } else {
          for (const v of affecting) bodies.push({ manifest, reason, vulnerability: vulnSummary(v) });
        }
      }
      await writer.add(bodies);
    }
  }
}

/** The most severe vulnerability, the first of equals. */
function mostSevere(vulnerabilities: readonly Vulnerability[]): Vulnerability | undefined {
  let worst: Vulnerability | undefined;
  for (const v of vulnerabilities) {
    if (worst === undefined || SEVERITIES.indexOf(v.normalized_severity) > SEVERITIES.indexOf(worst.normalized_severity)) worst = v;
  }
  return worst;
}
