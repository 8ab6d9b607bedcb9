/** @module IndexManifest: record the report's index records for affected-manifest lookups (→ IndexFinished). */
import type { StateStep } from './state.js';

export const indexManifest: StateStep = async (ctx) => {
  await ctx.store.indexManifest(ctx.report);
  return 'IndexFinished';
};
