/**
 * deploy/config.yaml, the example configuration of a distributed
 * deployment: the real `clair -check` accepts it, without a lint, in every
 * mode, and it says what docs/deployment.md says it does.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEPLOY_DIR } from '../test-support/load-balancers.js';
import { killSpawned, spawnCli } from '../test-support/spawn.js';
import { MODES, type Config } from '../config/types.js';

const EXAMPLE = join(DEPLOY_DIR, 'config.yaml');
after(() => killSpawned());

async function check(mode: string): Promise<Config> {
  const run = spawnCli('clair', ['-check', '-format', 'json', '-mode', mode, '-conf', EXAMPLE]);
  assert.equal(await run.exit, 0, `${mode}: ${run.stderr()}`);
  assert.equal(run.stderr(), '', `${mode}: no lints`);
  return JSON.parse(run.stdout()) as Config;
}

describe('deploy/config.yaml', () => {
  it('passes `clair -check` in every mode, lint-free, with three databases, PSK auth and a webhook', async () => {
    const configs = await Promise.all(MODES.map(check));
    assert.deepEqual([...MODES].sort(), ['combo', 'indexer', 'matcher', 'notifier']);
    for (const config of configs) {
      assert.deepEqual(config.auth.psk?.iss, ['quay', 'clairctl']);
      const databases = (['indexer', 'matcher', 'notifier'] as const).map((s) => /dbname=(\w+)/.exec(config[s].connstring)?.[1]);
      assert.deepEqual(databases, ['clair_indexer', 'clair_matcher', 'clair_notifier']);
      for (const s of ['indexer', 'matcher', 'notifier'] as const) assert.equal(config[s].migrations, true, `${s}.migrations`);
      // The nodes reach each other through the load balancer's node listener.
      const nodeListener = 'https://clair-nodes.example.internal:8443/';
      assert.deepEqual([config.matcher.indexer_addr, config.notifier.indexer_addr, config.notifier.matcher_addr], [nodeListener, nodeListener, nodeListener]);
      assert.equal(config.notifier.webhook?.target, 'https://hooks.example.com/clair');
      assert.equal(new URL(config.notifier.webhook!.callback).pathname, '/notifier/api/v1/notification/');
      assert.deepEqual([config.http_listen_addr, config.introspection_addr], [':6060', ':8089'], 'the ports the Dockerfile exposes');
    }
  });
});
