import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runDatabaseConformance } from '../database.case.js';
import { runServiceStoreSuite } from '../services.case.js';
import { runIndexerStoreSuite } from '../indexer/indexer-store.case.js';
import { runMatcherStoreSuite } from '../matcher/matcher-store.case.js';
import { openDatabase } from '../open.js';
import { createEmbeddedDirectory } from '../../test-support/databases.js';
import { isClairError } from '../../lib/errors.js';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Runs `code` in a child node process that holds the lock socket at `path`; resolves once it listens. */
async function lockHolder(path: string, code: string): Promise<{ pid: number; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ['-e', `const s = require('node:net').createServer((c) => c.end(String(process.pid))); s.listen(${JSON.stringify(path)}, () => { process.stdout.write('up\\n'); ${code} });`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.once('exit', r));
  await new Promise<void>((r) => child.stdout!.once('data', () => r()));
  return { pid: child.pid!, exited };
}

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

describe('embedded directory lock', () => {
  it('is taken over when its owner was killed with -9, and when an old pid file is left (pid 1 after a container restart)', async () => {
    const target = await createEmbeddedDirectory();
    const dir = new URL(target.connstring).pathname;
    try {
      const killed = await lockHolder(`${resolve(dir)}.lock`, "process.kill(process.pid, 'SIGKILL');");
      await killed.exited;
      const db = await openDatabase(target.connstring, { dataDir: 'unused' });
      await db.close();
      writeFileSync(`${resolve(dir)}.lock`, '1');
      const again = await openDatabase(target.connstring, { dataDir: 'unused' });
      await again.close();
    } finally {
      await target.drop();
    }
  });

  it('refuses a directory another live process holds, naming that process', async () => {
    const target = await createEmbeddedDirectory();
    const dir = new URL(target.connstring).pathname;
    const holder = await lockHolder(`${resolve(dir)}.lock`, 'setInterval(() => {}, 1000);');
    try {
      await assert.rejects(openDatabase(target.connstring, { dataDir: 'unused' }), (err) => {
        assert.ok(isClairError(err, 'STORE_CONNECT'));
        assert.match((err as Error).message, new RegExp(`embedded database .* is in use by process ${holder.pid}; use PostgreSQL`));
        return true;
      });
    } finally {
      process.kill(holder.pid, 'SIGKILL');
      await holder.exited;
      await target.drop();
    }
  });
});

runServiceStoreSuite('embedded');
runIndexerStoreSuite('embedded');
runMatcherStoreSuite('embedded');
