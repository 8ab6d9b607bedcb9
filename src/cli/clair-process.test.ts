import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killSpawned, spawnCli } from '../test-support/spawn.js';
import { loadMigrations } from '../store/migrate.js';

const dir = mkdtempSync(join(tmpdir(), 'clair-cli-'));
// As root the embedded PostgreSQL runs as clair-postgres, which must be able to enter data_dir.
chmodSync(dir, 0o711);
after(() => {
  killSpawned();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('clair process', () => {
  it('-check prints the effective config with secrets redacted and exits 0', async () => {
    const conf = writeConfig('check.yaml', [
      'http_listen_addr: ":6061"',
      'auth:',
      '  psk:',
      "    key: 'c2VjcmV0'",
      '    iss: [quay]',
      'indexer:',
      '  connstring: postgresql://clair:hunter2@db/indexer',
    ].join('\n'));
    const run = spawnCli('clair', ['-conf', conf, '-mode', 'indexer', '-check']);
    assert.equal(await run.exit, 0, run.stderr());
    const out = run.stdout();
    assert.match(out, /^http_listen_addr: :6061$/m);
    assert.match(out, /key: <redacted>/);
    assert.doesNotMatch(out, /c2VjcmV0|hunter2/);
    assert.match(out, /period: 6h0m0s/);
  });

  it('exits 1 naming the key when the config is invalid, and 2 for a bad flag', async () => {
    const conf = writeConfig('bad.yaml', 'auht:\n  psk: {}\nindexer:\n  migrations: "yes"\n');
    const run = spawnCli('clair', ['-conf', conf]);
    assert.equal(await run.exit, 1);
    assert.match(run.stderr(), /unknown key "auht"/);
    assert.match(run.stderr(), /indexer\.migrations: expected a boolean/);
    const badMode = spawnCli('clair', ['-mode', 'everything']);
    assert.equal(await badMode.exit, 2);
    assert.match(badMode.stderr(), /invalid mode "everything"/);
    const missing = spawnCli('clair', ['-conf', join(dir, 'absent.yaml')]);
    assert.equal(await missing.exit, 1);
    assert.match(missing.stderr(), /absent\.yaml/);
  });

  it('starts combo on the embedded database, serves, and shuts down cleanly on SIGTERM; data persists', async () => {
    const conf = writeConfig('combo.yaml', [
      'http_listen_addr: "127.0.0.1:0"',
      'introspection_addr: "127.0.0.1:0"',
      `data_dir: ${JSON.stringify(join(dir, 'data'))}`,
      'matcher:',
      '  disable_updaters: true',
    ].join('\n'));
    for (const round of [1, 2]) {
      const run = spawnCli('clair', [], { CLAIR_CONF: conf });
      const ready = JSON.parse(await run.waitFor(/"clair ready"/)) as { address: string };
      const intro = JSON.parse(await run.waitFor(/"introspection server listening"/)) as { address: string };
      const state = await fetch(`${ready.address}/indexer/api/v1/index_state`);
      assert.equal(state.status, 200);
      assert.equal((await fetch(`${intro.address}/readyz`)).status, 200);
      assert.equal((await fetch(`${intro.address}/healthz`)).status, 200);
      const migrations = run.stdout().split('\n').filter((l) => l.includes('"migrations done"')).map((l) => JSON.parse(l).applied);
      const versions = async (service: 'indexer' | 'matcher') => (await loadMigrations(service)).map((m) => m.version);
      const firstStart = [await versions('indexer'), await versions('matcher')];
      assert.deepEqual(migrations, round === 1 ? firstStart : [[], []], 'the second start finds the schema already there');
      run.child.kill('SIGTERM');
      assert.equal(await run.exit, 0, run.stderr());
      assert.match(run.stdout(), /"clair shutdown done"/);
      await assert.rejects(fetch(`${ready.address}/indexer/api/v1/index_state`), 'the port is closed');
    }
  });
});

describe('clairctl', () => {
  it('check-config prints the merged document of a file and its drop-ins', async () => {
    const conf = writeConfig('ctl.yaml', 'log_level: info\nupdaters:\n  sets: [debian]\n');
    const dropins = `${conf}.d`;
    (await import('node:fs')).mkdirSync(dropins);
    writeFileSync(join(dropins, '10-more.yaml-patch'), '- op: add\n  path: /updaters/sets/-\n  value: osv\n');
    const run = spawnCli('clairctl', ['check-config', conf]);
    assert.equal(await run.exit, 0, run.stderr());
    assert.deepEqual(JSON.parse(run.stdout()), { log_level: 'info', updaters: { sets: ['debian', 'osv'] } });
  });
});
