import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScannedPackage } from '../../model/scanned.js';
import { scanEntries } from '../../test-support/scan.js';
import { osvRepository } from '../../updaters/osv/records.js';
import { parseInstalledJson } from './installed-json.js';
import { COMPOSER_SCANNER_KIND, COMPOSER_SCANNER_NAME, COMPOSER_SCANNER_VERSION, composerPackageScanner, isInstalledJson } from './package-scanner.js';

// What Composer 2.6 writes (abridged to the fields it always writes, and a few more).
const COMPOSER_2 = JSON.stringify(
  {
    packages: [
      {
        name: 'psr/log',
        version: '3.0.0',
        version_normalized: '3.0.0.0',
        source: { type: 'git', url: 'https://github.com/php-fig/log.git', reference: 'fe5ea303b0887d5caefd3d431c3e61ad47037001' },
        dist: { type: 'zip', url: 'https://api.github.com/repos/php-fig/log/zipball/fe5ea303b0887d5caefd3d431c3e61ad47037001', reference: 'fe5ea303b0887d5caefd3d431c3e61ad47037001', shasum: '' },
        require: { php: '>=8.0.0' },
        time: '2021-07-14T16:46:02+00:00',
        type: 'library',
        extra: { 'branch-alias': { 'dev-master': '3.x-dev' } },
        'installation-source': 'dist',
        autoload: { 'psr-4': { 'Psr\\Log\\': 'src' } },
        'notification-url': 'https://packagist.org/downloads/',
        license: ['MIT'],
        'install-path': '../psr/log',
      },
      { name: 'symfony/http-kernel', version: 'v5.4.19', version_normalized: '5.4.19.0', type: 'library', 'install-path': '../symfony/http-kernel' },
      { name: 'phpunit/phpunit', version: '9.6.3', version_normalized: '9.6.3.0', type: 'library', 'install-path': '../phpunit/phpunit' },
      { name: 'Acme/Tools', version: 'dev-main', version_normalized: 'dev-main', 'default-branch': true, type: 'library', 'install-path': '../acme/tools' },
      { name: 'no/version', type: 'metapackage' },
    ],
    dev: true,
    'dev-package-names': ['phpunit/phpunit'],
  },
  null,
  4,
);

// What Composer 1.10 writes: a bare array.
const COMPOSER_1 = JSON.stringify(
  [
    { name: 'monolog/monolog', version: '1.25.1', version_normalized: '1.25.1.0', type: 'library', 'installation-source': 'dist' },
    { name: 'guzzlehttp/guzzle', version: '6.5.x-dev', version_normalized: '6.5.9999999.9999999-dev', type: 'library' },
  ],
  null,
  4,
);

const UNMATCHABLE = { kind: 'unmatchable', v: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };

function pkg(path: string, name: string, version: string, unmatchable = false): ScannedPackage {
  const p: ScannedPackage = { name, version, kind: 'binary', arch: '', module: '', cpe: '', packageDb: `composer:${path}`, filepath: path, repositoryHint: 'packagist' };
  if (unmatchable) p.normalizedVersion = UNMATCHABLE;
  return p;
}

describe('composer-vendor package scanner', () => {
  it('has its persisted identity and the repository OSV Packagist records name', () => {
    assert.deepEqual([COMPOSER_SCANNER_NAME, COMPOSER_SCANNER_VERSION, COMPOSER_SCANNER_KIND], ['composer-vendor', '1', 'package']);
    assert.deepEqual(composerPackageScanner.defaultRepository, { name: 'packagist', key: '', uri: 'https://packagist.org/', cpe: '' });
    const { name, key, uri } = osvRepository('Packagist');
    assert.deepEqual({ name, key, uri }, { name: 'packagist', key: '', uri: 'https://packagist.org/' });
  });

  it('reports the packages of Composer 2 and Composer 1 installed.json files, dev packages and branches included', async () => {
    const found = await scanEntries(composerPackageScanner, [
      { path: 'var/www/html/vendor/composer/installed.json', content: COMPOSER_2 },
      { path: 'srv/legacy/lib/composer/installed.json', content: COMPOSER_1 },
      { path: 'var/www/html/vendor/composer/installed.php', content: '<?php return array();' },
    ]);
    const a = 'var/www/html/vendor/composer/installed.json';
    const b = 'srv/legacy/lib/composer/installed.json';
    assert.deepEqual(found, [
      pkg(a, 'psr/log', '3.0.0'),
      pkg(a, 'symfony/http-kernel', 'v5.4.19'),
      pkg(a, 'phpunit/phpunit', '9.6.3'),
      pkg(a, 'acme/tools', 'dev-main', true),
      pkg(b, 'monolog/monolog', '1.25.1'),
      pkg(b, 'guzzlehttp/guzzle', '6.5.x-dev'),
    ]);
  });

  it('reads only composer/installed.json, and skips files that are not one', async () => {
    assert.equal(isInstalledJson('app/vendor/composer/installed.json'), true);
    assert.equal(isInstalledJson('composer/installed.json'), true);
    assert.equal(isInstalledJson('app/vendor/installed.json'), false);
    assert.equal(isInstalledJson('app/vendor/composer/installed.json.bak'), false);
    const found = await scanEntries(composerPackageScanner, [
      { path: 'a/vendor/installed.json', content: COMPOSER_2 },
      { path: 'b/vendor/composer/installed.json', content: '{"packages": 3}' },
      { path: 'c/vendor/composer/installed.json', content: 'not json at all' },
      { path: 'd/vendor/composer/installed.json', type: 'dir' },
    ]);
    assert.deepEqual(found, []);
  });

  it('says why a file is refused', () => {
    assert.deepEqual(parseInstalledJson('{'), { ok: false, reason: 'not JSON' });
    assert.deepEqual(parseInstalledJson('"x"'), { ok: false, reason: 'neither a package array (Composer 1) nor an object with "packages" (Composer 2)' });
    assert.deepEqual(parseInstalledJson('{"packages": []}'), { ok: true, packages: [] });
  });

  it('stops when aborted', async () => {
    const c = new AbortController();
    c.abort(new Error('halt'));
    await assert.rejects(scanEntries(composerPackageScanner, [], { signal: c.signal }), /halt/);
  });
});
