/**
 * @module FetchLayers: for each distinct layer that some scanner has not
 * scanned yet, take the layer's cluster-wide lock (in digest order, so two
 * manifests sharing layers cannot deadlock), re-check under the lock (another
 * indexer may just have finished it), and start fetching the ones still
 * needed, at most `layerConcurrency` at a time (→ ScanLayers, which scans each
 * layer as soon as its fetch completes). Layers every scanner has seen are
 * never fetched.
 *
 * Fail fast: the first fetch that fails for good fails the run
 * (`ctx.fail`), which aborts the fetches in flight; fetches still queued,
 * and locks not yet taken, are then never started.
 */
import { scannedKey } from '../../store/indexer-store.js';
import { limiter } from '../../lib/concurrency.js';
import type { IndexContext, StateStep } from './state.js';
import type { FetchedLayer } from './context.js';
import { inSpan } from '../../lib/tracing.js';

const layerLockKey = (digest: string): string => `layer:${digest}`;

async function unscanned(ctx: IndexContext, digests: string[]): Promise<string[]> {
  const ids = ctx.pending.map((s) => s.id);
  const done = await ctx.store.scannedLayers(digests, ids);
  return digests.filter((d) => ids.some((id) => !done.has(scannedKey(d, id))));
}

export const fetchLayers: StateStep = async (ctx) => {
  const distinct = [...new Set(ctx.manifest.layers.map((l) => l.hash as string))];
  const needed = (await unscanned(ctx, distinct)).sort();
  const byDigest = new Map(ctx.manifest.layers.map((l) => [l.hash as string, l]));
  const limit = limiter(ctx.layerConcurrency);
  for (const digest of needed) {
    ctx.signal.throwIfAborted();
    const lease = await ctx.locks.lock(layerLockKey(digest), { signal: ctx.signal });
    if ((await unscanned(ctx, [digest])).length === 0) {
      await lease.release();
      continue;
    }
    const entry: FetchedLayer = { opening: Promise.resolve(undefined as never), layer: undefined, lease };
    entry.opening = limit(async () => {
      try {
        ctx.signal.throwIfAborted();
        const layer = await inSpan('fetch layer', { 'clair.layer': digest }, () => ctx.openLayer(byDigest.get(digest)!, ctx.signal));
        entry.layer = layer;
        ctx.log.debug({ layer: digest }, 'layer fetched');
        return layer;
      } catch (err) {
        ctx.fail(err);
        throw err;
      }
    });
    // Observed by ScanLayers or the controller's cleanup; never left unhandled.
    entry.opening.catch(() => {});
    ctx.fetched.set(digest, entry);
  }
  return 'ScanLayers';
};
