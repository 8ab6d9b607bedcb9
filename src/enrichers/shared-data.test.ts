/**
 * Real upstream data (`../shared/data/enrichment/`, skipped when absent):
 * NVD's feed and API pages, FIRST's EPSS samples and CISA's complete KEV
 * catalog are served on loopback in their real layouts, loaded through the
 * update manager into PostgreSQL, and every CVE's stored value is compared
 * with the value read straight from the source file here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Registry } from 'prom-client';
import { createHttpClient } from '../lib/http-client.js';
import { openDatabase } from '../store/open.js';
import { migrate } from '../store/migrate.js';
import type { Database } from '../store/database.js';
import { SqlMatcherStore } from '../store/matcher/sql-matcher-store.js';
import { UpdateManager } from '../updaters/manager.js';
import { UpdaterMetrics } from '../updaters/metrics.js';
import { quietLogger } from '../test-support/config.js';
import { createPostgresDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { collect, startFeedServer, type FeedServer } from '../test-support/feed-server.js';
import { nvdRoutes } from '../test-support/enrichment-feeds.js';
import { SHARED_DATA, sharedDataSkip } from '../test-support/updater-context.js';
import { cvssSetFactory, epssSetFactory, kevSetFactory } from './index.js';
import { readEpss } from './epss/csv.js';

const DIR = join(SHARED_DATA, 'enrichment');
const skip = sharedDataSkip('enrichment/kev/known_exploited_vulnerabilities.json') || (await postgresUnavailable());
const text = (path: string) => readFileSync(join(DIR, path), 'utf8');

interface NvdDoc {
  vulnerabilities: Array<{ cve: { id: string; vulnStatus?: string; metrics?: Record<string, Array<{ type: string; cvssData: unknown }>> } }>;
}

/** The score the enricher must keep for each CVE of an NVD document, read plainly. */
function expectedCvss(doc: NvdDoc): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const { cve } of doc.vulnerabilities) {
    if (cve.vulnStatus === 'Rejected') {
      out.set(cve.id, undefined);
      continue;
    }
    let chosen: unknown;
    for (const key of ['cvssMetricV31', 'cvssMetricV30', 'cvssMetricV40']) {
      chosen ??= (cve.metrics?.[key] ?? []).find((m) => m.type === 'Primary')?.cvssData;
    }
    out.set(cve.id, chosen);
  }
  return out;
}

/** `cve → [epss, percentile, model, date]` read from an EPSS CSV. */
function expectedEpss(csv: string): Map<string, { modelVersion: string; date: string; cve: string; epss: number; percentile: number }> {
  const [meta, , ...rows] = csv.trim().split('\n');
  const modelVersion = /model_version:([^,]+)/.exec(meta!)![1]!;
  const date = /score_date:(.+)$/.exec(meta!)![1]!.trim();
  return new Map(rows.map((row) => {
    const [cve, epss, percentile] = row.trim().split(',') as [string, string, string];
    return [cve, { modelVersion, date, cve, epss: parseFloat(epss), percentile: parseFloat(percentile) }];
  }));
}

describe('enrichers on the real data in ../shared (postgres)', { skip }, () => {
  let target: TestDatabase;
  let db: Database;
  let store: SqlMatcherStore;
  let feeds: FeedServer;

  before(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase(target.connstring, { dataDir: 'unused' });
    await migrate(db, 'matcher');
    store = new SqlMatcherStore(db);
    feeds = await startFeedServer({
      // The claircore fixture as 2016's feed, the API page as 2023's: the same JSON shape.
      ...nvdRoutes({ 2016: text('cvss-nvd/feed.json'), 2023: text('nvd-api-2.0/vunnel-fixture-full-page.json') }),
      '/epss/epss_scores-2024-10-25.csv.gz': { body: gzipSync(text('epss/claircore-sample.csv')) },
      '/kev/known_exploited_vulnerabilities.json': { body: { file: join(DIR, 'kev/known_exploited_vulnerabilities.json') }, contentType: 'application/json', lastModified: new Date('2025-08-25T17:04:20Z') },
    });
    const config = {
      'clair.cvss': { feed_root: `${feeds.url}nvd/` },
      'clair.epss': { url: `${feeds.url}epss/epss_scores-2024-10-25.csv.gz` },
      'clair.kev': { feed_root: `${feeds.url}kev/known_exploited_vulnerabilities.json` },
    };
    const m = new UpdateManager({ db, store, factories: [cvssSetFactory, epssSetFactory, kevSetFactory], config, http: createHttpClient(), log: quietLogger(), metrics: new UpdaterMetrics(new Registry()), retention: 2 });
    assert.deepEqual(await m.runOnce(), { 'clair.cvss': 'changed', 'clair.epss': 'changed', 'clair.kev': 'changed' });
  });
  after(async () => {
    await db?.close();
    await target?.drop();
    await feeds?.close();
  });

  const lookupAll = async (enricher: string, ids: string[]) => {
    const found = await store.enrichments(enricher, ids.map((id) => [id]));
    return new Map(ids.map((id, i) => [id, found[i]!.map((r) => r.enrichment)]));
  };

  it('stores NVD\'s own v3.x score of every CVE in claircore\'s feed and the NVD API page, exactly as written', async () => {
    const expected = new Map([...expectedCvss(JSON.parse(text('cvss-nvd/feed.json')) as NvdDoc), ...expectedCvss(JSON.parse(text('nvd-api-2.0/vunnel-fixture-full-page.json')) as NvdDoc)]);
    assert.ok(expected.size >= 40);
    const stored = await lookupAll('clair.cvss', [...expected.keys()]);
    for (const [id, want] of expected) assert.deepEqual(stored.get(id), want === undefined ? [] : [want], id);
    assert.deepEqual(stored.get('CVE-2016-2781'), [{ version: '3.0', vectorString: 'CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:C/C:N/I:H/A:N', baseScore: 6.5, baseSeverity: 'MEDIUM', attackVector: 'LOCAL', attackComplexity: 'LOW', privilegesRequired: 'LOW', userInteraction: 'NONE', scope: 'CHANGED', confidentialityImpact: 'NONE', integrityImpact: 'HIGH', availabilityImpact: 'NONE' }], 'claircore\'s own expectation');
    assert.deepEqual(stored.get('CVE-2016-3197'), [], 'rejected');
    assert.deepEqual(stored.get('CVE-2023-30781'), [], 'a CNA score only (awaiting analysis): not NVD\'s, not kept');
  });

  it('stores every EPSS row with its model version and date', async () => {
    const expected = expectedEpss(text('epss/claircore-sample.csv'));
    assert.equal(expected.size, 29);
    const stored = await lookupAll('clair.epss', [...expected.keys()]);
    for (const [id, want] of expected) assert.deepEqual(stored.get(id), [want], id);
  });

  it('reads vunnel\'s EPSS sample alike', async () => {
    const file = join(DIR, 'epss/vunnel-fixture-example-1.csv');
    const records = await collect(readEpss(file, false, 'clair.epss', { written: 0, invalid: 0 }));
    assert.deepEqual(records.map((r) => r.enrichment), [...expectedEpss(text('epss/vunnel-fixture-example-1.csv')).values()]);
  });

  it('stores every entry of CISA\'s complete KEV catalog with claircore\'s fields', async () => {
    const catalog = JSON.parse(text('kev/known_exploited_vulnerabilities.json')) as { catalogVersion: string; vulnerabilities: Array<Record<string, string>> };
    assert.equal(catalog.vulnerabilities.length, 1404);
    const stored = await lookupAll('clair.kev', catalog.vulnerabilities.map((v) => v.cveID!));
    for (const v of catalog.vulnerabilities) {
      assert.deepEqual(stored.get(v.cveID!), [{
        cve: v.cveID,
        vulnerability_name: v.vulnerabilityName,
        catalog_version: catalog.catalogVersion,
        date_added: v.dateAdded,
        short_description: v.shortDescription,
        required_action: v.requiredAction,
        due_date: v.dueDate,
        known_ransomware_campaign_use: v.knownRansomwareCampaignUse,
      }], v.cveID);
    }
  });
});
