/**
 * @module Enrichment sources played on loopback, in their real formats, for
 * the enricher tests, the end-to-end report, the air gap and the benchmark:
 *
 * - NVD's CVE JSON 2.0 feeds at claircore's layout (`nvdcve-2.0-<year>.meta`
 *   and `.json.gz` for every year from 2002 to this one, plus `modified`);
 * - FIRST's EPSS CSV (gzip, `#model_version:…,score_date:…` first line);
 * - CISA's KEV catalog JSON.
 *
 * Builders write documents from a few fields; `serveEnrichmentFeeds` puts
 * them behind one feed server and returns the `updaters.config` blocks that
 * point the three enrichers at it.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { startFeedServer, type FeedServer } from './feed-server.js';

const V31_NAMES: Record<string, [string, Record<string, string>]> = {
  AV: ['attackVector', { N: 'NETWORK', A: 'ADJACENT_NETWORK', L: 'LOCAL', P: 'PHYSICAL' }],
  AC: ['attackComplexity', { L: 'LOW', H: 'HIGH' }],
  PR: ['privilegesRequired', { N: 'NONE', L: 'LOW', H: 'HIGH' }],
  UI: ['userInteraction', { N: 'NONE', R: 'REQUIRED' }],
  S: ['scope', { U: 'UNCHANGED', C: 'CHANGED' }],
  C: ['confidentialityImpact', { N: 'NONE', L: 'LOW', H: 'HIGH' }],
  I: ['integrityImpact', { N: 'NONE', L: 'LOW', H: 'HIGH' }],
  A: ['availabilityImpact', { N: 'NONE', L: 'LOW', H: 'HIGH' }],
};

/** A v3.x `cvssData` object as NVD writes it, from its vector, score and severity. */
export function cvss3Data(vectorString: string, baseScore: number, baseSeverity: string): Record<string, unknown> {
  const data: Record<string, unknown> = { version: vectorString.slice(5, 8), vectorString, baseScore, baseSeverity };
  for (const part of vectorString.split('/').slice(1)) {
    const [k, v] = part.split(':') as [string, string];
    const named = V31_NAMES[k];
    if (named) data[named[0]] = named[1][v] ?? v;
  }
  return data;
}

export interface NvdCveSpec {
  id: string;
  status?: string;
  /** Metric lists by key (`cvssMetricV31`, `cvssMetricV30`, `cvssMetricV40`, `cvssMetricV2`). */
  metrics?: Record<string, Array<{ type: 'Primary' | 'Secondary'; cvssData: Record<string, unknown>; source?: string }>>;
}

/** One `vulnerabilities[]` element, with the bulky parts a real one has. */
export function nvdCve(spec: NvdCveSpec): unknown {
  const metrics = Object.fromEntries(
    Object.entries(spec.metrics ?? {}).map(([key, list]) => [
      key,
      list.map((m) => ({ source: m.source ?? (m.type === 'Primary' ? 'nvd@nist.gov' : 'cna@example.com'), type: m.type, cvssData: m.cvssData, exploitabilityScore: 3.9, impactScore: 5.9 })),
    ]),
  );
  return {
    cve: {
      id: spec.id,
      sourceIdentifier: 'cve@mitre.org',
      published: '2024-01-02T03:04:05.000',
      lastModified: '2025-01-02T03:04:05.000',
      vulnStatus: spec.status ?? 'Analyzed',
      cveTags: [],
      descriptions: [{ lang: 'en', value: `A flaw in something (${spec.id}); see also CVE-1999-0001.` }],
      metrics,
      weaknesses: [{ source: 'nvd@nist.gov', type: 'Primary', description: [{ lang: 'en', value: 'CWE-79' }] }],
      configurations: [{ nodes: [{ operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:example:thing:*:*:*:*:*:*:*:*', versionEndExcluding: '1.2.3', matchCriteriaId: '00000000-0000-0000-0000-000000000000' }] }] }],
      references: [{ url: `https://example.com/advisories/${spec.id}`, source: 'cve@mitre.org' }],
    },
  };
}

/** An NVD CVE JSON 2.0 document holding `elements`. */
export function nvdFeed(elements: unknown[]): string {
  return JSON.stringify({ resultsPerPage: elements.length, startIndex: 0, totalResults: elements.length, format: 'NVD_CVE', version: '2.0', timestamp: '2025-08-07T03:01:40.660', vulnerabilities: elements }, null, 2);
}

/** The `.meta` file NVD publishes beside a feed. */
export function nvdMeta(json: string, gz: Uint8Array = gzipSync(json)): string {
  const sha = createHash('sha256').update(json).digest('hex').toUpperCase();
  return `lastModifiedDate:2025-08-07T03:01:41-04:00\r\nsize:${Buffer.byteLength(json)}\r\nzipSize:${gz.length}\r\ngzSize:${gz.length}\r\nsha256:${sha}\r\n`;
}

/** The years claircore fetches: 2002 to this one. */
export function feedYears(now = new Date()): string[] {
  return Array.from({ length: now.getUTCFullYear() - 2002 + 1 }, (_, i) => String(2002 + i));
}

/** Routes for NVD's feed layout under `prefix`: the given feeds by year (or `modified`), empty feeds for every other year. */
export function nvdRoutes(feeds: Record<string, string>, prefix = '/nvd/'): Record<string, { body: string | Uint8Array; contentType: string }> {
  const routes: Record<string, { body: string | Uint8Array; contentType: string }> = {};
  for (const name of [...feedYears(), ...(feeds.modified !== undefined ? ['modified'] : [])]) {
    const json = feeds[name] ?? nvdFeed([]);
    const gz = gzipSync(json);
    routes[`${prefix}nvdcve-2.0-${name}.meta`] = { body: nvdMeta(json, gz), contentType: 'text/plain' };
    routes[`${prefix}nvdcve-2.0-${name}.json.gz`] = { body: gz, contentType: 'application/gzip' };
  }
  return routes;
}

/** An EPSS CSV: the metadata line, the header, then `cve,epss,percentile` rows as written. */
export function epssCsv(rows: ReadonlyArray<readonly [string, string, string]>, model = 'v2025.03.14', date = '2025-08-24T12:55:00Z'): string {
  return [`#model_version:${model},score_date:${date}`, 'cve,epss,percentile', ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

export interface KevSpec {
  cveID: string;
  dateAdded?: string;
  dueDate?: string;
  knownRansomwareCampaignUse?: string;
  requiredAction?: string;
}

/** A KEV catalog in CISA's format. */
export function kevCatalog(entries: readonly KevSpec[], catalogVersion = '2025.08.25'): string {
  return JSON.stringify(
    {
      title: 'CISA Catalog of Known Exploited Vulnerabilities',
      catalogVersion,
      dateReleased: '2025-08-25T17:04:19.9796Z',
      count: entries.length,
      vulnerabilities: entries.map((e) => ({
        cveID: e.cveID,
        vendorProject: 'Example',
        product: 'Thing',
        vulnerabilityName: `Example Thing flaw ${e.cveID}`,
        dateAdded: e.dateAdded ?? '2025-01-02',
        shortDescription: `Example Thing contains a flaw (${e.cveID}).`,
        requiredAction: e.requiredAction ?? 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
        dueDate: e.dueDate ?? '2025-01-23',
        knownRansomwareCampaignUse: e.knownRansomwareCampaignUse ?? 'Unknown',
        notes: 'https://example.com/advisory',
        cwes: ['CWE-79'],
      })),
    },
    null,
    4,
  );
}

export interface EnrichmentFeeds {
  server: FeedServer;
  /** `updaters.config` blocks for clair.cvss, clair.epss and clair.kev pointing here. */
  config: Record<string, Record<string, string>>;
  close(): Promise<void>;
}

export const EPSS_PATH = '/epss/epss_scores-2025-08-24.csv.gz';
export const KEV_PATH = '/kev/known_exploited_vulnerabilities.json';

/** One server with all three sources. */
export async function serveEnrichmentFeeds(sources: { nvd: Record<string, string>; epss: string; kev: string }): Promise<EnrichmentFeeds> {
  const server = await startFeedServer({
    ...nvdRoutes(sources.nvd),
    [EPSS_PATH]: { body: gzipSync(sources.epss), contentType: 'application/gzip' },
    [KEV_PATH]: { body: sources.kev, contentType: 'application/json', lastModified: new Date('2025-08-25T17:04:20Z') },
  });
  return {
    server,
    config: {
      'clair.cvss': { feed_root: `${server.url}nvd/` },
      'clair.epss': { url: `${server.url}${EPSS_PATH.slice(1)}` },
      'clair.kev': { feed_root: `${server.url}${KEV_PATH.slice(1)}` },
    },
    close: () => server.close(),
  };
}
