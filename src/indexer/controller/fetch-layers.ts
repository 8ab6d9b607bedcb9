/**
 * @module FetchLayers: for each distinct layer that some scanner has not
 * scanned yet, take the layer's cluster-wide lock (in digest order, so two
 * manifests sharing layers cannot deadlock), re-check under the lock (another
 * indexer may just have finished it), and fetch the ones still needed, at
 * most `layerConcurrency` at a time (→ ScanLayers). Layers every scanner has
 * seen are never fetched.
 */
import { scannedKey } from '../../store/indexer-store.js';
import { mapLimit } from '../../lib/concurrency.js';
import type { IndexContext, StateStep } from './state.js';

const layerLockKey = (digest: string): string => `layer:${digest}`;

async function unscanned(ctx: IndexContext, digests: string[]): Promise<string[]> {
  const ids = ctx.pending.map((s) => s.id);
  const done = await ctx.store.scannedLayers(digests, ids);
  return digests.filter((d) => ids.some((id) => !done.has(scannedKey(d, id))));
}

export const fetchLayers: StateStep = async (ctx) => {
  const distinct = [...new Set(ctx.manifest.layers.map((l) => l.hash as string))];
  const needed = (await unscanned(ctx, distinct)).sort();
  const toFetch: string[] = [];
  for (const digest of needed) {
    const lease = await ctx.db.lock(layerLockKey(digest), ctx.signal ? { signal: ctx.signal } : {});
    if ((await unscanned(ctx, [digest])).length === 0) {
      await lease.release();
      continue;
    }
    ctx.fetched.set(digest, { layer: undefined, lease });
    toFetch.push(digest);
  }
  const byDigest = new Map(ctx.manifest.layers.map((l) => [l.hash as string, l]));
  await mapLimit(toFetch, ctx.layerConcurrency, async (digest) => {
    const layer = await ctx.openLayer(byDigest.get(digest)!, ctx.signal);
    ctx.fetched.get(digest)!.layer = layer;
    ctx.log.debug({ layer: digest }, 'layer fetched');
  });
  return 'ScanLayers';
};
