/**
 * @module `clair.epss`: FIRST's Exploit Prediction Scoring System scores as
 * enrichments (claircore `enricher/epss`): each vulnerability's CVE gets
 * its probability of exploitation in the next 30 days (`epss`), its
 * percentile, and the model version and score date they come from.
 */
import type { Enricher } from '../../matcher/enricher.js';
import type { EnrichmentSetFactory } from '../../updaters/enrichment.js';
import { cveMapEnricher } from '../cve-enricher.js';
import { singleEnricherSet } from '../set.js';
import { EPSS_NAME, EpssUpdater, parseEpssConfig } from './updater.js';

export { DEFAULT_EPSS_BASE_URL, EPSS_NAME, EpssUpdater, defaultEpssUrl, parseEpssConfig, type EpssConfig } from './updater.js';
export { parseEpssMetadata, readEpss, type EpssItem, type EpssTally } from './csv.js';

/** The report's `enrichments` key, claircore's `epss.Type` exactly. Never change. */
export const EPSS_TYPE = 'message/vnd.clair.map.vulnerability; enricher=clair.epss schema=none';

export const epssSetFactory: EnrichmentSetFactory = singleEnricherSet(EPSS_NAME, parseEpssConfig, (config) => new EpssUpdater(config));

export const epssEnricher: Enricher = cveMapEnricher(EPSS_NAME, EPSS_TYPE);
