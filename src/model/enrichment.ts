/**
 * @module Enrichment records (claircore `driver.EnrichmentRecord`): extra
 * data about vulnerabilities — CVSS vectors, EPSS scores, KEV entries — kept
 * apart from the vulnerabilities themselves and found by tag (a CVE id) when
 * a report is built. Types only.
 */

/** A JSON value as stored and served: what `JSON.parse` returns. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One enrichment: the tags it is looked up by, and an opaque JSON value. */
export interface EnrichmentRecord {
  /** Vulnerability ids (and aliases) the enrichment applies to, e.g. `["CVE-2024-3094"]`. */
  tags: string[];
  /** The enricher's own JSON, emitted in reports as it is. */
  enrichment: unknown;
}
