/**
 * `clairctl admin gc` on PostgreSQL: it deletes every operation beyond
 * `matcher.update_retention` per updater, in as many store calls as that
 * takes, prints the count, waits for (then gives up on) a matcher holding
 * the collection lock, and does nothing when collection is off. `admin pre`
 * and `admin post` answer that they are not needed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { VulnerabilityRecord } from '../model/index.js';
import { isClairError } from '../lib/errors.js';
import { SqlMatcherStore } from '../store/matcher/sql-matcher-store.js';
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/open.js';
import type { Database } from '../store/database.js';
import { quietLogger, testConfig } from '../test-support/config.js';
import { createPostgresDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { GC_LOCK } from '../updaters/manager.js';
import { killSpawned, spawnCli } from '../test-support/spawn.js';
import { startAirgapScene, type AirgapScene } from './bundle/airgap-scene.case.js';
import { runMatcherGc } from './matcher-gc.js';

const record = (updater: string, i: number): VulnerabilityRecord => ({
  updater, name: `CVE-${i}`, description: '', links: '', severity: '', normalizedSeverity: 'Low',
  package: { name: `p${i}`, version: '', module: '', arch: '', kind: 'binary' }, fixedInVersion: '1', archOp: '',
});

/** Runs the real clairctl in a child process (standard output is the test runner's own in process). */
async function clairctlOut(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const run = spawnCli('clairctl', args);
  const code = await run.exit;
  return { code, out: run.stdout(), err: run.stderr() };
}

describe('admin gc', { skip: await postgresUnavailable() }, () => {
  let target: TestDatabase;
  let db: Database;
  let store: SqlMatcherStore;
  let scene: AirgapScene;
  const config = (retention: number) => testConfig('combo', { matcher: { connstring: target.connstring, migrations: true, update_retention: retention } });
  const counts = async (): Promise<Record<string, number>> =>
    Object.fromEntries(Object.entries(await store.updateOperations('vulnerability')).map(([u, ops]) => [u, ops.length]));

  before(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase(target.connstring, { dataDir: 'unused' });
    await migrate(db, 'matcher');
    store = new SqlMatcherStore(db);
    scene = await startAirgapScene();
    // 60 operations for a (more than one store batch of 50 to delete), 3 for b.
    for (let i = 0; i < 60; i++) await store.updateVulnerabilities('a', `fa${i}`, [record('a', i)]);
    for (let i = 0; i < 3; i++) await store.updateVulnerabilities('b', `fb${i}`, [record('b', i)]);
  });
  after(async () => {
    killSpawned();
    await db?.close();
    await target?.drop();
    await scene?.close();
  });

  it('does nothing when collection is off (update_retention 0)', async () => {
    assert.deepEqual(await runMatcherGc(config(-1), quietLogger()), { retention: 0, deleted: 0, remaining: 0 });
    assert.deepEqual(await counts(), { a: 60, b: 3 });
  });

  it('gives up clearly when another matcher holds the collection lock', async () => {
    const lease = await db.tryLock(GC_LOCK);
    assert.ok(lease);
    try {
      await assert.rejects(runMatcherGc(config(10), quietLogger(), 300), (err: unknown) => {
        assert.ok(isClairError(err, 'STORE_UNAVAILABLE'));
        assert.equal((err as Error).message, 'admin gc: another matcher has been collecting garbage for over 300 ms; try again later');
        return true;
      });
    } finally {
      await lease.release();
    }
    assert.deepEqual(await counts(), { a: 60, b: 3 });
  });

  it('deletes everything beyond the retention through the CLI and prints how many', async () => {
    const conf = scene.writeConfig('gc.yaml', { matcher: { connstring: target.connstring, migrations: true, update_retention: 10 } });
    const { code, out } = await clairctlOut(['-q', '-c', conf, 'admin', 'gc']);
    assert.equal(code, 0);
    assert.equal(out, 'deleted 50 update operations (keeping the newest 10 per updater)\n');
    assert.deepEqual(await counts(), { a: 10, b: 3 });
    const kept = (await store.updateOperations('vulnerability')).a!.map((op) => op.fingerprint).sort();
    assert.deepEqual(kept, Array.from({ length: 10 }, (_, i) => `fa${50 + i}`).sort(), 'the newest ten');
    assert.deepEqual(await runMatcherGc(config(10), quietLogger()), { retention: 10, deleted: 0, remaining: 0 });
  });
});

describe('admin pre and post', () => {
  it('answer that Clair\'s upgrade tasks are not needed, and exit 0', async () => {
    assert.deepEqual(await clairctlOut(['admin', 'pre', 'v4.7.0']), { code: 0, out: 'admin pre v4.7.0: not needed: this Clair\'s database schema has no migration that task prepares; nothing was done\n', err: '' });
    assert.deepEqual(await clairctlOut(['admin', 'post', '4.8.0']), { code: 0, out: 'admin post 4.8.0: not needed: this Clair\'s database schema has no migration that task finishes; nothing was done\n', err: '' });
  });

  it('refuse something that is not a version, as a usage error', async () => {
    assert.deepEqual(await clairctlOut(['admin', 'pre', 'latest']), { code: 2, out: '', err: 'clairctl: admin pre: "latest" is not a Clair version (e.g. v4.7.0)\n' });
  });
});
