import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDatabaseConformance } from '../database.case.js';
import { runServiceStoreSuite } from '../services.case.js';
import { runIndexerStoreSuite } from '../indexer/indexer-store.case.js';
import { runMatcherStoreSuite } from '../matcher/matcher-store.case.js';
import { runNotifierStoreSuite } from '../notifier/notifier-store.case.js';
import { openDatabase } from '../open.js';
import { createEmbeddedDirectory } from '../../test-support/databases.js';
import { isClairError } from '../../lib/errors.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

runDatabaseConformance('embedded');

/** PostgreSQL processes serving `dataDir`, by their command lines. */
function serversOf(dataDir: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number)) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmdline[0]?.endsWith('postgres') && cmdline.includes(join(dataDir, 'postgres'))) pids.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Runs a child process that opens the embedded store in `dir`, prints "up", then runs `after`. */
async function holder(dir: string, after: string): Promise<{ pid: number; exited: Promise<unknown> }> {
  const code = `const { openDatabase } = await import('./src/store/open.ts'); await openDatabase('embedded://${dir}', { dataDir: 'unused' }); process.stdout.write('up\\n'); ${after}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.once('exit', r));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`holder exited (${c}) before opening the store`)));
  });
  return { pid: child.pid!, exited };
}

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('embedded PostgreSQL store', () => {
  it('keeps its data in the data directory across a stop and a restart, and leaves no server running when closed', async () => {
    const target = await createEmbeddedDirectory();
    try {
      const first = await openDatabase(target.connstring, { dataDir: 'unused' });
      await first.exec('CREATE TABLE persisted (v text)');
      await first.query('INSERT INTO persisted VALUES ($1)', ['survives']);
      const other = await openDatabase(`embedded://${target.dir}?dbname=other`, { dataDir: 'unused' });
      assert.equal(serversOf(target.dir).length, 1, 'databases of one directory share one server');
      await other.close();
      await first.close();
      assert.deepEqual(serversOf(target.dir), [], 'closing the last database stops the server');
      const second = await openDatabase(target.connstring, { dataDir: 'unused' });
      const { rows } = await second.query<{ v: string }>('SELECT v FROM persisted');
      assert.deepEqual(rows, [{ v: 'survives' }]);
      await second.close();
    } finally {
      await target.drop();
    }
  });

  it('refuses a data directory another live process holds, naming the directory and the process', async () => {
    const target = await createEmbeddedDirectory();
    const other = await holder(target.dir, 'setInterval(() => {}, 1000);');
    try {
      await assert.rejects(openDatabase(target.connstring, { dataDir: 'unused' }), (err) => {
        assert.ok(isClairError(err, 'STORE_CONNECT'));
        assert.match((err as Error).message, new RegExp(`embedded database ${target.dir} is in use by process ${other.pid}; use PostgreSQL`));
        return true;
      });
    } finally {
      process.kill(other.pid, 'SIGKILL');
      await other.exited;
      await until(() => serversOf(target.dir).length === 0);
      await target.drop();
    }
  });

  it('recovers after its owner was killed with -9: the orphaned server stops itself and the next open succeeds', async () => {
    const target = await createEmbeddedDirectory();
    try {
      const killed = await holder(target.dir, "process.kill(process.pid, 'SIGKILL');");
      await killed.exited;
      await until(() => serversOf(target.dir).length === 0, 30_000);
      const db = await openDatabase(target.connstring, { dataDir: 'unused' });
      assert.deepEqual((await db.query<{ one: number }>('SELECT 1 AS one')).rows, [{ one: 1 }]);
      await db.close();
    } finally {
      await target.drop();
    }
  });

  it('starts over a postmaster.pid left behind, even one naming a live process (a pid reused after a container restart)', async () => {
    const target = await createEmbeddedDirectory();
    try {
      const db = await openDatabase(target.connstring, { dataDir: 'unused' });
      await db.close();
      const pidFile = join(target.dir, 'postgres', 'postmaster.pid');
      writeFileSync(pidFile, `1\n${join(target.dir, 'postgres')}\n1700000000\n5432\n`);
      const again = await openDatabase(target.connstring, { dataDir: 'unused' });
      assert.deepEqual((await again.query<{ one: number }>('SELECT 1 AS one')).rows, [{ one: 1 }]);
      await again.close();
    } finally {
      await target.drop();
    }
  });

  it('refuses the removed pglite:// form with a message saying what to use', async () => {
    await assert.rejects(openDatabase('pglite:///tmp/x', { dataDir: 'unused' }), (err) => isClairError(err, 'CONFIG_INVALID') && /embedded:\/\/\/<dir>/.test((err as Error).message));
  });
});

runServiceStoreSuite('embedded');
runIndexerStoreSuite('embedded');
runMatcherStoreSuite('embedded');
runNotifierStoreSuite('embedded');
