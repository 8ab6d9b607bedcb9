/**
 * Sizes and plans from PostgreSQL: every table of the schema with its exact
 * row count and each index, and EXPLAIN ANALYZE that leaves no trace of a
 * statement that writes. Needs PostgreSQL; skips without it (fails under CI).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createPostgresDatabase, postgresUnavailable, type TestDatabase } from '../../src/test-support/databases.js';
import { BackendSampler, databaseActivity, explainAnalyze, tableSizes } from './pg-inspect.js';

const noPostgres = await postgresUnavailable();

describe('PostgreSQL inspection', { skip: noPostgres }, () => {
  let target: TestDatabase;
  let client: pg.Client;

  before(async () => {
    target = await createPostgresDatabase();
    client = new pg.Client({ connectionString: target.connstring });
    await client.connect();
    await client.query('CREATE TABLE big (id bigserial PRIMARY KEY, body text NOT NULL); CREATE INDEX big_body_idx ON big (body); CREATE TABLE small (n int)');
    await client.query("INSERT INTO big (body) SELECT repeat('x', 200) || g FROM generate_series(1, 5000) g; INSERT INTO small VALUES (1), (2)");
  });

  after(async () => {
    await client?.end();
    await target?.drop();
  });

  it('lists every table, largest first, with exact rows and each index', async () => {
    const sizes = await tableSizes(client);
    assert.deepEqual(sizes.map((t) => [t.table, t.rows]), [['big', 5000], ['small', 2]]);
    const big = sizes[0]!;
    assert.deepEqual(big.indexes.map((i) => i.name), ['big_body_idx', 'big_pkey']);
    assert.ok(big.tableBytes > 5000 * 200, `${big.tableBytes} bytes for 1 MB of text`);
    assert.equal(big.totalBytes, big.tableBytes + big.indexes.reduce((s, i) => s + i.bytes, 0));
    assert.deepEqual(sizes[1]!.indexes, []);
  });

  it('explains a statement as it ran, names sequential scans, and rolls writes back', async () => {
    const e = await explainAnalyze(client, 'DELETE FROM small WHERE n = $1', [1]);
    assert.match(e.plan, /Delete on small/);
    assert.deepEqual(e.seqScans, ['small']);
    assert.ok(e.executionMs >= 0);
    assert.equal((await client.query('SELECT n FROM small ORDER BY n')).rows.length, 2, 'the delete was rolled back');
    const lookup = await explainAnalyze(client, 'SELECT body FROM big WHERE id = $1', [42]);
    assert.deepEqual(lookup.seqScans, []);
    assert.match(lookup.plan, /Index Scan using big_pkey on big/);
  });

  it('counts commits and inserted rows of a database', async () => {
    const before = await databaseActivity(client, new URL(target.connstring).pathname.slice(1));
    const other = new pg.Client({ connectionString: target.connstring });
    await other.connect();
    await other.query('INSERT INTO small VALUES (3), (4), (5)');
    await other.end(); // a closing backend flushes its statistics
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await databaseActivity(client, new URL(target.connstring).pathname.slice(1));
    assert.ok(after.commits > before.commits);
    assert.equal(after.inserted - before.inserted, 3);
  });

  it('samples what the backends of a database are doing', async () => {
    const busy = new pg.Client({ connectionString: target.connstring, application_name: 'clair-locks' });
    await busy.connect();
    const sampler = new BackendSampler(client, [new URL(target.connstring).pathname.slice(1)], 20);
    sampler.start();
    await busy.query('SELECT pg_sleep(0.3)');
    const states = await sampler.stop();
    await busy.end();
    const names = states.map((s) => s.state);
    assert.ok(names.includes('lock session waiting Timeout:PgSleep'), names.join(', '));
    assert.ok(states.every((s) => s.backends > 0));
  });
});
