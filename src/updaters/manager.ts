/**
 * @module Runs the configured updater sets at start and then every period
 * (claircore `libvuln/updates.Manager`). Each updater runs under a
 * cluster-wide lock on its name, so with N matcher replicas every update runs
 * once; an unchanged fingerprint makes no new update operation; a failure
 * leaves the previous data as it was, is logged, counted, recorded in
 * `updater_status`, and retried next period. Before each run an updater with
 * its own `updaters.config.<updater name>` block is configured with it
 * (claircore's per-updater `Configure`); a block it refuses skips that run,
 * as upstream excludes the updater. After the updaters, garbage collection
 * keeps the newest `update_retention` operations per updater.
 *
 * Enrichers' updaters (`enrichment.ts`) run through the same path: their
 * records go to `MatcherStore.updateEnrichments`, as operations of kind
 * `enrichment`, and a new one does not wake the notifier (notifications
 * follow vulnerability operations only, as upstream).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Database } from '../store/database.js';
import type { MatcherStore } from '../store/matcher-store.js';
import type { HttpClient } from '../lib/http-client.js';
import { mapLimit } from '../lib/concurrency.js';
import { isEnrichmentUpdater, type AnySetFactory, type AnyUpdater } from './enrichment.js';
import type { UpdaterMetrics } from './metrics.js';
import { inSpan } from '../lib/tracing.js';

export interface ManagerOptions {
  db: Database;
  store: MatcherStore;
  /** Vulnerability updater sets and enricher sets alike. */
  factories: readonly AnySetFactory[];
  /** `updaters.config`, by set or updater name. */
  config: Record<string, unknown>;
  http: HttpClient;
  log: Logger;
  metrics?: UpdaterMetrics | undefined;
  /** Updater operations kept per updater; 0 turns GC off. */
  retention: number;
  /** Updaters run at once. */
  concurrency?: number;
  /** Directory for downloads (default the OS temp dir). */
  tmpDir?: string;
  /** Called when an updater has stored a new update operation (combo mode: the notifier polls at once). */
  onChange?: ((updater: string) => void) | undefined;
}

export type RunOutcome = 'changed' | 'unchanged' | 'failed' | 'skipped';

export const GC_LOCK = 'garbage-collection';
/** GC calls per run at most; each deletes a bounded batch, so a large backlog spreads over runs. */
const GC_ROUNDS = 20;

export interface BuildOptions {
  factories: readonly AnySetFactory[];
  /** `updaters.config`, by set or updater name. */
  config: Record<string, unknown>;
  http: HttpClient;
  log: Logger;
  signal: AbortSignal;
}

/**
 * Builds every set's updaters, as the matcher does each round (also used by
 * `clairctl export-updaters`). A set that fails to build is logged, named in
 * `failedSets` and skipped.
 */
export async function buildUpdaters(o: BuildOptions): Promise<{ updaters: AnyUpdater[]; failedSets: string[] }> {
  const updaters: AnyUpdater[] = [];
  const failedSets: string[] = [];
  for (const factory of o.factories) {
    try {
      updaters.push(...(await factory.create({ http: o.http, signal: o.signal, log: o.log.child({ set: factory.name }), config: o.config[factory.name] })));
    } catch (err) {
      failedSets.push(factory.name);
      o.log.warn({ err, set: factory.name }, 'updater set failed to build');
    }
  }
  return { updaters, failedSets };
}

/**
 * Applies `updaters.config.<updater name>` when the updater takes one and
 * the block exists, logging its lints.
 *
 * @throws the updater's `CONFIG_INVALID` when it refuses the block.
 */
export function configureUpdater(updater: AnyUpdater, config: Record<string, unknown>, log: Logger): void {
  if (updater.configure === undefined || !Object.hasOwn(config, updater.name) || config[updater.name] === undefined) return;
  for (const lint of updater.configure(config[updater.name])) log.warn({ path: lint.path, reason: lint.message }, 'updater config lint');
}

export class UpdateManager {
  readonly #o: ManagerOptions;
  #timer: NodeJS.Timeout | undefined;
  #controller = new AbortController();
  #running: Promise<unknown> | undefined;

  constructor(options: ManagerOptions) {
    this.#o = options;
  }

  /** Builds every configured set's updaters; a set that fails to build is logged and skipped. */
  async updaters(signal: AbortSignal): Promise<AnyUpdater[]> {
    return (await buildUpdaters({ factories: this.#o.factories, config: this.#o.config, http: this.#o.http, log: this.#o.log, signal })).updaters;
  }

  /**
   * Applies `updaters.config.<updater name>` when the updater takes one and
   * the block exists. Lints are logged; a refused block skips the run, is
   * logged and recorded as a failure (claircore excludes the updater from
   * the run with a warning).
   *
   * @returns false when the run must be skipped.
   */
  async #configure(updater: AnyUpdater, log: Logger): Promise<boolean> {
    try {
      configureUpdater(updater, this.#o.config, log);
      return true;
    } catch (err) {
      this.#o.metrics?.failures.inc({ updater: updater.name });
      log.warn({ err }, 'updater configuration refused; skipping this run');
      await this.#o.store
        .recordUpdaterStatus({ updater: updater.name, lastAttempt: new Date(), lastRunSucceeded: false, lastAttemptFingerprint: '', lastError: (err as Error).message })
        .catch((e: unknown) => log.error({ err: e }, 'updater status not recorded'));
      return false;
    }
  }

  /** Configures one updater, runs it under its lock and returns what happened. */
  runUpdater(updater: AnyUpdater, signal: AbortSignal): Promise<RunOutcome> {
    return inSpan('updater run', { 'clair.updater': updater.name }, async (span) => {
      const outcome = await this.#runUpdater(updater, signal);
      span.setAttribute('clair.outcome', outcome);
      return outcome;
    });
  }

  async #runUpdater(updater: AnyUpdater, signal: AbortSignal): Promise<RunOutcome> {
    const { db, store, metrics } = this.#o;
    const log = this.#o.log.child({ updater: updater.name });
    if (!(await this.#configure(updater, log))) return 'failed';
    const lease = await db.tryLock(updater.name);
    if (!lease) {
      log.debug({}, 'updater skipped: locked elsewhere');
      return 'skipped';
    }
    const started = performance.now();
    const dir = await mkdtemp(join(this.#o.tmpDir ?? tmpdir(), 'clair-updater-'));
    // A lost lock means another replica may now run this updater: stop, so
    // no second operation is written; the next round runs it again.
    const ctx = { dir, http: this.#o.http, signal: AbortSignal.any([signal, lease.lost]), log };
    const attempt = new Date();
    let fingerprint = '';
    let outcome: RunOutcome = 'failed';
    try {
      const enrichment = isEnrichmentUpdater(updater);
      const previous = await store.latestFingerprint(updater.name, enrichment ? 'enrichment' : 'vulnerability');
      const fetched = await updater.fetch(ctx, previous);
      if (fetched.unchanged) {
        outcome = 'unchanged';
        fingerprint = previous ?? '';
      } else {
        fingerprint = fetched.fingerprint;
        const { operation, count } = enrichment
          ? await store.updateEnrichments(updater.name, fingerprint, whileHeld(updater.parse(ctx), lease.lost))
          : await store.updateVulnerabilities(updater.name, fingerprint, whileHeld(updater.parse(ctx), lease.lost));
        metrics?.records.inc({ updater: updater.name }, count);
        log.info({ ref: operation.ref, records: count, kind: operation.kind }, 'updater new update operation');
        outcome = 'changed';
        if (!enrichment) this.#o.onChange?.(updater.name);
      }
      await store.recordUpdaterStatus({ updater: updater.name, lastAttempt: attempt, lastSuccess: new Date(), lastRunSucceeded: true, lastAttemptFingerprint: fingerprint, lastError: '' });
      metrics?.lastSuccess.set({ updater: updater.name }, Date.now() / 1000);
      return outcome;
    } catch (err) {
      metrics?.failures.inc({ updater: updater.name });
      log.warn({ err }, 'updater failed');
      await store
        .recordUpdaterStatus({ updater: updater.name, lastAttempt: attempt, lastRunSucceeded: false, lastAttemptFingerprint: fingerprint, lastError: (err as Error).message })
        .catch((e: unknown) => log.error({ err: e }, 'updater status not recorded'));
      return 'failed';
    } finally {
      metrics?.duration.observe({ updater: updater.name, outcome }, (performance.now() - started) / 1000);
      await rm(dir, { recursive: true, force: true });
      await lease.release();
    }
  }

  /** One full round: every updater, then GC. Resolves with each updater's outcome. */
  async runOnce(): Promise<Record<string, RunOutcome>> {
    const signal = this.#controller.signal;
    const updaters = await this.updaters(signal);
    const outcomes: Record<string, RunOutcome> = {};
    await mapLimit(updaters, this.#o.concurrency ?? 4, async (u) => {
      outcomes[u.name] = await this.runUpdater(u, signal);
    });
    await this.gc();
    return outcomes;
  }

  /** Deletes operations beyond the retention, in bounded rounds, under the cluster-wide GC lock. */
  async gc(): Promise<void> {
    if (this.#o.retention <= 0) return;
    const lease = await this.#o.db.tryLock(GC_LOCK);
    if (!lease) return;
    try {
      for (let round = 0; round < GC_ROUNDS; round++) {
        if ((await this.#o.store.gc(this.#o.retention)) === 0) break;
      }
    } catch (err) {
      this.#o.log.warn({ err }, 'updater gc failed');
    } finally {
      await lease.release();
    }
  }

  /** Runs now, then every `periodMs` (with up to a minute of jitter so replicas spread out). */
  start(periodMs: number): void {
    const tick = (): void => {
      this.#running = this.runOnce()
        .finally(() => this.#firstRound.resolve())
        .catch((err: unknown) => this.#o.log.error({ err }, 'updater round failed'))
        .finally(() => {
          if (this.#controller.signal.aborted) return;
          this.#timer = setTimeout(tick, periodMs + Math.floor(Math.random() * Math.min(60_000, periodMs / 10)));
          this.#timer.unref();
        });
    };
    tick();
  }

  readonly #firstRound = settledOnce();

  /** Settles when the first round `start` began has ended, however it went. */
  get firstRound(): Promise<void> {
    return this.#firstRound.promise;
  }

  /** Stops scheduling, cancels in-flight runs and waits for them to unwind. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#controller.abort(new Error('updater manager stopped'));
    await this.#running?.catch(() => {});
  }
}

function settledOnce(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** `records`, stopping with the lock's loss as the error as soon as the lock is lost. */
async function* whileHeld<T>(records: AsyncIterable<T> | Iterable<T>, lost: AbortSignal): AsyncGenerator<T> {
  for await (const record of records) {
    lost.throwIfAborted();
    yield record;
  }
  lost.throwIfAborted();
}
