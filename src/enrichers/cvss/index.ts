/**
 * @module `clair.cvss`: NVD's CVSS scores as enrichments (claircore
 * `enricher/cvss`). The updater half reads NVD's CVE JSON 2.0 feeds
 * (`updater.ts`, `feed.ts`); the report half files each vulnerability's
 * score under {@link CVSS_TYPE}.
 */
import type { Enricher } from '../../matcher/enricher.js';
import type { EnrichmentSetFactory } from '../../updaters/enrichment.js';
import { cveMapEnricher } from '../cve-enricher.js';
import { singleEnricherSet } from '../set.js';
import { CVSS_NAME, CvssUpdater, parseCvssConfig } from './updater.js';

export { CVSS_NAME, CvssUpdater, DEFAULT_CVSS_FEED_ROOT, FIRST_FEED_YEAR, parseCvssConfig, type CvssConfig } from './updater.js';
export { checkCvssData, readNvdFeed, type FeedTally } from './feed.js';
export { parseFeedMeta, type FeedMeta } from './meta.js';
export { formatVector, parseVector, scoreVector, severityOf, type CvssVersion, type ParsedVector } from './vector.js';

/** The report's `enrichments` key, claircore's `cvss.Type` exactly. Persisted by clients; never change. */
export const CVSS_TYPE = 'message/vnd.clair.map.vulnerability; enricher=clair.cvss schema=https://csrc.nist.gov/schema/nvd/api/2.0/cve_api_json_2.0.schema';

export const cvssSetFactory: EnrichmentSetFactory = singleEnricherSet(CVSS_NAME, parseCvssConfig, (config) => new CvssUpdater(config));

export const cvssEnricher: Enricher = cveMapEnricher(CVSS_NAME, CVSS_TYPE);
