/**
 * @module Clair's enrichers (claircore `enricher/…`), each an enrichment
 * updater set (named in `updaters.sets`) paired with the enricher that
 * files its records in reports:
 *
 * - `clair.cvss`: NVD's CVSS scores;
 * - `clair.epss`: FIRST's EPSS exploitation probabilities;
 * - `clair.kev`: CISA's Known Exploited Vulnerabilities catalog.
 */
export { CVSS_NAME, CVSS_TYPE, cvssEnricher, cvssSetFactory } from './cvss/index.js';
export { EPSS_NAME, EPSS_TYPE, epssEnricher, epssSetFactory } from './epss/index.js';
export { KEV_NAME, KEV_TYPE, kevEnricher, kevSetFactory } from './kev/index.js';
export { cveIds, cveMapEnricher, vulnerabilityTags } from './cve-enricher.js';
