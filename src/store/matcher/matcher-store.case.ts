/** @module Conformance suite for {@link MatcherStore}, run on each backend. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../open.js';
import { migrate } from '../migrate.js';
import type { Database } from '../database.js';
import { SqlMatcherStore } from './sql-matcher-store.js';
import { ENRICHMENT_BATCH } from './enrichment.js';
import { recordHash } from './vuln-row.js';
import { createTestDatabase, type Backend, type TestDatabase } from '../../test-support/databases.js';
import type { VulnerabilityRecord } from '../../model/index.js';

const bookworm = { did: 'debian', name: 'Debian GNU/Linux', version: '12 (bookworm)', versionCodeName: 'bookworm', versionId: '12', arch: '', cpe: '', prettyName: 'Debian GNU/Linux 12 (bookworm)' };

export const debianRecord = (name: string, pkg: string, fixed: string, extra: Partial<VulnerabilityRecord> = {}): VulnerabilityRecord => ({
  updater: 'debian/updater',
  name,
  description: `${name} in ${pkg}`,
  issued: new Date('2024-01-02T03:04:05Z'),
  links: `https://security-tracker.debian.org/tracker/${name}`,
  severity: 'medium',
  normalizedSeverity: 'High',
  package: { name: pkg, version: '', module: '', arch: '', kind: 'source' },
  distribution: bookworm,
  fixedInVersion: fixed,
  archOp: '',
  ...extra,
});

async function* slowly<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

export function runMatcherStoreSuite(backend: Backend, skip?: string): void {
  describe(`MatcherStore (${backend})`, { skip }, () => {
    let target: TestDatabase;
    let db: Database;
    let store: SqlMatcherStore;
    before(async () => {
      target = await createTestDatabase(backend);
      db = await openDatabase(target.connstring, { dataDir: 'unused' });
      await migrate(db, 'matcher');
      store = new SqlMatcherStore(db);
    });
    after(async () => {
      await db?.close();
      await target?.drop();
    });

    it('stores an update operation holding exactly the records streamed in, deduplicated', async () => {
      assert.equal(await store.initialized(), false);
      const records = [
        debianRecord('CVE-2024-0001', 'openssl', '3.0.13-1~deb12u1'),
        debianRecord('CVE-2024-0002', 'curl', ''),
        debianRecord('CVE-2024-0001', 'openssl', '3.0.13-1~deb12u1'), // duplicate
        debianRecord('CVE-2024-0003', '', '1.0'), // no package: skipped, as upstream
      ];
      const { operation, count } = await store.updateVulnerabilities('debian/updater', 'fp-1', slowly(records));
      assert.equal(count, 2);
      assert.equal(operation.updater, 'debian/updater');
      assert.equal(operation.fingerprint, 'fp-1');
      assert.equal(await store.initialized(), true);
      assert.equal(await store.latestFingerprint('debian/updater'), 'fp-1');
      const diff = await store.updateDiff(undefined, operation.ref);
      assert.equal(diff.prev.ref, '00000000-0000-0000-0000-000000000000');
      assert.deepEqual(diff.added.map((v) => [v.name, v.package?.name, v.fixed_in_version]), [['CVE-2024-0001', 'openssl', '3.0.13-1~deb12u1'], ['CVE-2024-0002', 'curl', '']]);
      const v = diff.added[0]!;
      assert.deepEqual(v.distribution, { id: '', did: 'debian', name: 'Debian GNU/Linux', version: '12 (bookworm)', version_code_name: 'bookworm', version_id: '12', arch: '', cpe: '', pretty_name: 'Debian GNU/Linux 12 (bookworm)' });
      assert.equal(v.issued, '2024-01-02T03:04:05.000Z');
      assert.equal(v.normalized_severity, 'High');
      assert.equal(v.package?.kind, 'source');
      assert.deepEqual(v.repository, { cpe: '' }, 'a record without a repository reads back as claircore writes it: an object, never null');
    });

    it('diffs two operations, and reuses rows for unchanged records', async () => {
      const first = await store.updateOperations('vulnerability', true);
      const prev = first['debian/updater']![0]!.ref;
      const { operation } = await store.updateVulnerabilities('debian/updater', 'fp-2', [
        debianRecord('CVE-2024-0001', 'openssl', '3.0.13-1~deb12u1'),
        debianRecord('CVE-2024-0004', 'zlib', '1:1.2.13.dfsg-1'),
      ]);
      const diff = await store.updateDiff(prev, operation.ref);
      assert.deepEqual(diff.added.map((v) => v.name), ['CVE-2024-0004']);
      assert.deepEqual(diff.removed.map((v) => v.name), ['CVE-2024-0002']);
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM vuln WHERE name = 'CVE-2024-0001'");
      assert.equal(rows[0]!.n, 1, 'the unchanged record is one row linked twice');
      const all = await store.updateOperations('vulnerability');
      assert.deepEqual(all['debian/updater']!.map((u) => u.fingerprint), ['fp-2', 'fp-1']);
    });

    it('queries the latest operation only, by package or source name and constraints, with range filtering', async () => {
      const q = (name: string, kind = 'source', constraints = { dist_id: 'debian', dist_version_id: '12' }) => ({ names: [{ name, kind }], constraints });
      const [openssl, curl, zlib, other] = await store.query([q('openssl'), q('curl'), q('zlib'), q('openssl', 'source', { dist_id: 'debian', dist_version_id: '11' })]);
      assert.deepEqual(openssl!.map((c) => [c.vulnerability.name, c.notVulnerable]), [['CVE-2024-0001', false]]);
      assert.deepEqual(curl, [], 'CVE-2024-0002 was removed by the newer operation');
      assert.deepEqual(zlib!.map((c) => c.vulnerability.fixed_in_version), ['1:1.2.13.dfsg-1']);
      assert.deepEqual(other, []);
      const fixedOnly = await store.query([{ ...q('openssl'), hasFixedInVersion: true }]);
      assert.equal(fixedOnly[0]!.length, 1);

      await store.updateVulnerabilities('osv/PyPI', 'p1', [
        { ...debianRecord('GHSA-1', 'requests', '2.31.0'), updater: 'osv/PyPI', distribution: undefined, repository: { name: 'pypi', key: '', uri: 'https://pypi.org/simple' }, package: { name: 'requests', version: '', module: '', arch: '', kind: 'binary' }, range: { kind: 'pep440', lower: [0, 2, 0, 0, 0, 0, 0, 0, 0, 0], upper: [0, 2, 31, 0, 0, 0, 0, 0, 0, 0] } },
      ]);
      const pv = (v: number[]) => ({ names: [{ name: 'requests', kind: 'binary' }], constraints: { repo_name: 'pypi' }, versionIn: { kind: 'pep440', v } });
      const [inside, above] = await store.query([pv([0, 2, 28, 1, 0, 0, 0, 0, 0, 0]), pv([0, 2, 31, 0, 0, 0, 0, 0, 0, 0])]);
      assert.deepEqual(inside!.map((c) => c.vulnerability.name), ['GHSA-1']);
      assert.deepEqual(inside![0]!.vulnerability.range, { '[': 'pep440:0.2.0.0.0.0.0.0.0.0', ')': 'pep440:0.2.31.0.0.0.0.0.0.0' });
      assert.deepEqual(above, [], 'the upper bound is exclusive');
    });

    it('keeps each record\'s own alias and its aliases, normalized, and hashes a record without any as before', async () => {
      const plain = debianRecord('CVE-2024-0100', 'aliaspkg', '');
      const ghsa = {
        ...debianRecord('GHSA-aaaa-bbbb-cccc', 'aliaspkg', '1.2'),
        self: { space: 'GHSA', name: 'aaaa-bbbb-cccc' },
        aliases: [{ space: 'CVE', name: '2024-0101' }, { space: 'CVE', name: '2024-0101' }, { space: '', name: 'dropped' }, { space: 'BIT', name: 'x-1' }],
      };
      assert.equal(recordHash({ ...plain, aliases: [] }).toString('hex'), recordHash(plain).toString('hex'), 'no aliases: the hash rows stored before aliases carry');
      assert.notEqual(recordHash(ghsa).toString('hex'), recordHash({ ...ghsa, aliases: [] }).toString('hex'));
      const { operation } = await store.updateVulnerabilities('alias/test', 'a1', [plain, ghsa]);
      const [found] = await store.query([{ names: [{ name: 'aliaspkg', kind: 'source' }], constraints: { dist_id: 'debian' } }]);
      const byName = new Map(found!.map((c) => [c.vulnerability.name, c.vulnerability]));
      assert.deepEqual(byName.get('GHSA-aaaa-bbbb-cccc')!.Self, { space: 'GHSA', name: 'aaaa-bbbb-cccc' });
      assert.deepEqual(byName.get('GHSA-aaaa-bbbb-cccc')!.Aliases, [{ space: 'BIT', name: 'x-1' }, { space: 'CVE', name: '2024-0101' }]);
      assert.equal('Self' in byName.get('CVE-2024-0100')!, false, 'left out when the updater gave none');
      assert.equal('Aliases' in byName.get('CVE-2024-0100')!, false);
      await store.deleteUpdateOperations([operation.ref]); // leaves the later cases' data as it was
    });

    it('sees every updater\'s newest data after concurrent updates (regression: a refreshed view missed one)', async () => {
      const names = ['conc/a', 'conc/b', 'conc/c', 'conc/d'];
      await Promise.all(names.map((u, i) => store.updateVulnerabilities(u, 'x', [{ ...debianRecord(`CVE-2025-000${i}`, 'concpkg', ''), updater: u }])));
      const [found] = await store.query([{ names: [{ name: 'concpkg', kind: 'source' }], constraints: { dist_id: 'debian' } }]);
      assert.deepEqual(found!.map((c) => c.vulnerability.updater).sort(), names);
    });

    it('records updater status', async () => {
      const at = new Date('2026-01-01T00:00:00Z');
      await store.recordUpdaterStatus({ updater: 'x', lastAttempt: at, lastSuccess: at, lastRunSucceeded: true, lastAttemptFingerprint: 'a', lastError: '' });
      await store.recordUpdaterStatus({ updater: 'x', lastAttempt: new Date('2026-01-02T00:00:00Z'), lastRunSucceeded: false, lastAttemptFingerprint: 'b', lastError: 'boom' });
      const s = await store.updaterStatus('x');
      assert.deepEqual(s, { updater: 'x', lastAttempt: new Date('2026-01-02T00:00:00Z'), lastSuccess: at, lastRunSucceeded: false, lastAttemptFingerprint: 'b', lastError: 'boom' });
    });

    it('garbage-collects beyond the retention in bounded batches, then orphaned vulnerabilities', async () => {
      for (let i = 3; i <= 6; i++) await store.updateVulnerabilities('debian/updater', `fp-${i}`, [debianRecord(`CVE-2024-10${i}`, 'bash', '')]);
      assert.equal((await store.updateOperations('vulnerability'))['debian/updater']!.length, 6);
      assert.equal(await store.gc(2, 3), 1, 'one deletable operation remains after a batch of three');
      assert.equal(await store.gc(2, 3), 0);
      const left = (await store.updateOperations('vulnerability'))['debian/updater']!.map((u) => u.fingerprint);
      assert.deepEqual(left, ['fp-6', 'fp-5']);
      const { rows } = await db.query<{ name: string }>("SELECT name FROM vuln WHERE updater = 'debian/updater' ORDER BY name");
      assert.deepEqual(rows.map((r) => r.name), ['CVE-2024-105', 'CVE-2024-106'], 'rows only old operations held are gone');
      assert.equal((await store.updateOperations('vulnerability'))['osv/PyPI']!.length, 1, 'other updaters keep theirs');
    });

    it('deletes update operations by ref', async () => {
      const ops = (await store.updateOperations('vulnerability'))['debian/updater']!;
      assert.equal(await store.deleteUpdateOperations([ops[0]!.ref, '00000000-0000-4000-8000-000000000000']), 1);
      assert.equal((await store.updateOperations('vulnerability', true))['debian/updater']![0]!.ref, ops[1]!.ref);
    });

    // Enrichments (after the GC cases above, whose counts they would change).
    const cvss = (id: string, score: number) => ({ tags: [id], enrichment: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: score, baseSeverity: 'CRITICAL' } });

    it('stores an enrichment operation holding exactly the records streamed in, deduplicated, in bounded batches', async () => {
      const many = Array.from({ length: ENRICHMENT_BATCH * 2 + 5 }, (_, i) => cvss(`CVE-2025-${String(i).padStart(5, '0')}`, 9.8));
      const { operation, count } = await store.updateEnrichments('test.cvss', 'fp-e1', slowly([...many, many[0]!, { tags: ['CVE-2025-00001'], enrichment: many[1]!.enrichment }]));
      assert.equal(count, many.length, 'the repeated record is linked once');
      assert.deepEqual([operation.updater, operation.fingerprint, operation.kind], ['test.cvss', 'fp-e1', 'enrichment']);
      assert.equal(await store.latestFingerprint('test.cvss', 'enrichment'), 'fp-e1');
      assert.equal(await store.latestFingerprint('test.cvss', 'vulnerability'), undefined);
      assert.deepEqual(Object.keys(await store.updateOperations('enrichment')), ['test.cvss']);
      assert.equal((await store.updateOperations('vulnerability'))['test.cvss'], undefined, 'enrichment operations are not vulnerability operations');
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM enrichment WHERE updater = 'test.cvss'");
      assert.equal(rows[0]!.n, many.length);
      assert.equal(await store.initialized(), true);
    });

    it('looks up enrichments by tag in the enricher\'s newest operation only, one list per query, in tag order', async () => {
      await store.updateEnrichments('test.cvss', 'fp-e2', [cvss('CVE-2025-00001', 7.5), cvss('CVE-2025-00002', 5.3), { tags: ['CVE-2025-00003', 'GHSA-xxxx'], enrichment: { note: 'two tags', n: 0.00073 } }]);
      await store.updateEnrichments('test.kev', 'k1', [{ tags: ['CVE-2025-00001'], enrichment: { cve: 'CVE-2025-00001', date_added: '2025-01-02' } }]);
      const found = await store.enrichments('test.cvss', [['CVE-2025-00002', 'CVE-2025-00001'], ['CVE-2025-00004'], [], ['GHSA-xxxx', 'CVE-2025-00003'], ['CVE-2025-00001']]);
      assert.deepEqual(found, [
        [cvss('CVE-2025-00002', 5.3), cvss('CVE-2025-00001', 7.5)],
        [],
        [],
        [{ tags: ['CVE-2025-00003', 'GHSA-xxxx'], enrichment: { note: 'two tags', n: 0.00073 } }],
        [cvss('CVE-2025-00001', 7.5)],
      ]);
      assert.deepEqual(await store.enrichments('test.kev', [['CVE-2025-00001']]), [[{ tags: ['CVE-2025-00001'], enrichment: { cve: 'CVE-2025-00001', date_added: '2025-01-02' } }]]);
      assert.deepEqual(await store.enrichments('test.none', [['CVE-2025-00001']]), [[]]);
      // More tags than one statement takes: looked up in several, answers still in query order.
      const big = Array.from({ length: 12_000 }, (_, i) => [`CVE-2025-${String(i % 3).padStart(5, '0')}`]);
      const answers = await store.enrichments('test.cvss', big);
      assert.equal(answers.length, 12_000);
      const scoreOf = [undefined, 7.5, 5.3];
      answers.forEach((a, i) => assert.deepEqual(a.map((r) => (r.enrichment as { baseScore: number }).baseScore), scoreOf[i % 3] === undefined ? [] : [scoreOf[i % 3]], `query ${i}`));
    });

    it('leaves the previous enrichment operation in force, and nothing behind, when a run fails half way', async () => {
      const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM enrichment');
      async function* failing() {
        for (let i = 0; i < ENRICHMENT_BATCH + 10; i++) yield cvss(`CVE-2024-${String(i).padStart(5, '0')}`, 1.0);
        throw new Error('feed truncated');
      }
      await assert.rejects(store.updateEnrichments('test.cvss', 'fp-bad', failing()), /feed truncated/);
      assert.equal(await store.latestFingerprint('test.cvss', 'enrichment'), 'fp-e2');
      assert.deepEqual(await store.enrichments('test.cvss', [['CVE-2025-00001']]), [[cvss('CVE-2025-00001', 7.5)]]);
      const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM enrichment');
      assert.equal(after.rows[0]!.n, before.rows[0]!.n, 'the failed run wrote no rows');
      await assert.rejects(store.updateEnrichments('test.cvss', 'fp-bad', [{ tags: 'CVE-1' as unknown as string[], enrichment: {} }]), /tags must be an array of strings/);
    });

    it('garbage-collects enrichment operations beyond the retention, then the records only they held', async () => {
      await store.updateEnrichments('test.cvss', 'fp-e3', [cvss('CVE-2025-00001', 7.5)]);
      const vulnOps = (await store.updateOperations('vulnerability'))['debian/updater']!.length;
      assert.equal((await store.updateOperations('enrichment'))['test.cvss']!.length, 3);
      while ((await store.gc(2)) > 0);
      assert.deepEqual((await store.updateOperations('enrichment'))['test.cvss']!.map((o) => o.fingerprint), ['fp-e3', 'fp-e2']);
      assert.equal((await store.updateOperations('vulnerability'))['debian/updater']!.length, vulnOps, 'vulnerability operations within the retention stay');
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM enrichment WHERE updater = 'test.cvss'");
      assert.equal(rows[0]!.n, 3, 'only the rows fp-e2 and fp-e3 hold remain');
      assert.deepEqual(await store.enrichments('test.cvss', [['CVE-2025-00001']]), [[cvss('CVE-2025-00001', 7.5)]]);
    });
  });
}
