import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseClairArgs } from './clair.js';
import { isClairError } from '../lib/errors.js';

describe('clair flags', () => {
  it('defaults to combo with no config file', () => {
    assert.deepEqual(parseClairArgs([], {}), { mode: 'combo', conf: undefined, check: false, format: 'yaml' });
  });

  it('reads CLAIR_MODE and CLAIR_CONF, case-insensitively for the mode', () => {
    assert.deepEqual(parseClairArgs([], { CLAIR_MODE: 'Matcher', CLAIR_CONF: '/etc/clair/config.yaml' }), {
      mode: 'matcher',
      conf: '/etc/clair/config.yaml',
      check: false,
      format: 'yaml',
    });
  });

  it('lets flags win over the environment, in Go single-dash, = and double-dash forms', () => {
    const env = { CLAIR_MODE: 'matcher', CLAIR_CONF: 'env.yaml' };
    assert.deepEqual(parseClairArgs(['-mode', 'indexer', '-conf', 'flag.yaml'], env), { mode: 'indexer', conf: 'flag.yaml', check: false, format: 'yaml' });
    assert.deepEqual(parseClairArgs(['-mode=notifier', '--conf=x.json', '-check'], env), { mode: 'notifier', conf: 'x.json', check: true, format: 'yaml' });
  });

  it('rejects an unknown mode naming where it came from', () => {
    assert.throws(() => parseClairArgs(['-mode', 'all'], {}), (e) => isClairError(e, 'CLI_USAGE') && /invalid mode "all" \(from -mode\)/.test((e as Error).message));
    assert.throws(() => parseClairArgs([], { CLAIR_MODE: 'nope' }), /from CLAIR_MODE/);
  });
});
