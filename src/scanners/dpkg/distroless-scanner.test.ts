import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScannedPackage } from '../../model/scanned.js';
import { lines, scanEntries } from '../../test-support/scan.js';
import { dpkgDistrolessPackageScanner as scanner } from './distroless-scanner.js';

const LIBC6 = lines(
  'Package: libc6',
  'Version: 2.36-9+deb12u7',
  'Architecture: amd64',
  'Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>',
  'Installed-Size: 12986',
  'Depends: libgcc-s1',
  'Recommends: libidn2-0 (>= 2.0.5~)',
  'Section: libs',
  'Priority: optional',
  'Multi-Arch: same',
  'Source: glibc',
  'Homepage: https://www.gnu.org/software/libc/libc.html',
  'Description: GNU C Library: Shared libraries',
  ' Contains the standard libraries that are used by nearly all programs on',
  ' the system. This package includes shared versions of the standard C library',
  ' and the standard math library, as well as many others.',
);
const LIBSSL3 = lines(
  'Package: libssl3',
  'Version: 3.0.13-1~deb12u1',
  'Architecture: amd64',
  'Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>',
  'Installed-Size: 6338',
  'Depends: libc6 (>= 2.34)',
  'Section: libs',
  'Priority: optional',
  'Multi-Arch: same',
  'Source: openssl (3.0.13-1~deb12u1)',
  'Description: Secure Sockets Layer toolkit - shared libraries',
);
// No trailing newline, as some distroless files are written.
const TZDATA = 'Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\nMaintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\nInstalled-Size: 2824\nSection: localization\nPriority: required\nDescription: time zone and daylight-saving time data';

function pkg(file: string, name: string, version: string, arch: string, source: string): ScannedPackage {
  const db = `var/lib/dpkg/status.d/${file}`;
  return {
    name,
    version,
    kind: 'binary',
    arch,
    module: '',
    cpe: '',
    source: { name: source, version, kind: 'source', arch: '', module: '', cpe: '', packageDb: db, filepath: '', repositoryHint: '' },
    packageDb: db,
    filepath: '',
    repositoryHint: '',
  };
}

describe('dpkg-distroless package scanner', () => {
  it('reads every status.d file except md5sums, without a Status filter', async () => {
    const found = await scanEntries(scanner, [
      { path: 'var/lib/dpkg/status.d/tzdata', content: TZDATA },
      { path: 'var/lib/dpkg/status.d/libssl3', content: LIBSSL3 },
      { path: 'var/lib/dpkg/status.d/libssl3.md5sums', content: 'f00dfeed  usr/lib/x86_64-linux-gnu/libssl.so.3\n' },
      { path: 'var/lib/dpkg/status.d/libc6', content: LIBC6 },
      { path: 'var/lib/dpkg/status.d/libc6.md5sums', content: 'Package: not-a-package\nVersion: 1\nArchitecture: all\n' },
    ]);
    assert.deepEqual(found, [
      pkg('libc6', 'libc6', '2.36-9+deb12u7', 'amd64', 'glibc'),
      pkg('libssl3', 'libssl3', '3.0.13-1~deb12u1', 'amd64', 'openssl'),
      pkg('tzdata', 'tzdata', '2024a-0+deb12u1', 'all', 'tzdata'),
    ]);
  });

  it('skips stanzas missing Package, Version or Architecture, and ignores status files', async () => {
    const found = await scanEntries(scanner, [
      { path: 'var/lib/dpkg/status.d/broken', content: lines('Package: nover', 'Architecture: all') },
      { path: 'var/lib/dpkg/status', content: lines('Package: libc6', 'Status: install ok installed', 'Architecture: amd64', 'Version: 1') },
    ]);
    assert.deepEqual(found, []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });
});
