/**
 * @module A set holding one enrichment updater, as upstream registers each
 * enricher (`driver.StaticSet`): the set and its updater share one name, so
 * `updaters.config.<name>` configures both, read through one parse function
 * (`checkConfig`, `create` and the updater's `configure` accept and refuse
 * the same blocks).
 */
import type { Lint } from '../lib/config-lint.js';
import type { EnrichmentSetFactory, EnrichmentUpdater } from '../updaters/enrichment.js';

/** A config parse: the checked settings and the lints; throws `CONFIG_INVALID` naming the key. */
export type ConfigParse<C> = (raw: unknown) => { config: C; lints: Lint[] };

export function singleEnricherSet<C>(name: string, parse: ConfigParse<C>, make: (config: C) => EnrichmentUpdater): EnrichmentSetFactory {
  return {
    name,
    kind: 'enrichment',
    checkConfig: (raw) => parse(raw).lints,
    create: async (ctx) => [make(parse(ctx.config).config)],
  };
}
