/**
 * @module The indexer controller: runs the state machine for one manifest.
 * Each state is its own module; the report is persisted after every
 * transition. A failure moves to IndexError: the report records the error
 * and is persisted and returned. The first layer that fails for good fails
 * the run at once: its error aborts the run's signal, so the other fetches
 * stop and queued ones never start. Passing the deadline does the same with
 * a timeout error. Cancellation (the caller's signal) stops at once without
 * persisting, so a later request starts cleanly.
 */
import type { IndexReport } from '../../model/index.js';
import { formatDuration } from '../../config/duration.js';
import { clairError } from '../../lib/errors.js';
import { checkManifest } from './check-manifest.js';
import { coalesce } from './coalesce.js';
import type { IndexContext } from './context.js';
import { fetchLayers } from './fetch-layers.js';
import { indexFinished } from './index-finished.js';
import { indexManifest } from './index-manifest.js';
import { scanLayers } from './scan-layers.js';
import type { ControllerState, StateStep } from './state.js';
import { inSpan } from '../../lib/tracing.js';

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
export function runController(ctx: IndexContext): Promise<IndexReport> {
  return inSpan('index manifest', { 'clair.manifest': ctx.manifest.hash, 'clair.layers': ctx.manifest.layers.length }, () => runStates(ctx));
}

async function runStates(ctx: IndexContext): Promise<IndexReport> {
  let state: ControllerState = 'CheckManifest';
  ctx.report.state = 'CheckManifest';
  try {
    while (state !== 'Terminal') {
      const step: StateStep = STEPS[state]!;
      const started = performance.now();
      let next: ControllerState;
      try {
        ctx.signal.throwIfAborted();
        next = await inSpan(`index state ${state}`, { 'clair.state': state }, () => step(ctx));
      } catch (caught) {
        if (ctx.cancel?.aborted) throw caught;
        // Once the run is failed, its reason is the error: the others are its echoes.
        const err: unknown = ctx.signal.aborted ? ctx.signal.reason : caught;
        ctx.log.warn({ err, state, manifest: ctx.manifest.hash }, 'index error');
        ctx.report.state = 'IndexError';
        ctx.report.success = false;
        ctx.report.err = err instanceof Error ? err.message : String(err);
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

const MAX_TIMER_MS = 2 ** 31 - 1;

/** The signal and the failure switch of one run; `dispose` when it is over. */
export interface RunControl {
  signal: AbortSignal;
  fail(err: unknown): void;
  dispose(): void;
}

/**
 * Starts a run's control: its signal aborts when `cancel` does, when
 * `timeoutMs` passes (with an INDEX_TIMEOUT error naming the limit), or on
 * the first {@link RunControl.fail}.
 */
export function startRun(manifest: string, timeoutMs: number, cancel?: AbortSignal): RunControl {
  const failed = new AbortController();
  const fail = (err: unknown): void => {
    if (!failed.signal.aborted) failed.abort(err);
  };
  // Timers cannot wait longer than 2^31-1 ms (about 24 days): beyond that is "never".
  const timer = timeoutMs <= MAX_TIMER_MS
    ? setTimeout(() => fail(clairError('INDEX_TIMEOUT', `index: manifest ${manifest} was not indexed within ${formatDuration(timeoutMs)} (indexer.limits.index_timeout); its work was cancelled`)), timeoutMs)
    : undefined;
  timer?.unref();
  return {
    signal: cancel ? AbortSignal.any([cancel, failed.signal]) : failed.signal,
    fail,
    dispose: () => clearTimeout(timer),
  };
}
