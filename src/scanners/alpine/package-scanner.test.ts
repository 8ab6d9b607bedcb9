import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScannedPackage } from '../../model/scanned.js';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { apkPackageScanner as scanner } from './package-scanner.js';

// An Alpine 3.19 database excerpt: file lists (F/R/a/M/Z lines), dependencies
// and provides, two packages from one origin, and a package from another.
const INSTALLED = lines(
  'C:Q1Ef4YE8y1Ypz1Dry8ooEM6XDFMEQ=',
  'P:musl',
  'V:1.2.4_git20230717-r4',
  'A:x86_64',
  'S:407278',
  'I:663552',
  'T:the musl c library (libc) implementation',
  'U:https://musl.libc.org/',
  'L:MIT',
  'o:musl',
  'm:Natanael Copa <ncopa@alpinelinux.org>',
  't:1701953286',
  'c:4b2e45fb2d57c8a2c1ec5fa5d9e0ed7ee2fe01f1',
  'p:so:libc.musl-x86_64.so.1=1',
  'F:lib',
  'R:ld-musl-x86_64.so.1',
  'a:0:0:755',
  'Z:Q1/tB6K+pXyB3UrJR1yF7ICNTPZGg=',
  'R:libc.musl-x86_64.so.1',
  'a:0:0:777',
  'Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=',
  '',
  'C:Q1Wv3ZQAEHpHLKEvnHgtpRsI6Bx8I=',
  'P:libcrypto3',
  'V:3.1.4-r5',
  'A:x86_64',
  'S:1820126',
  'I:4431872',
  'T:Crypto library from openssl',
  'U:https://www.openssl.org/',
  'L:Apache-2.0',
  'o:openssl',
  'm:Ariadne Conill <ariadne@dereferenced.org>',
  't:1707328236',
  'c:b44d1a5c1fe0bb4d2e56e1ed2f8f0a6c3b8dd1f2',
  'D:so:libc.musl-x86_64.so.1',
  'p:so:libcrypto.so.3=3',
  'F:usr/lib',
  'R:libcrypto.so.3',
  'a:0:0:755',
  'Z:Q1rx5/T8K1n7lXlQ/mYrYHXYb1nV8=',
  '',
  'C:Q1q1xGBw4aPEmr0o4v4TYSB5ZKiIo=',
  'P:libssl3',
  'V:3.1.4-r5',
  'A:x86_64',
  'S:345632',
  'I:819200',
  'T:SSL shared libraries',
  'U:https://www.openssl.org/',
  'L:Apache-2.0',
  'o:openssl',
  'm:Ariadne Conill <ariadne@dereferenced.org>',
  't:1707328236',
  'c:b44d1a5c1fe0bb4d2e56e1ed2f8f0a6c3b8dd1f2',
  'D:so:libc.musl-x86_64.so.1 so:libcrypto.so.3',
  'p:so:libssl.so.3=3',
  'F:usr/lib',
  'R:libssl.so.3',
  'a:0:0:755',
  'Z:Q1pZ3n+dWmJZ1bHBW3HRwnG4LrUmQ=',
  '',
  'C:Q1xXW3fTE4aEkzAbtw6Q2f2jvDkZ8=',
  'P:alpine-baselayout-data',
  'V:3.4.3-r2',
  'A:x86_64',
  'S:11431',
  'I:77824',
  'T:Alpine base dir structure and init scripts',
  'U:https://git.alpinelinux.org/cgit/aports/tree/main/alpine-baselayout',
  'L:GPL-2.0-only',
  'o:alpine-baselayout',
  'm:Natanael Copa <ncopa@alpinelinux.org>',
  't:1704982914',
  'c:f4d59cc1c24f2316a9ac7da4d8b6d2d8a0c9eafe',
  'r:alpine-baselayout',
  'F:etc',
  'R:fstab',
  'Z:Q11Q7hNe8QpDS531guqCdrXBzoA/o=',
  '',
);

function pkg(name: string, version: string, commit: string, origin: [string, string]): ScannedPackage {
  return {
    name,
    version,
    kind: 'binary',
    arch: 'x86_64',
    module: '',
    cpe: '',
    source: { name: origin[0], version: origin[1], kind: 'source', arch: '', module: '', cpe: '', packageDb: '', filepath: '', repositoryHint: '' },
    packageDb: 'lib/apk/db/installed',
    filepath: '',
    repositoryHint: commit,
  };
}

describe('apk package scanner', () => {
  it('reports every package in database order with its origin as source', async () => {
    assert.deepEqual(await scanFile(scanner, 'lib/apk/db/installed', INSTALLED), [
      pkg('musl', '1.2.4_git20230717-r4', '4b2e45fb2d57c8a2c1ec5fa5d9e0ed7ee2fe01f1', ['musl', '1.2.4_git20230717-r4']),
      pkg('libcrypto3', '3.1.4-r5', 'b44d1a5c1fe0bb4d2e56e1ed2f8f0a6c3b8dd1f2', ['openssl', '3.1.4-r5']),
      pkg('libssl3', '3.1.4-r5', 'b44d1a5c1fe0bb4d2e56e1ed2f8f0a6c3b8dd1f2', ['openssl', '3.1.4-r5']),
      pkg('alpine-baselayout-data', '3.4.3-r2', 'f4d59cc1c24f2316a9ac7da4d8b6d2d8a0c9eafe', ['alpine-baselayout', '3.4.3-r2']),
    ]);
  });

  it('keeps the first version seen for an origin, and handles a last stanza without a blank line', async () => {
    const db = 'P:a\nV:1.0-r0\nA:aarch64\no:common\n\nP:b\nV:1.1-r0\nA:aarch64\no:common';
    const found = await scanFile(scanner, 'lib/apk/db/installed', db);
    assert.deepEqual(found.map((p) => [p.name, p.version, p.arch, p.source?.name, p.source?.version]), [
      ['a', '1.0-r0', 'aarch64', 'common', '1.0-r0'],
      ['b', '1.1-r0', 'aarch64', 'common', '1.0-r0'],
    ]);
  });

  it('reports no source without an origin, and ignores databases elsewhere', async () => {
    const found = await scanFile(scanner, 'lib/apk/db/installed', lines('P:solo', 'V:1-r0', 'A:x86_64'));
    assert.equal(found.length, 1);
    assert.equal(found[0]?.source, undefined);
    assert.deepEqual(await scanFile(scanner, 'usr/lib/apk/db/installed', INSTALLED), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });
});
