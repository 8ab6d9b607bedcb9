/**
 * @module CheckManifest: if every current scanner already indexed this
 * manifest, load the stored report and stop (→ Terminal). Otherwise keep
 * only the scanners that have not, record the manifest and its layers, and
 * go on (→ FetchLayers).
 */
import type { StateStep } from './state.js';

export const checkManifest: StateStep = async (ctx) => {
  const ids = ctx.scanners.map((s) => s.id);
  if (await ctx.store.manifestScanned(ctx.manifest.hash, ids)) {
    const stored = await ctx.store.indexReport(ctx.manifest.hash);
    if (stored && stored.state === 'IndexFinished') {
      ctx.report = stored;
      ctx.log.debug({}, 'manifest already indexed');
      return 'Terminal';
    }
  }
  await ctx.store.persistManifest(ctx.manifest);
  ctx.pending = [...ctx.scanners];
  return 'FetchLayers';
};
