/**
 * @module The enrichment updater contract (claircore
 * `driver.EnrichmentUpdater`): the data half of an enricher. Upstream an
 * enricher is an updater whose update operations are of kind `enrichment`;
 * here too it runs through the same machinery as vulnerability updaters
 * (`manager.ts`: scheduled every `matcher.period`, one runner per cluster
 * under the updater's advisory lock, fingerprinted so an unchanged source
 * makes no operation, `updater_status`, GC by `update_retention`) and the
 * same download kit (`download.ts`). Only what `parse` yields differs:
 * {@link EnrichmentRecord}s, stored by `MatcherStore.updateEnrichments`.
 *
 * The report half (turning stored records into a report's `enrichments`)
 * is the matcher's `Enricher` contract (`matcher/enricher.ts`).
 */
import type { Lint } from '../lib/config-lint.js';
import type { EnrichmentRecord } from '../model/enrichment.js';
import type { FetchOutcome, SetContext, Updater, UpdaterContext, UpdaterSetFactory } from './updater.js';

export type { EnrichmentRecord } from '../model/enrichment.js';

export interface EnrichmentUpdater {
  /** Persisted (update operations, enrichment rows) and paired with its enricher: `clair.cvss`. Never rename. */
  readonly name: string;
  readonly kind: 'enrichment';
  /** As `Updater.configure`: applies `updaters.config.<name>` before each run. */
  configure?(config: unknown): Lint[];
  fetch(ctx: UpdaterContext, previousFingerprint: string | undefined): Promise<FetchOutcome>;
  /** Streams the records from what `fetch` stored in `ctx.dir`; never holds the feed in memory. */
  parse(ctx: UpdaterContext): AsyncIterable<EnrichmentRecord>;
}

/** Builds an enricher's updaters; named in `updaters.sets` like any set (`clair.cvss`). */
export interface EnrichmentSetFactory {
  readonly name: string;
  readonly kind: 'enrichment';
  /** As `UpdaterSetFactory.checkConfig`: no I/O, `CONFIG_INVALID` naming the key, lints for the rest. */
  checkConfig(config: unknown): Lint[];
  create(ctx: SetContext): Promise<EnrichmentUpdater[]>;
}

/** Anything the update manager runs. */
export type AnyUpdater = Updater | EnrichmentUpdater;

/** Anything `updaters.sets` names. */
export type AnySetFactory = UpdaterSetFactory | EnrichmentSetFactory;

/** Whether `u` yields enrichment records (its operations are of kind `enrichment`). */
export function isEnrichmentUpdater(u: AnyUpdater): u is EnrichmentUpdater {
  return (u as { kind?: unknown }).kind === 'enrichment';
}

/** Whether `f` builds enrichment updaters. */
export function isEnrichmentSetFactory(f: AnySetFactory): f is EnrichmentSetFactory {
  return (f as { kind?: unknown }).kind === 'enrichment';
}
