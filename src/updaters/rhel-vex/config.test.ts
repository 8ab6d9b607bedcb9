import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isClairError } from '../../lib/errors.js';
import { DEFAULT_BASE_URL, parseRhelVexConfig, parseRhelVexUpdaterConfig } from './config.js';
import { RhelVexUpdater, rhelVexSetFactory } from './updater.js';

describe('parseRhelVexConfig', () => {
  it('defaults to Red Hat\'s VEX tree, 2 minutes and the kernel allow-list', () => {
    assert.deepEqual(parseRhelVexConfig(undefined), { config: { baseUrl: DEFAULT_BASE_URL, compressedFileTimeoutMs: 120_000, ignoreKernelPackages: false }, lints: [] });
    assert.equal(DEFAULT_BASE_URL, 'https://security.access.redhat.com/data/csaf/v2/vex/');
  });

  it('reads claircore\'s keys, lints an unknown key, and lints a url without its trailing slash', () => {
    const { config, lints } = parseRhelVexConfig({ url: 'http://mirror.internal/vex', compressed_file_timeout: '10m', ignore_kernel_packages: true, extra: 1 });
    assert.deepEqual(config, { baseUrl: 'http://mirror.internal/vex/', compressedFileTimeoutMs: 600_000, ignoreKernelPackages: true });
    assert.deepEqual(lints, [
      { path: 'updaters.config.rhel-vex.extra', message: 'unknown key, ignored (known: url, compressed_file_timeout, ignore_kernel_packages, fixed_in_version_cel)' },
      { path: 'updaters.config.rhel-vex.url', message: 'has no trailing slash: claircore\'s rhel-vex updater resolves files against it as written (http://mirror.internal/archive_latest.txt), and so does this one; end it with "/"' },
    ]);
    assert.equal(parseRhelVexConfig({ compressed_file_timeout: '0' }).config.compressedFileTimeoutMs, 120_000, 'zero is the default, as in claircore');
  });

  for (const [name, raw, message] of [
    ['a non-object', ['x'], 'config: updaters.config.rhel-vex: must be a mapping, got array'],
    ['a non-http url', { url: 'ftp://x/' }, 'config: updaters.config.rhel-vex.url: must be an http(s) URL, got "ftp://x/"'],
    ['a bad url', { url: 'not a url' }, 'config: updaters.config.rhel-vex.url: not an absolute URL: "not a url"'],
    ['a numeric timeout', { compressed_file_timeout: 5 }, 'config: updaters.config.rhel-vex.compressed_file_timeout: must be a string, got number'],
    ['a bad duration', { compressed_file_timeout: '5 minutes' }, 'config: updaters.config.rhel-vex.compressed_file_timeout: invalid duration "5 minutes": unknown unit " minutes" (a Go duration such as "5m")'],
    ['a negative duration', { compressed_file_timeout: '-1m' }, 'config: updaters.config.rhel-vex.compressed_file_timeout: must not be negative, got "-1m"'],
    ['a non-boolean kernel switch', { ignore_kernel_packages: 'yes' }, 'config: updaters.config.rhel-vex.ignore_kernel_packages: must be a boolean, got string'],
    ['a CEL expression', { fixed_in_version_cel: 'fixed_in' }, 'config: updaters.config.rhel-vex.fixed_in_version_cel: CEL rewriting of fixed versions is not supported by this implementation'],
  ] as const) {
    it(`rejects ${name}, naming the key`, () => {
      assert.throws(() => parseRhelVexConfig(raw), (err) => isClairError(err, 'CONFIG_INVALID') && (err as Error).message === message);
      assert.throws(() => rhelVexSetFactory.checkConfig(raw), (err) => isClairError(err, 'CONFIG_INVALID') && (err as Error).message === message, 'checkConfig refuses the same');
    });
  }
});

describe('rhel-vex updater configure (the same block, as claircore\'s Updater.Configure reads it)', () => {
  it('takes url as written and ignore_kernel_packages, keeping the set\'s timeout, with no repeated lints', () => {
    const u = new RhelVexUpdater(parseRhelVexConfig({ url: 'http://m.local/vex', compressed_file_timeout: '3m' }).config);
    assert.equal(u.config.baseUrl, 'http://m.local/vex/');
    assert.deepEqual(u.configure({ url: 'http://m.local/vex', compressed_file_timeout: '3m', ignore_kernel_packages: true, extra: 1 }), []);
    assert.deepEqual(u.config, { baseUrl: 'http://m.local/vex', compressedFileTimeoutMs: 180_000, ignoreKernelPackages: true });
    assert.deepEqual(parseRhelVexUpdaterConfig({}).config, { baseUrl: DEFAULT_BASE_URL, ignoreKernelPackages: false });
    assert.throws(() => u.configure({ url: 7 }), /^ClairError: config: updaters\.config\.rhel-vex\.url: must be a string, got number$/);
  });
});
