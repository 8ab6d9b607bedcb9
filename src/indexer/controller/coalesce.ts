/**
 * @module Coalesce: for each ecosystem, load what its scanners (every
 * current one, not only those that ran now) stored for each layer, in
 * manifest order, and coalesce; merge the ecosystems' results; run the
 * resolvers (→ IndexManifest).
 */
import { emptyPartialReport, mergeReports, type LayerArtifacts, type PartialReport } from '../ecosystem.js';
import { fillReport } from '../report.js';
import type { StateStep } from './state.js';

export const coalesce: StateStep = async (ctx) => {
  const idOf = new Map(ctx.scanners.map((s) => [s.scanner, s.id]));
  const digests = ctx.manifest.layers.map((l) => l.hash as string);
  const parts: PartialReport[] = [];
  for (const eco of ctx.ecosystems) {
    const scanners = [...eco.packageScanners, ...eco.distributionScanners, ...eco.repositoryScanners, ...eco.fileScanners];
    const ids = scanners.map((s) => idOf.get(s)).filter((id): id is string => id !== undefined);
    if (ids.length === 0) continue;
    const layers: LayerArtifacts[] = [];
    for (const digest of digests) layers.push({ digest, ...(await ctx.store.layerArtifacts(digest, ids)) });
    parts.push(eco.coalescer.coalesce(layers));
  }
  let merged = mergeReports(emptyPartialReport(), parts);
  for (const resolver of ctx.resolvers) merged = resolver.resolve(merged, digests);
  fillReport(ctx.report, merged);
  return 'IndexManifest';
};
