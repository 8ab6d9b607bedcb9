/**
 * @module The indexer controller: runs the state machine for one manifest.
 * Each state is its own module; the report is persisted after every
 * transition. A failure moves to IndexError: the report records the error
 * and is persisted and returned. Cancellation (the caller's signal) stops at
 * once without persisting, so a later request starts cleanly.
 */
import type { IndexReport } from '../../model/index.js';
import { checkManifest } from './check-manifest.js';
import { coalesce } from './coalesce.js';
import type { IndexContext } from './context.js';
import { fetchLayers } from './fetch-layers.js';
import { indexFinished } from './index-finished.js';
import { indexManifest } from './index-manifest.js';
import { scanLayers } from './scan-layers.js';
import type { ControllerState, StateStep } from './state.js';

const STEPS: Partial<Record<ControllerState, StateStep>> = {
  CheckManifest: checkManifest,
  FetchLayers: fetchLayers,
  ScanLayers: scanLayers,
  Coalesce: coalesce,
  IndexManifest: indexManifest,
  IndexFinished: indexFinished,
};

export function newReport(digest: string): IndexReport {
  return { manifest_hash: digest, state: 'CheckManifest', packages: {}, distributions: {}, repository: {}, environments: {}, success: false, err: '' };
}

/** Runs one index to completion and returns the final report. */
export async function runController(ctx: IndexContext): Promise<IndexReport> {
  let state: ControllerState = 'CheckManifest';
  ctx.report.state = 'CheckManifest';
  try {
    while (state !== 'Terminal') {
      const step: StateStep = STEPS[state]!;
      const started = performance.now();
      let next: ControllerState;
      try {
        next = await step(ctx);
      } catch (err) {
        if (ctx.signal?.aborted) throw err;
        ctx.log.warn({ err, state, manifest: ctx.manifest.hash }, 'index error');
        ctx.report.state = 'IndexError';
        ctx.report.success = false;
        ctx.report.err = (err as Error).message;
        await ctx.store.setIndexReport(ctx.report);
        return ctx.report;
      }
      ctx.log.debug({ state, next, ms: Math.round(performance.now() - started) }, 'index transition');
      state = next;
      if (state !== 'Terminal' && state !== 'IndexFinished') {
        ctx.report.state = state;
        await ctx.store.setIndexReport(ctx.report);
      }
    }
    return ctx.report;
  } finally {
    for (const entry of ctx.fetched.values()) {
      // Let in-flight fetches settle so their spools are closed, not leaked.
      const layer = await entry.opening.catch(() => undefined);
      await layer?.close().catch(() => {});
      await entry.lease.release();
    }
    ctx.fetched.clear();
  }
}
