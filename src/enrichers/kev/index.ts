/**
 * @module `clair.kev`: CISA's Known Exploited Vulnerabilities catalog as
 * enrichments (claircore `enricher/kev`): a vulnerability whose CVE is in
 * the catalog gets its entry — when it was added, the remediation due
 * date, the required action, and whether it is known to be used in
 * ransomware campaigns.
 */
import type { Enricher } from '../../matcher/enricher.js';
import type { EnrichmentSetFactory } from '../../updaters/enrichment.js';
import { cveMapEnricher } from '../cve-enricher.js';
import { singleEnricherSet } from '../set.js';
import { KEV_NAME, KevUpdater, parseKevConfig } from './updater.js';

export { DEFAULT_KEV_URL, KEV_NAME, KevUpdater, parseKevConfig, type KevConfig } from './updater.js';
export { readKevCatalog, toKevEntry, type KevEntry } from './catalog.js';

/** The report's `enrichments` key, claircore's `kev.Type` exactly. Never change. */
export const KEV_TYPE = 'message/vnd.clair.map.vulnerability; enricher=clair.kev schema=none';

export const kevSetFactory: EnrichmentSetFactory = singleEnricherSet(KEV_NAME, parseKevConfig, (config) => new KevUpdater(config));

export const kevEnricher: Enricher = cveMapEnricher(KEV_NAME, KEV_TYPE);
