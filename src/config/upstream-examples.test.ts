/**
 * Conformance with upstream's `cmd/testdata` config examples: the merged
 * document must equal the `want.json` Clair derives, and the config must
 * validate in combo mode. The examples live in the shared spec folder beside
 * the repository (never copied into it); the test skips when it is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig, readConfigDocument } from './load.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const examples = join(resolve(repoRoot, '..', 'shared'), 'spec', 'upstream', 'clair-config-examples');
const skip = existsSync(examples) ? false : `upstream config examples not found at ${examples}; skipping conformance`;

describe('upstream config examples', { skip }, () => {
  for (const name of ['SimpleYAML', 'ComplexYAML']) {
    const config = join(examples, name, 'config.yaml');

    test(`${name}: the merged document equals want.json`, async () => {
      const want = JSON.parse(readFileSync(join(examples, name, 'want.json'), 'utf8')) as unknown;
      assert.deepEqual(await readConfigDocument(config), want);
    });

    test(`${name}: validates in combo mode`, async () => {
      const { config: c } = await loadConfig(config, 'combo', { env: {} });
      assert.deepEqual(c.auth.psk, { key: 'c2VjcmV0', iss: ['quay', 'clairctl'] });
      assert.equal(c.notifier.delivery_interval, 3_600_000, '30s is below 1m and becomes the 1h default');
      assert.equal(c.notifier.poll_interval, 60_000);
    });
  }
});
