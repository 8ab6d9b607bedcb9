/** Fuzzing the dpkg status reader through the scanner, from a real-format status file. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScannedPackage } from '../../model/scanned.js';
import { fuzz } from '../../test-support/fuzz.js';
import { scanEntries, lines } from '../../test-support/scan.js';
import { dpkgPackageScanner } from './package-scanner.js';

const STATUS = lines(
  'Package: libssl3',
  'Status: install ok installed',
  'Priority: optional',
  'Section: libs',
  'Installed-Size: 6120',
  'Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>',
  'Architecture: amd64',
  'Multi-Arch: same',
  'Source: openssl',
  'Version: 3.0.11-1~deb12u2',
  'Depends: libc6 (>= 2.34)',
  'Description: Secure Sockets Layer toolkit - shared libraries',
  ' This package is part of the OpenSSL project.',
  '',
  'Package: bash',
  'Essential: yes',
  'Status: install ok installed',
  'Architecture: amd64',
  'Source: bash (5.2.15-2)',
  'Version: 5.2.15-2+b2',
  'Description: GNU Bourne Again SHell',
);

describe('dpkg status: fuzz', () => {
  it('answers every mutated status file with packages or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [Buffer.from(STATUS)],
      // A dpkg database is a status file beside an info/ directory.
      parse: (input) => scanEntries(dpkgPackageScanner, [{ path: 'var/lib/dpkg/info', type: 'dir' }, { path: 'var/lib/dpkg/status', content: input }]),
      checkSeed: (found) => assert.deepEqual((found as ScannedPackage[]).map((p) => `${p.name} ${p.version}`), ['bash 5.2.15-2+b2', 'libssl3 3.0.11-1~deb12u2']),
    });
  });
});
