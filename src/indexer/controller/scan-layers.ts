/**
 * @module ScanLayers: run every pending scanner over every fetched layer it
 * has not scanned, storing each scanner's findings with its "scanned" mark in
 * one transaction, layers in parallel up to `layerConcurrency` (→ Coalesce).
 * Layer spools are closed and layer locks released as each layer finishes.
 * A layer that fails (its fetch or a scanner) fails the run at once.
 */
import { scannedKey } from '../../store/indexer-store.js';
import type { LayerScanResult } from '../../store/indexer-store.js';
import { mapLimit } from '../../lib/concurrency.js';
import { clairError } from '../../lib/errors.js';
import type { Scanner } from '../scanner.js';
import type { LayerFS } from '../layer-fs.js';
import type { IndexContext, StateStep } from './state.js';
import type { OpenedLayer } from './context.js';

async function runScanner(ctx: IndexContext, scanner: Scanner, layer: LayerFS): Promise<LayerScanResult> {
  const context = { signal: ctx.signal, config: ctx.scannerConfig(scanner) };
  switch (scanner.kind) {
    case 'package': {
      const packages = await scanner.scan(layer, context);
      // A package scanner's default repository is stored with the packages it found.
      return scanner.defaultRepository && packages.length > 0 ? { packages, repositories: [scanner.defaultRepository] } : { packages };
    }
    case 'distribution':
      return { distributions: await scanner.scan(layer, context) };
    case 'repository':
      return { repositories: await scanner.scan(layer, context) };
    case 'file':
      return { files: await scanner.scan(layer, context) };
  }
}

export const scanLayers: StateStep = async (ctx) => {
  const digests = [...ctx.fetched.keys()];
  const done = await ctx.store.scannedLayers(digests, ctx.pending.map((s) => s.id));
  await mapLimit(digests, ctx.layerConcurrency, async (digest) => {
    const entry = ctx.fetched.get(digest)!;
    const { lease } = entry;
    let layer: OpenedLayer | undefined;
    try {
      layer = await entry.opening;
      for (const { scanner, id } of ctx.pending) {
        if (done.has(scannedKey(digest, id))) continue;
        ctx.signal?.throwIfAborted();
        let result: LayerScanResult;
        try {
          result = await runScanner(ctx, scanner, layer);
        } catch (cause) {
          throw clairError('SCANNER_FAILED', `scanner ${scanner.name} failed on layer ${digest}: ${(cause as Error).message}`, { cause });
        }
        await ctx.store.storeLayerScan(digest, id, result);
      }
      ctx.log.debug({ layer: digest }, 'layer scanned');
    } catch (err) {
      // Stops the fetches still running or queued: the run is over.
      ctx.fail(err);
      throw err;
    } finally {
      ctx.fetched.delete(digest);
      await layer?.close().catch(() => {});
      await lease.release();
    }
  });
  return 'Coalesce';
};
