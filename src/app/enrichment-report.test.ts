/**
 * Enrichment end to end: a combo Clair on PostgreSQL runs the Alpine
 * updater and the three enrichers against loopback feeds, indexes an Alpine
 * image, and serves a vulnerability report whose `enrichments` hold exactly
 * the CVSS, EPSS and KEV values of its CVE, under claircore's media types.
 * Then `updaters.sets: [clair.cvss, clair.epss]` runs just those two, and
 * `matcher.disable_enrichment` serves reports without enrichments.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startClair, type ClairProcess } from './start.js';
import { quietLogger, testConfig } from '../test-support/config.js';
import { createPostgresDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { indexAndReport } from '../test-support/reports.js';
import { ALPINE_UPDATER, BASE_FIXES, servePipelineImages, type PipelineImages } from '../test-support/notifier-pipeline.js';
import { cvss3Data, epssCsv, kevCatalog, nvdCve, nvdFeed, serveEnrichmentFeeds, type EnrichmentFeeds } from '../test-support/enrichment-feeds.js';
import { CVSS_TYPE, EPSS_TYPE, KEV_TYPE } from '../enrichers/index.js';

const CVE = 'CVE-2024-0727';
const CVSS = cvss3Data('CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H', 5.5, 'MEDIUM');
const SOURCES = {
  nvd: {
    2024: nvdFeed([
      nvdCve({ id: CVE, metrics: { cvssMetricV31: [{ type: 'Primary', cvssData: CVSS }, { type: 'Secondary', cvssData: cvss3Data('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CRITICAL') }] } }),
      nvdCve({ id: 'CVE-2024-0001', metrics: { cvssMetricV31: [{ type: 'Primary', cvssData: cvss3Data('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CRITICAL') }] } }),
    ]),
  },
  epss: epssCsv([['CVE-2024-0001', '0.10000', '0.50000'], [CVE, '0.00283', '0.68943']], 'v2025.03.14', '2025-08-24T12:55:00Z'),
  kev: kevCatalog([{ cveID: CVE, dateAdded: '2025-08-25', dueDate: '2025-09-15', knownRansomwareCampaignUse: 'Unknown' }]),
};

describe('enrichments in vulnerability reports (combo, PostgreSQL)', { skip: await postgresUnavailable(), timeout: 180_000 }, () => {
  let images: PipelineImages;
  let feeds: EnrichmentFeeds;
  const dbs: TestDatabase[] = [];
  const clairs: ClairProcess[] = [];
  const start = async (updaters: Record<string, unknown>, matcher: Record<string, unknown> = {}): Promise<ClairProcess> => {
    const [indexer, matcherDb] = await Promise.all([createPostgresDatabase(), createPostgresDatabase()]);
    dbs.push(indexer, matcherDb);
    const clair = await startClair({
      mode: 'combo',
      log: quietLogger(),
      config: testConfig('combo', { indexer: { connstring: indexer.connstring, migrations: true }, matcher: { connstring: matcherDb.connstring, migrations: true, disable_updaters: false, ...matcher }, updaters }),
    });
    clairs.push(clair);
    await clair.firstUpdate;
    return clair;
  };
  const operations = async (clair: ClairProcess, kind: string): Promise<string[]> => {
    const r = await fetch(`${clair.apiUrl}/matcher/api/v1/internal/update_operation?kind=${kind}`);
    return Object.keys((await r.json()) as Record<string, unknown>).sort();
  };

  before(async () => {
    images = await servePipelineImages();
    images.setFixes({ ...BASE_FIXES, openssl: { '3.1.4-r5': [CVE] } });
    feeds = await serveEnrichmentFeeds(SOURCES);
  });
  after(async () => {
    for (const c of clairs) await c.close();
    for (const db of dbs) await db.drop();
    await feeds?.close();
    await images?.close();
  });

  it('fills enrichments with exactly the CVSS, EPSS and KEV values of the CVE, under claircore\'s media types', async () => {
    const clair = await start({ sets: ['alpine', 'clair.cvss', 'clair.epss', 'clair.kev'], config: { ...(images.updaters.config as object), ...feeds.config } });
    assert.deepEqual(await operations(clair, 'enrichment'), ['clair.cvss', 'clair.epss', 'clair.kev']);
    assert.deepEqual(await operations(clair, 'vulnerability'), [ALPINE_UPDATER]);
    const report = await indexAndReport(clair, images.manifests.openssl);
    const ids = Object.keys(report.vulnerabilities);
    assert.equal(ids.length, 1);
    const id = ids[0]!;
    const vuln = report.vulnerabilities[id]!;
    assert.deepEqual([vuln.name, vuln.package?.name, vuln.normalized_severity], [CVE, 'openssl', 'Unknown'], 'the vendor\'s severity is left as it is');
    assert.deepEqual(report.enrichments, {
      [CVSS_TYPE]: [{ [id]: [CVSS] }],
      [EPSS_TYPE]: [{ [id]: [{ modelVersion: 'v2025.03.14', date: '2025-08-24T12:55:00Z', cve: CVE, epss: 0.00283, percentile: 0.68943 }] }],
      [KEV_TYPE]: [{
        [id]: [{
          cve: CVE,
          vulnerability_name: `Example Thing flaw ${CVE}`,
          catalog_version: '2025.08.25',
          date_added: '2025-08-25',
          short_description: `Example Thing contains a flaw (${CVE}).`,
          required_action: 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
          due_date: '2025-09-15',
          known_ransomware_campaign_use: 'Unknown',
        }],
      }],
    });
    assert.deepEqual(Object.keys(report.enrichments), [CVSS_TYPE, EPSS_TYPE, KEV_TYPE], 'keys in Go\'s (sorted) order');
    const busybox = await indexAndReport(clair, images.manifests.busybox);
    assert.deepEqual([busybox.vulnerabilities, busybox.enrichments], [{}, {}], 'no vulnerability, no enrichment');
  });

  it('runs exactly the enrichers updaters.sets names', async () => {
    const clair = await start({ sets: ['clair.cvss', 'clair.epss'], config: feeds.config });
    assert.deepEqual(await operations(clair, 'enrichment'), ['clair.cvss', 'clair.epss']);
    assert.deepEqual(await operations(clair, 'vulnerability'), []);
  });

  it('serves reports without enrichments when matcher.disable_enrichment is set', async () => {
    const clair = await start({ sets: ['alpine', 'clair.cvss'], config: { ...(images.updaters.config as object), ...feeds.config } }, { disable_enrichment: true });
    assert.deepEqual(await operations(clair, 'enrichment'), ['clair.cvss'], 'a set named explicitly still runs');
    const report = await indexAndReport(clair, images.manifests.openssl);
    assert.equal(Object.keys(report.vulnerabilities).length, 1);
    assert.deepEqual(report.enrichments, {});
  });
});
