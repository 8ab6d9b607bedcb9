import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runDatabaseConformance } from '../database.case.js';
import { runServiceStoreSuite } from '../services.case.js';
import { runIndexerStoreSuite } from '../indexer/indexer-store.case.js';
import { runMatcherStoreSuite } from '../matcher/matcher-store.case.js';
import { openDatabase } from '../open.js';
import { createEmbeddedDirectory } from '../../test-support/databases.js';
import { isClairError } from '../../lib/errors.js';

runDatabaseConformance('embedded');

describe('EmbeddedDatabase', () => {
  it('keeps its data across a close and reopen, and refuses a second opener meanwhile', async () => {
    const target = await createEmbeddedDirectory();
    try {
      const first = await openDatabase(target.connstring, { dataDir: 'unused' });
      await first.exec('CREATE TABLE persisted (v text)');
      await first.query('INSERT INTO persisted VALUES ($1)', ['survives']);
      await assert.rejects(openDatabase(target.connstring, { dataDir: 'unused' }), (err) => {
        assert.ok(isClairError(err, 'STORE_CONNECT'));
        assert.match((err as Error).message, /already open in this process/);
        return true;
      });
      await first.close();
      const second = await openDatabase(target.connstring, { dataDir: 'unused' });
      const { rows } = await second.query<{ v: string }>('SELECT v FROM persisted');
      assert.deepEqual(rows, [{ v: 'survives' }]);
      await second.close();
    } finally {
      await target.drop();
    }
  });
});

runServiceStoreSuite('embedded');
runIndexerStoreSuite('embedded');
runMatcherStoreSuite('embedded');
