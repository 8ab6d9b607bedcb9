/**
 * @module `clairctl admin gc`: one full pass of the matcher's update-operation
 * garbage collection, outside the matcher's own schedule (useful after an
 * import, or on an air-gapped matcher, whose updaters are off and so never
 * collect). Each updater (and enricher) keeps its newest
 * `matcher.update_retention` operations; older ones, and the
 * vulnerabilities and enrichments only they held, go.
 *
 * It takes the same cluster-wide lock as the matchers' collection, so it
 * never runs beside one, and calls `MatcherStore.gc` until no deletable
 * operation remains (the store deletes a bounded batch per call).
 */
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { clairError } from '../lib/errors.js';
import type { MatcherStore } from '../store/matcher-store.js';
import { SqlMatcherStore } from '../store/matcher/sql-matcher-store.js';
import { GC_LOCK } from '../updaters/manager.js';
import { openServiceDatabases } from './databases.js';

/** How long to wait for a matcher's collection to release the lock. */
export const GC_LOCK_WAIT_MS = 60_000; // 1 minute
/** Calls without progress before giving up (operations arriving as fast as they go). */
const STALLED_ROUNDS = 3;

export interface GcResult {
  /** `matcher.update_retention`; 0 means collection is off. */
  retention: number;
  /** Update operations deleted. */
  deleted: number;
  /** Deletable operations left (0 unless new ones kept arriving). */
  remaining: number;
}

/** Update operations of both kinds: collection covers enrichment operations too. */
async function operationCount(store: MatcherStore): Promise<number> {
  let n = 0;
  for (const kind of ['vulnerability', 'enrichment'] as const) n += Object.values(await store.updateOperations(kind)).reduce((m, ops) => m + ops.length, 0);
  return n;
}

/** Collects until nothing is left to collect; see the module note. */
export async function collectUntilDone(store: MatcherStore, retention: number): Promise<{ deleted: number; remaining: number }> {
  const before = await operationCount(store);
  let remaining = await store.gc(retention);
  let stalled = 0;
  while (remaining > 0 && stalled < STALLED_ROUNDS) {
    const next = await store.gc(retention);
    stalled = next >= remaining ? stalled + 1 : 0;
    remaining = next;
  }
  return { deleted: Math.max(0, before - (await operationCount(store))), remaining };
}

/**
 * Runs the collection against the matcher database of `config`.
 *
 * @throws ClairError `STORE_UNAVAILABLE` when another process holds the
 *   collection lock for longer than {@link GC_LOCK_WAIT_MS}, or a store error.
 */
export async function runMatcherGc(config: Config, log: Logger, lockWaitMs = GC_LOCK_WAIT_MS): Promise<GcResult> {
  const retention = config.matcher.update_retention;
  if (retention <= 0) {
    log.warn({}, 'gc off: matcher.update_retention is 0, so every update operation is kept');
    return { retention, deleted: 0, remaining: 0 };
  }
  const dbs = await openServiceDatabases(config, ['matcher'], log.child({ component: 'store' }));
  try {
    const db = dbs.get('matcher');
    const lease = await db.lock(GC_LOCK, { signal: AbortSignal.timeout(lockWaitMs) }).catch((err: unknown) => {
      throw clairError('STORE_UNAVAILABLE', `admin gc: another matcher has been collecting garbage for over ${lockWaitMs} ms; try again later`, { cause: err });
    });
    try {
      const result = await collectUntilDone(new SqlMatcherStore(db), retention);
      log.info({ retention, ...result }, 'gc done');
      return { retention, ...result };
    } finally {
      await lease.release();
    }
  } finally {
    await dbs.close();
  }
}
