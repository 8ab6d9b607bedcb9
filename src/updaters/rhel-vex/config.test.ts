import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isClairError } from '../../lib/errors.js';
import { DEFAULT_BASE_URL, parseRhelVexConfig } from './config.js';

describe('parseRhelVexConfig', () => {
  it('defaults to Red Hat\'s VEX tree, 2 minutes and the kernel allow-list', () => {
    assert.deepEqual(parseRhelVexConfig(undefined), { config: { baseUrl: DEFAULT_BASE_URL, compressedFileTimeoutMs: 120_000, ignoreKernelPackages: false }, unknownKeys: [] });
    assert.equal(DEFAULT_BASE_URL, 'https://security.access.redhat.com/data/csaf/v2/vex/');
  });

  it('reads claircore\'s keys and adds the trailing slash', () => {
    const { config, unknownKeys } = parseRhelVexConfig({ url: 'http://mirror.internal/vex', compressed_file_timeout: '10m', ignore_kernel_packages: true, extra: 1 });
    assert.deepEqual(config, { baseUrl: 'http://mirror.internal/vex/', compressedFileTimeoutMs: 600_000, ignoreKernelPackages: true });
    assert.deepEqual(unknownKeys, ['extra']);
  });

  for (const [name, raw, pattern] of [
    ['a non-object', ['x'], /expected an object/],
    ['a non-http url', { url: 'ftp://x/' }, /url: expected an http/],
    ['a bad url', { url: 'not a url' }, /url: not a URL/],
    ['a numeric timeout', { compressed_file_timeout: 5 }, /duration string/],
    ['a bad duration', { compressed_file_timeout: '5 minutes' }, /invalid duration/],
    ['a non-boolean kernel switch', { ignore_kernel_packages: 'yes' }, /expected a boolean/],
    ['a CEL expression', { fixed_in_version_cel: 'fixed_in' }, /not supported/],
  ] as const) {
    it(`rejects ${name}`, () => {
      assert.throws(() => parseRhelVexConfig(raw), (err) => isClairError(err, 'CONFIG_INVALID') && pattern.test((err as Error).message));
    });
  }
});
