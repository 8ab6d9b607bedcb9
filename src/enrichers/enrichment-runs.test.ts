/**
 * The three enrichers run by the matcher's UpdateManager against loopback
 * feeds into PostgreSQL: each first run makes one enrichment operation, an
 * unchanged source makes none, a 500 or a broken feed fails that run and
 * keeps the data in force, a changed source replaces it, GC keeps the
 * retention, and two replicas run each enricher once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
import { cvss3Data, EPSS_PATH, epssCsv, KEV_PATH, kevCatalog, nvdCve, nvdFeed, nvdMeta, serveEnrichmentFeeds, type EnrichmentFeeds } from '../test-support/enrichment-feeds.js';
import { cvssSetFactory, epssSetFactory, kevSetFactory } from './index.js';

const NVD = { 2024: nvdFeed([nvdCve({ id: 'CVE-2024-3094', metrics: { cvssMetricV31: [{ type: 'Primary', cvssData: cvss3Data('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 10, 'CRITICAL') }] } })]) };
const EPSS = epssCsv([['CVE-2024-3094', '0.84013', '0.99256']]);
const KEV = kevCatalog([{ cveID: 'CVE-2024-3094', dateAdded: '2024-04-01', dueDate: '2024-04-22' }]);

describe('enrichers through the update manager (postgres)', { skip: await postgresUnavailable() }, () => {
  let target: TestDatabase;
  let db: Database;
  let store: SqlMatcherStore;
  let feeds: EnrichmentFeeds;
  const manager = (database = db, retention = 2) =>
    new UpdateManager({ db: database, store: new SqlMatcherStore(database), factories: [cvssSetFactory, epssSetFactory, kevSetFactory], config: feeds.config, http: createHttpClient(), log: quietLogger(), metrics: new UpdaterMetrics(new Registry()), retention });
  const lookup = async (enricher: string) => (await store.enrichments(enricher, [['CVE-2024-3094']]))[0]!.map((r) => r.enrichment);
  const operations = async () => Object.fromEntries(Object.entries(await store.updateOperations('enrichment')).map(([u, ops]) => [u, ops.length]));

  before(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase(target.connstring, { dataDir: 'unused' });
    await migrate(db, 'matcher');
    store = new SqlMatcherStore(db);
    feeds = await serveEnrichmentFeeds({ nvd: NVD, epss: EPSS, kev: KEV });
  });
  after(async () => {
    await db?.close();
    await target?.drop();
    await feeds?.close();
  });

  it('stores one enrichment operation per enricher, then none while the sources are unchanged', async () => {
    const m = manager();
    assert.deepEqual(await m.runOnce(), { 'clair.cvss': 'changed', 'clair.epss': 'changed', 'clair.kev': 'changed' });
    assert.deepEqual(await lookup('clair.cvss'), [cvss3Data('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 10, 'CRITICAL')]);
    assert.deepEqual(await lookup('clair.epss'), [{ modelVersion: 'v2025.03.14', date: '2025-08-24T12:55:00Z', cve: 'CVE-2024-3094', epss: 0.84013, percentile: 0.99256 }]);
    assert.deepEqual((await lookup('clair.kev')).map((e) => (e as { due_date: string }).due_date), ['2024-04-22']);
    assert.deepEqual(await m.runOnce(), { 'clair.cvss': 'unchanged', 'clair.epss': 'unchanged', 'clair.kev': 'unchanged' });
    assert.deepEqual(await operations(), { 'clair.cvss': 1, 'clair.epss': 1, 'clair.kev': 1 });
    assert.deepEqual(await store.updateOperations('vulnerability'), {}, 'enrichments make no vulnerability operation');
    const status = await store.updaterStatus('clair.kev');
    assert.equal(status?.lastRunSucceeded, true);
  });

  it('fails a run on a 500 or a broken feed and keeps the data in force', async () => {
    const epss = feeds.server.routes.get(EPSS_PATH)!;
    feeds.server.routes.set(EPSS_PATH, { ...epss, body: gzipSync(epssCsv([['CVE-2024-3094', '0.5', '0.9']])), failFirst: [500] });
    feeds.server.routes.set(KEV_PATH, { body: KEV.slice(0, 300), lastModified: new Date('2025-08-26T00:00:00Z') });
    const cut = NVD[2024].slice(0, 500);
    feeds.server.routes.set('/nvd/nvdcve-2.0-2024.json.gz', { body: gzipSync(cut) });
    feeds.server.routes.set('/nvd/nvdcve-2.0-2024.meta', { body: nvdMeta(cut) });
    assert.deepEqual(await manager().runOnce(), { 'clair.cvss': 'failed', 'clair.epss': 'failed', 'clair.kev': 'failed' });
    assert.deepEqual(await operations(), { 'clair.cvss': 1, 'clair.epss': 1, 'clair.kev': 1 });
    assert.deepEqual((await lookup('clair.epss')).map((e) => (e as { epss: number }).epss), [0.84013]);
    assert.equal((await lookup('clair.kev')).length, 1);
    assert.equal((await lookup('clair.cvss')).length, 1);
    const status = await store.updaterStatus('clair.epss');
    assert.equal(status?.lastRunSucceeded, false);
    assert.equal(status?.lastError, `clair.epss: unexpected status requesting ${feeds.config['clair.epss']!.url}: 500 Internal Server Error`);
    assert.match((await store.updaterStatus('clair.kev'))!.lastError, /^clair\.kev: malformed KEV catalog: /);
    assert.match((await store.updaterStatus('clair.cvss'))!.lastError, /^clair\.cvss: nvdcve-2\.0-2024\.json\.gz: malformed NVD feed: /);
  });

  it('replaces the data when a source changes, keeps update_retention operations, and runs once across two replicas', async () => {
    assert.deepEqual(await manager().runOnce(), { 'clair.cvss': 'failed', 'clair.epss': 'changed', 'clair.kev': 'failed' }, 'the EPSS 500 was a one-off');
    assert.deepEqual((await lookup('clair.epss')).map((e) => (e as { epss: number }).epss), [0.5]);
    for (const epss of ['0.6', '0.7']) {
      feeds.server.routes.set(EPSS_PATH, { body: gzipSync(epssCsv([['CVE-2024-3094', epss, '0.9']])) });
      await manager().runOnce();
    }
    assert.deepEqual((await store.updateOperations('enrichment'))['clair.epss']!.length, 2, 'retention 2');
    assert.deepEqual((await lookup('clair.epss')).map((e) => (e as { epss: number }).epss), [0.7]);
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM enrichment WHERE updater = 'clair.epss'");
    assert.equal(rows[0]!.n, 2, 'the rows of collected operations are gone');

    feeds.server.routes.set(KEV_PATH, { body: kevCatalog([{ cveID: 'CVE-2024-3094', dueDate: '2024-05-01' }]), lastModified: new Date('2025-08-27T00:00:00Z') });
    const other = await openDatabase(target.connstring, { dataDir: 'unused' });
    try {
      const [a, b] = await Promise.all([manager(db).runOnce(), manager(other).runOnce()]);
      // The other replica found the lock held ('skipped') or, when it came later, the new fingerprint ('unchanged').
      assert.equal([a['clair.kev'], b['clair.kev']].filter((o) => o === 'changed').length, 1);
    } finally {
      await other.close();
    }
    assert.equal((await store.updateOperations('enrichment'))['clair.kev']!.length, 2);
    assert.deepEqual((await lookup('clair.kev')).map((e) => (e as { due_date: string }).due_date), ['2024-05-01']);
  });
});
