/**
 * @module The default enrichers (explicit list), as pairs: the enrichment
 * updater sets `updaters.sets` may name, and the enrichers the matcher runs
 * over each report (unless `matcher.disable_enrichment`).
 *
 * Upstream Clair registers `clair.cvss` only; `clair.epss` and `clair.kev`
 * exist in claircore but are not wired into Clair. Here all three are on
 * by default (see docs/matcher.md, "Enrichment").
 */
import type { Enricher } from '../../matcher/enricher.js';
import type { EnrichmentSetFactory } from '../../updaters/enrichment.js';
import { cvssEnricher, cvssSetFactory, epssEnricher, epssSetFactory, kevEnricher, kevSetFactory } from '../../enrichers/index.js';

export const DEFAULT_ENRICHER_SET_FACTORIES: readonly EnrichmentSetFactory[] = [cvssSetFactory, epssSetFactory, kevSetFactory];

export const DEFAULT_ENRICHERS: readonly Enricher[] = [cvssEnricher, epssEnricher, kevEnricher];
