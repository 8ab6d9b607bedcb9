/**
 * The processor against a real notifier store and scripted matcher and
 * indexer services: which operations it processes, how it chunks the
 * affected-manifest calls, what it stores, and that a concurrent replica
 * processes nothing twice.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { IndexerService } from '../indexer/service.js';
import type { MatcherService } from '../matcher/service.js';
import type { AffectedManifests, UpdateDiff, UpdateOperation, Vulnerability } from '../model/index.js';
import type { Database } from '../store/database.js';
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/open.js';
import { SqlNotifierStore } from '../store/notifier/sql-notifier-store.js';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { quietLogger } from '../test-support/config.js';
import { testVulnerability } from '../test-support/vulnerabilities.js';
import { AFFECTED_CHUNK, Processor } from './processor.js';
import { vulnSummary } from './summary.js';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;

const operation = (updater: string, n: number): UpdateOperation => ({ ref: randomUUID(), updater, fingerprint: `f${n}`, date: new Date(Date.UTC(2026, 0, n)).toISOString(), kind: 'vulnerability' });

/** A matcher that knows some update operations (newest first per updater) and one diff per pair. */
class ScriptedMatcher {
  operations: Record<string, UpdateOperation[]> = {};
  diffs = new Map<string, Pick<UpdateDiff, 'added' | 'removed'>>();
  diffCalls: Array<[string | undefined, string]> = [];
  async updateOperations(): Promise<Record<string, UpdateOperation[]>> {
    return structuredClone(this.operations);
  }
  async updateDiff(prev: string | undefined, cur: string): Promise<UpdateDiff> {
    this.diffCalls.push([prev, cur]);
    const diff = this.diffs.get(`${prev}>${cur}`);
    if (!diff) throw new Error(`no diff scripted for ${prev} > ${cur}`);
    return { prev: { ...operation('x', 1), ref: prev ?? '' }, cur: { ...operation('x', 1), ref: cur }, ...diff };
  }
}

/** An indexer whose manifests are affected by the vulnerabilities named in `affects`. */
class ScriptedIndexer {
  affects = new Map<string, string[]>(); // vulnerability name → digests
  calls: number[] = [];
  async affectedManifests(vulnerabilities: readonly Vulnerability[]): Promise<AffectedManifests> {
    this.calls.push(vulnerabilities.length);
    const out: AffectedManifests = { vulnerabilities: {}, vulnerable_manifests: {} };
    for (const v of vulnerabilities) {
      for (const digest of this.affects.get(v.name) ?? []) {
        out.vulnerabilities[v.id] = v;
        (out.vulnerable_manifests[digest] ??= []).push(v.id);
      }
    }
    return out;
  }
}

describe('notifier processor', () => {
  let target: TestDatabase;
  let db: Database;
  let store: SqlNotifierStore;
  let matcher: ScriptedMatcher;
  let indexer: ScriptedIndexer;
  const processor = (summary = true, database: Database = db) =>
    new Processor({ store: new SqlNotifierStore(database), locks: database, matcher: matcher as unknown as MatcherService, indexer: indexer as unknown as IndexerService, summary, log: quietLogger() });

  before(async () => {
    target = await createTestDatabase((await postgresUnavailable()) ? 'embedded' : 'postgres');
    db = await openDatabase(target.connstring, { dataDir: 'unused' });
    await migrate(db, 'notifier');
    store = new SqlNotifierStore(db);
  });
  after(async () => {
    await db?.close();
    await target?.drop();
  });

  const fresh = () => {
    matcher = new ScriptedMatcher();
    indexer = new ScriptedIndexer();
  };
  const pageOf = async (id: string) => (await store.notificationBodies(id, '00000000-0000-0000-0000-000000000000', 100)).map(({ id: _id, ...rest }) => rest);

  it('records an updater\'s first operation as the baseline: no diff, nothing notified', async () => {
    fresh();
    const first = operation('debian', 1);
    matcher.operations = { debian: [first] };
    assert.deepEqual(await processor().process(first), { kind: 'baseline' });
    assert.deepEqual(matcher.diffCalls, []);
    assert.equal(await store.processed(first.ref), true);
    assert.deepEqual(await processor().process(first), { kind: 'skipped', why: 'processed' });
  });

  it('notifies the manifests the added and removed vulnerabilities affect, one summary body per manifest', async () => {
    fresh();
    const [prev, cur] = [operation('alpine', 1), operation('alpine', 2)];
    matcher.operations = { alpine: [cur, prev] };
    const low = testVulnerability({ id: '1', name: 'CVE-2026-1000', normalized_severity: 'Low' });
    const critical = testVulnerability({ id: '2', name: 'CVE-2026-2000', normalized_severity: 'Critical' });
    const gone = testVulnerability({ id: '3', name: 'CVE-2025-3000', normalized_severity: 'High' });
    const unaffecting = testVulnerability({ id: '4', name: 'CVE-2026-4000', normalized_severity: 'Critical' });
    matcher.diffs.set(`${prev.ref}>${cur.ref}`, { added: [low, critical, unaffecting], removed: [gone] });
    indexer.affects.set(low.name, [D1, D2]).set(critical.name, [D1]).set(gone.name, [D2]);

    const outcome = await processor().process(cur);
    assert.equal(outcome.kind, 'processed');
    if (outcome.kind !== 'processed') return;
    assert.equal(outcome.bodies, 2);
    assert.deepEqual(matcher.diffCalls, [[prev.ref, cur.ref]]);
    const bodies = (await pageOf(outcome.notification)).sort((a, b) => a.manifest.localeCompare(b.manifest));
    // D2: Low (added) and High (removed) compete on the digest alone, as in Clair; High wins.
    assert.deepEqual(bodies, [
      { manifest: D1, reason: 'added', vulnerability: vulnSummary(critical) },
      { manifest: D2, reason: 'removed', vulnerability: vulnSummary(gone) },
    ]);
    assert.equal(await store.status(outcome.notification), 'created');
  });

  it('without summary stores one body per manifest and vulnerability', async () => {
    fresh();
    const [prev, cur] = [operation('ubuntu', 1), operation('ubuntu', 2)];
    matcher.operations = { ubuntu: [cur, prev] };
    const a = testVulnerability({ id: '1', name: 'CVE-A', normalized_severity: 'Low' });
    const b = testVulnerability({ id: '2', name: 'CVE-B', normalized_severity: 'High' });
    matcher.diffs.set(`${prev.ref}>${cur.ref}`, { added: [a, b], removed: [] });
    indexer.affects.set(a.name, [D1]).set(b.name, [D1]);
    const outcome = await processor(false).process(cur);
    assert.ok(outcome.kind === 'processed');
    assert.deepEqual((await pageOf(outcome.notification)).map((x) => x.vulnerability.name).sort(), ['CVE-A', 'CVE-B']);
  });

  it(`asks the indexer ${AFFECTED_CHUNK} vulnerabilities at a time`, async () => {
    fresh();
    const [prev, cur] = [operation('osv', 1), operation('osv', 2)];
    matcher.operations = { osv: [cur, prev] };
    const added = Array.from({ length: 2 * AFFECTED_CHUNK + 5 }, (_, i) => testVulnerability({ id: String(i), name: `GHSA-${i}` }));
    const removed = Array.from({ length: 3 }, (_, i) => testVulnerability({ id: `r${i}`, name: `OLD-${i}` }));
    matcher.diffs.set(`${prev.ref}>${cur.ref}`, { added, removed });
    indexer.affects.set('GHSA-2004', [D1]);
    const outcome = await processor().process(cur);
    assert.deepEqual(indexer.calls, [AFFECTED_CHUNK, AFFECTED_CHUNK, 5, 3]);
    assert.ok(outcome.kind === 'processed' && outcome.bodies === 1);
  });

  it('skips an operation that is no longer its updater\'s newest, or is gone from the matcher', async () => {
    fresh();
    const [old, newer] = [operation('rhel', 1), operation('rhel', 2)];
    matcher.operations = { rhel: [newer, old] };
    assert.deepEqual(await processor().process(old), { kind: 'skipped', why: 'superseded' });
    assert.deepEqual(await processor().process(operation('photon', 1)), { kind: 'skipped', why: 'gone' });
    assert.equal(await store.processed(old.ref), false);
  });

  it('processes nothing when the indexer fails, so the next poll tries again', async () => {
    fresh();
    const [prev, cur] = [operation('suse', 1), operation('suse', 2)];
    matcher.operations = { suse: [cur, prev] };
    matcher.diffs.set(`${prev.ref}>${cur.ref}`, { added: [testVulnerability({ name: 'CVE-X' })], removed: [] });
    indexer.affectedManifests = async () => {
      throw new Error('indexer unreachable');
    };
    await assert.rejects(processor().process(cur), /indexer unreachable/);
    assert.equal(await store.processed(cur.ref), false);
  });

  it('processes an operation once when two replicas race for it', async () => {
    fresh();
    const [prev, cur] = [operation('oracle', 1), operation('oracle', 2)];
    matcher.operations = { oracle: [cur, prev] };
    const v = testVulnerability({ name: 'ELSA-1', normalized_severity: 'Medium' });
    matcher.diffs.set(`${prev.ref}>${cur.ref}`, { added: [v], removed: [] });
    indexer.affects.set(v.name, [D1]);
    const other = await openDatabase(target.connstring, { dataDir: 'unused' });
    try {
      const outcomes = await Promise.all([processor(true, db).process(cur), processor(true, other).process(cur)]);
      assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['processed', 'skipped']);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM receipt WHERE uo_id = $1', [cur.ref]);
      assert.equal(rows[0]?.n, 1);
    } finally {
      await other.close();
    }
  });
});
