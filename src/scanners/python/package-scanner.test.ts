import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScannedPackage } from '../../model/scanned.js';
import { formatNormalized } from '../../versions/scheme.js';
import type { MemoryEntrySpec } from '../../test-support/memory-layer-fs.js';
import { lines, scanEntries } from '../../test-support/scan.js';
import { pythonPackageScanner as scanner, siteDirectory } from './package-scanner.js';

const SITE = 'usr/local/lib/python3.11/site-packages';

const REQUESTS_METADATA = lines(
  'Metadata-Version: 2.1',
  'Name: requests',
  'Version: 2.31.0',
  'Summary: Python HTTP for Humans.',
  'Home-page: https://requests.readthedocs.io',
  'Author: Kenneth Reitz',
  'Author-email: me@kennethreitz.org',
  'License: Apache 2.0',
  'Project-URL: Documentation, https://requests.readthedocs.io',
  'Project-URL: Source, https://github.com/psf/requests',
  'Classifier: Development Status :: 5 - Production/Stable',
  'Classifier: Programming Language :: Python :: 3',
  'Requires-Python: >=3.7',
  'Description-Content-Type: text/markdown',
  'License-File: LICENSE',
  'Requires-Dist: charset-normalizer (<4,>=2)',
  'Requires-Dist: idna (<4,>=2.5)',
  'Provides-Extra: socks',
  "Requires-Dist: PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'",
  '',
  '# Requests',
  '',
  'Name: this-is-the-readme-not-a-header',
  'Version: 0.0.0',
);

function metadata(name: string, version: string, extra: string[] = []): string {
  return lines('Metadata-Version: 2.1', `Name: ${name}`, `Version: ${version}`, 'Summary: a package', ...extra, '', 'Long description.');
}

function pkgInfo(name: string, version: string): string {
  return lines('Metadata-Version: 1.2', `Name: ${name}`, `Version: ${version}`, 'Summary: an egg', 'Home-page: UNKNOWN', 'License: MIT', 'Platform: UNKNOWN');
}

type Summary = Pick<ScannedPackage, 'name' | 'version' | 'filepath' | 'packageDb'>;

function want(name: string, version: string, filepath: string, packageDb = `python:${SITE}`): Summary {
  return { name, version, filepath, packageDb };
}

function summary(pkgs: ScannedPackage[]): Summary[] {
  return pkgs.map((p) => ({ name: p.name, version: p.version, filepath: p.filepath, packageDb: p.packageDb }));
}

describe('python package scanner', () => {
  it('reports a wheel with every field claircore sets', async () => {
    const found = await scanEntries(scanner, [
      { path: `${SITE}/requests-2.31.0.dist-info/METADATA`, content: REQUESTS_METADATA },
      { path: `${SITE}/requests-2.31.0.dist-info/INSTALLER`, content: 'pip\n' },
      { path: `${SITE}/requests-2.31.0.dist-info/RECORD`, content: 'requests/__init__.py,sha256=x,4924\n' },
    ]);
    assert.deepEqual(found, [
      {
        name: 'requests',
        version: '2.31.0',
        kind: 'binary',
        arch: '',
        module: '',
        cpe: '',
        normalizedVersion: { kind: 'pep440', v: [0, 2, 31, 0, 0, 0, 0, 0, 0, 0] },
        packageDb: `python:${SITE}`,
        filepath: `${SITE}/requests-2.31.0.dist-info/METADATA`,
        repositoryHint: 'https://pypi.org/simple',
      },
    ]);
    assert.deepEqual(scanner.defaultRepository, { name: 'pypi', key: '', uri: 'https://pypi.org/simple', cpe: '' });
  });

  it('finds eggs and egg-info files and directories, lower-cases names and canonicalises versions', async () => {
    const found = await scanEntries(scanner, [
      { path: `${SITE}/Flask-2.3.3.dist-info/METADATA`, content: metadata('Flask', '2.3.3') },
      { path: `${SITE}/distro-1.8.0-py3.11.egg-info`, content: pkgInfo('distro', '1.8.0') },
      { path: `${SITE}/PyYAML-6.0.1-py3.11.egg-info/PKG-INFO`, content: pkgInfo('PyYAML', '6.0.1') },
      { path: `${SITE}/simplejson-3.19.1-py3.11-linux-x86_64.egg/EGG-INFO/PKG-INFO`, content: pkgInfo('simplejson', '3.19.1') },
      { path: `${SITE}/torch-2.1.0+cpu.dist-info/METADATA`, content: metadata('torch', '2.1.0+cpu') },
      { path: `${SITE}/beta-1.0.0rc1.dist-info/METADATA`, content: metadata('Beta_Pkg', '1.0.0-RC1') },
      { path: `${SITE}/old-1!2.0.post1.dev3.dist-info/METADATA`, content: metadata('old', '1!2.0-post1.dev3') },
    ]);
    assert.deepEqual(summary(found), [
      want('flask', '2.3.3', `${SITE}/Flask-2.3.3.dist-info/METADATA`),
      want('distro', '1.8.0', `${SITE}/distro-1.8.0-py3.11.egg-info`),
      want('pyyaml', '6.0.1', `${SITE}/PyYAML-6.0.1-py3.11.egg-info/PKG-INFO`),
      want('simplejson', '3.19.1', `${SITE}/simplejson-3.19.1-py3.11-linux-x86_64.egg/EGG-INFO/PKG-INFO`, `python:${SITE}/simplejson-3.19.1-py3.11-linux-x86_64.egg`),
      want('torch', '2.1.0', `${SITE}/torch-2.1.0+cpu.dist-info/METADATA`),
      want('beta_pkg', '1.0.0rc1', `${SITE}/beta-1.0.0rc1.dist-info/METADATA`),
      want('old', '1!2.0.post1.dev3', `${SITE}/old-1!2.0.post1.dev3.dist-info/METADATA`),
    ]);
    assert.deepEqual(found.map((p) => (p.normalizedVersion ? formatNormalized(p.normalizedVersion) : '')), [
      'pep440:0.2.3.3.0.0.0.0.0.0',
      'pep440:0.1.8.0.0.0.0.0.0.0',
      'pep440:0.6.0.1.0.0.0.0.0.0',
      'pep440:0.3.19.1.0.0.0.0.0.0',
      'pep440:0.2.1.0.0.0.0.0.0.0',
      'pep440:0.1.0.0.0.0.-1.1.0.0',
      'pep440:1.2.0.0.0.0.0.0.1.-3',
    ]);
  });

  it('skips wheels installed by rpm, dpkg or apk, unparsable versions, and whiteouts', async () => {
    const found = await scanEntries(scanner, [
      { path: `${SITE}/six-1.16.0.dist-info/METADATA`, content: metadata('six', '1.16.0') },
      { path: `${SITE}/six-1.16.0.dist-info/INSTALLER`, content: 'rpm\n' },
      { path: `${SITE}/py-1.0.dist-info/METADATA`, content: metadata('py', '1.0') },
      { path: `${SITE}/py-1.0.dist-info/INSTALLER`, content: 'dpkg' },
      { path: `${SITE}/apkd-1.0.dist-info/METADATA`, content: metadata('apkd', '1.0') },
      { path: `${SITE}/apkd-1.0.dist-info/INSTALLER`, content: 'apk\n' },
      { path: `${SITE}/weird-1.0.dist-info/METADATA`, content: metadata('weird', 'not a version') },
      { path: `${SITE}/.wh.gone-1.0.egg-info`, content: '' },
      { path: `${SITE}/uv-0.4.0.dist-info/METADATA`, content: metadata('uv', '0.4.0') },
      { path: `${SITE}/uv-0.4.0.dist-info/INSTALLER`, content: 'uv\n' },
    ]);
    assert.deepEqual(summary(found), [want('uv', '0.4.0', `${SITE}/uv-0.4.0.dist-info/METADATA`)]);
  });

  it('skips the dpkg-managed dist-packages tree in a layer with a dpkg database', async () => {
    const files: MemoryEntrySpec[] = [
      { path: 'usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO', content: pkgInfo('six', '1.16.0') },
      { path: 'usr/lib/python3/dist-packages/certifi-2022.9.24.egg-info/PKG-INFO', content: pkgInfo('certifi', '2022.9.24') },
      { path: 'usr/local/lib/python3.11/dist-packages/attrs-23.1.0.dist-info/METADATA', content: metadata('attrs', '23.1.0') },
    ];
    const withDpkg = await scanEntries(scanner, [...files, { path: 'var/lib/dpkg/status', content: '' }]);
    assert.deepEqual(withDpkg.map((p) => p.name), ['attrs']);
    const without = await scanEntries(scanner, files);
    assert.deepEqual(without.map((p) => p.name), ['six', 'certifi', 'attrs']);
  });

  it('skips the rpm-managed python3.N trees in a layer with an rpm database', async () => {
    const files: MemoryEntrySpec[] = [
      { path: 'usr/lib64/python3.9/site-packages/rpm-4.16.1.3-py3.9.egg-info', content: pkgInfo('rpm', '4.16.1.3') },
      { path: 'usr/lib/python3.9/site-packages/dnf-4.14.0.dist-info/METADATA', content: metadata('dnf', '4.14.0') },
      { path: 'opt/app-root/lib/python3.9/site-packages/Django-4.2.7.dist-info/METADATA', content: metadata('Django', '4.2.7') },
    ];
    const withRpm = await scanEntries(scanner, [...files, { path: 'var/lib/rpm/rpmdb.sqlite', content: 'SQLite format 3\0' }]);
    assert.deepEqual(summary(withRpm), [want('django', '4.2.7', 'opt/app-root/lib/python3.9/site-packages/Django-4.2.7.dist-info/METADATA', 'python:opt/app-root/lib/python3.9/site-packages')]);
    assert.equal((await scanEntries(scanner, files)).length, 3);
  });

  it('reads only the header of the metadata file', async () => {
    const found = await scanEntries(scanner, [{ path: `${SITE}/requests-2.31.0.dist-info/METADATA`, content: REQUESTS_METADATA + 'x'.repeat(3 * 1024 * 1024) }]);
    assert.deepEqual(found.map((p) => [p.name, p.version]), [['requests', '2.31.0']]);
  });

  it('records the site directory as claircore does', () => {
    assert.equal(siteDirectory('a/site-packages/x-1.dist-info/METADATA'), 'a/site-packages');
    assert.equal(siteDirectory('a/site-packages/x-1.egg-info'), 'a/site-packages');
    assert.equal(siteDirectory('a/site-packages/x-1.egg-info/PKG-INFO'), 'a/site-packages');
  });
});
