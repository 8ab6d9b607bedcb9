/**
 * @module Store-backed behaviour of the local services that exist so far
 * (stored index reports and deletes, update operations, notification pages
 * and acknowledgements), run against each backend.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from './open.js';
import { migrate, SERVICES } from './migrate.js';
import type { Database } from './database.js';
import { createTestDatabase, type Backend, type TestDatabase } from '../test-support/databases.js';
import { SqlIndexerStore } from './indexer/sql-indexer-store.js';
import { SqlMatcherStore } from './matcher/sql-matcher-store.js';
import { SqlNotifierStore } from './notifier/sql-notifier-store.js';
import { indexerState } from '../indexer/state.js';
import { LocalMatcher } from '../matcher/local-matcher.js';
import { LocalNotifier } from '../notifier/local-notifier.js';
import { isClairError } from '../lib/errors.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const NOTIFICATION = '5e3f2b6a-0000-4000-8000-000000000001';

export function runServiceStoreSuite(backend: Backend, skip?: string): void {
  describe(`local services on the store (${backend})`, { skip }, () => {
    let target: TestDatabase;
    let db: Database;
    before(async () => {
      target = await createTestDatabase(backend);
      db = await openDatabase(target.connstring, { dataDir: 'unused' });
      for (const s of SERVICES) await migrate(db, s);
    });
    after(async () => {
      await db?.close();
      await target?.drop();
    });

    it('indexer: returns stored reports and deletes manifests, reporting which existed', async () => {
      const report = { manifest_hash: D1, state: 'IndexFinished', packages: {}, distributions: {}, repository: {}, environments: {}, success: true, err: '' };
      await db.query('INSERT INTO manifest (hash) VALUES ($1), ($2)', [D1, D2]);
      await db.query("INSERT INTO indexreport (manifest_id, state, scan_result) SELECT id, 'IndexFinished', $2::jsonb FROM manifest WHERE hash = $1", [D1, JSON.stringify(report)]);
      const indexer = new SqlIndexerStore(db);
      assert.deepEqual(await indexer.indexReport(D1), report);
      assert.equal(await indexer.indexReport(D2), undefined, 'a manifest without a report has none');
      assert.deepEqual((await indexer.deleteManifests([D1, D2, `sha256:${'3'.repeat(64)}`])).sort(), [D1, D2]);
      assert.equal(await indexer.indexReport(D1), undefined);
      const { rows } = await db.query('SELECT 1 FROM indexreport');
      assert.equal(rows.length, 0, 'reports cascade with their manifest');
      assert.deepEqual(await indexer.deleteManifests([]), []);
    });

    it('indexer: the state token is libindex\'s md5 over the sorted scanner set', async () => {
      assert.equal(indexerState([]), 'ebb5442d8fa1a1892125d15ed2c106d0');
      const a = { name: 'dpkg', version: '7', kind: 'package' } as const;
      const b = { name: 'alpine', version: '3', kind: 'distribution' } as const;
      assert.equal(indexerState([a, b]), indexerState([b, a]));
      assert.notEqual(indexerState([a, b]), indexerState([{ ...a, version: '8' }, b]));
    });

    it('matcher: initialized once vulnerabilities exist; lists, picks the latest and deletes update operations', async () => {
      const matcher = new LocalMatcher(new SqlMatcherStore(db), []);
      assert.equal(await matcher.initialized(), false);
      assert.deepEqual(await matcher.updateOperations('vulnerability'), {});
      assert.equal(await matcher.latestUpdateOperation('vulnerability'), undefined);
      const insert = async (updater: string, fp: string, kind = 'vulnerability') =>
        (await db.query<{ ref: string }>('INSERT INTO update_operation (updater, fingerprint, kind) VALUES ($1, $2, $3) RETURNING ref::text AS ref', [updater, fp, kind])).rows[0]!.ref;
      const a1 = await insert('alpine', 'a1');
      const d1 = await insert('debian', 'd1');
      const a2 = await insert('alpine', 'a2');
      await insert('clair.cvss', 'c1', 'enrichment');
      const all = await matcher.updateOperations('vulnerability');
      assert.deepEqual(Object.keys(all).sort(), ['alpine', 'debian']);
      assert.deepEqual(all.alpine!.map((u) => u.ref), [a2, a1], 'newest first');
      assert.deepEqual(all.alpine!.map((u) => [u.updater, u.fingerprint, u.kind]), [['alpine', 'a2', 'vulnerability'], ['alpine', 'a1', 'vulnerability']]);
      assert.match(all.alpine![0]!.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const latest = await matcher.latestUpdateOperations('vulnerability');
      assert.deepEqual(Object.fromEntries(Object.entries(latest).map(([k, v]) => [k, v.map((u) => u.ref)])), { alpine: [a2], debian: [d1] });
      assert.equal(await matcher.latestUpdateOperation('vulnerability'), a2);
      assert.deepEqual(Object.keys(await matcher.updateOperations('enrichment')), ['clair.cvss']);
      assert.equal(await matcher.deleteUpdateOperations([a1, '00000000-0000-4000-8000-000000000000']), 1);
      assert.deepEqual((await matcher.updateOperations('vulnerability')).alpine!.map((u) => u.ref), [a2]);
      await db.query("INSERT INTO vuln (hash_kind, hash, updater, name) VALUES ('md5', '\\x01', 'alpine', 'CVE-2026-0001')");
      assert.equal(await matcher.initialized(), true);
    });

    it('notifier: pages bodies in id order with a next cursor, and acknowledges via the receipt', async () => {
      await db.query('INSERT INTO notification (id) VALUES ($1)', [NOTIFICATION]);
      const ids = ['00000000-0000-4000-8000-00000000000c', '00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
      for (const [n, id] of ids.entries()) {
        const body = { manifest: D1, reason: 'added', vulnerability: { name: `CVE-2026-000${n}`, description: '', severity: 'High', fixed_in_version: '', links: '' } };
        await db.query('INSERT INTO notification_body (id, notification_id, body) VALUES ($1, $2, $3::jsonb)', [id, NOTIFICATION, JSON.stringify(body)]);
      }
      const notifier = new LocalNotifier(new SqlNotifierStore(db));
      const first = await notifier.notifications(NOTIFICATION, { size: 2 });
      assert.deepEqual(first.page, { size: 2, next: ids[2] });
      assert.deepEqual(first.notifications.map((x) => x.id), [ids[1], ids[2]]);
      assert.equal(first.notifications[0]!.vulnerability.name, 'CVE-2026-0001');
      const second = await notifier.notifications(NOTIFICATION, { size: 2, next: first.page.next! });
      assert.deepEqual(second, {
        page: { size: 2 },
        notifications: [{ id: ids[0], manifest: D1, reason: 'added', vulnerability: { name: 'CVE-2026-0000', description: '', severity: 'High', fixed_in_version: '', links: '' } }],
      });
      assert.deepEqual(await notifier.notifications('00000000-0000-4000-8000-0000000000ff', { size: 5 }), { page: { size: 5 }, notifications: [] });

      await assert.rejects(notifier.deleteNotifications(NOTIFICATION), (e) => isClairError(e, 'NOTIFICATION_NOT_FOUND'));
      await db.query("INSERT INTO receipt (notification_id, uo_id, status) VALUES ($1, gen_random_uuid(), 'delivered')", [NOTIFICATION]);
      await notifier.deleteNotifications(NOTIFICATION);
      const { rows } = await db.query<{ status: string }>('SELECT status::text AS status FROM receipt WHERE notification_id = $1', [NOTIFICATION]);
      assert.deepEqual(rows, [{ status: 'deleted' }]);
    });
  });
}
