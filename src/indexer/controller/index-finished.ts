/**
 * @module IndexFinished: mark the report successful, save it and mark the
 * manifest scanned by every current scanner, atomically (→ Terminal).
 */
import type { StateStep } from './state.js';

export const indexFinished: StateStep = async (ctx) => {
  ctx.report.state = 'IndexFinished';
  ctx.report.success = true;
  ctx.report.err = '';
  await ctx.store.setIndexFinished(ctx.report, ctx.scanners.map((s) => s.id));
  return 'Terminal';
};
