import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { ScannedPackage } from '../../model/scanned.js';
import { memoryLayer, type MemoryEntrySpec } from '../../test-support/memory-layer-fs.js';
import { lines, scanEntries } from '../../test-support/scan.js';
import { dpkgPackageScanner as scanner, findDatabases } from './package-scanner.js';

// A bookworm status file: conffiles and multi-line descriptions (continuation
// lines, " ." paragraph breaks), Source with and without a version, a binNMU,
// a held package, and entries that are not installed.
const STATUS = lines(
  'Package: adduser',
  'Status: install ok installed',
  'Priority: important',
  'Section: admin',
  'Installed-Size: 849',
  'Maintainer: Debian Adduser Developers <adduser@packages.debian.org>',
  'Architecture: all',
  'Multi-Arch: foreign',
  'Version: 3.134',
  'Depends: passwd (>= 1:4.9)',
  'Suggests: liblocale-gettext-perl, perl, cron, quota',
  'Conffiles:',
  ' /etc/adduser.conf cc3493ecd2d09837ffdcc3e25fdfff18',
  ' /etc/deluser.conf 11a06baf8245fd3d0d5b1cbc2ad6fce2',
  'Description: add and remove users and groups',
  " This package includes the 'adduser' and 'deluser' commands for creating",
  ' and removing users.',
  ' .',
  "  - 'adduser' creates new users and groups and adds existing users to",
  '    existing groups;',
  '',
  'Package: libc6',
  'Status: install ok installed',
  'Priority: optional',
  'Section: libs',
  'Installed-Size: 12987',
  'Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>',
  'Architecture: amd64',
  'Multi-Arch: same',
  'Source: glibc',
  'Version: 2.36-9+deb12u4',
  'Depends: libgcc-s1',
  'Recommends: libidn2-0 (>= 2.0.5~)',
  'Breaks: aide (<< 0.17.3-4+b3), busybox (<< 1.30.1-6)',
  'Conffiles:',
  ' /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab',
  'Description: GNU C Library: Shared libraries',
  ' Contains the standard libraries that are used by nearly all programs on',
  ' the system.',
  'Homepage: https://www.gnu.org/software/libc/libc.html',
  '',
  'Package: libgcc-s1',
  'Status: install ok installed',
  'Priority: optional',
  'Section: libs',
  'Installed-Size: 140',
  'Maintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>',
  'Architecture: amd64',
  'Multi-Arch: same',
  'Source: gcc-12 (12.2.0-14)',
  'Version: 12.2.0-14',
  'Provides: libgcc1 (= 1:12.2.0-14)',
  'Depends: gcc-12-base (= 12.2.0-14), libc6 (>= 2.35)',
  'Description: GCC support library',
  ' Shared version of the support library, a library of internal subroutines',
  ' that GCC uses to overcome shortcomings of particular machines.',
  'Homepage: http://gcc.gnu.org/',
  '',
  'Package: gcc-12-base',
  'Status: install ok installed',
  'Priority: required',
  'Section: libs',
  'Installed-Size: 71',
  'Maintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>',
  'Architecture: amd64',
  'Multi-Arch: same',
  'Source: gcc-12',
  'Version: 12.2.0-14',
  'Description: GCC, the GNU Compiler Collection (base package)',
  ' This package contains files common to all languages and libraries',
  ' contained in the GNU Compiler Collection (GCC).',
  '',
  'Package: libnettle8',
  'Status: install ok installed',
  'Priority: optional',
  'Section: libs',
  'Architecture: amd64',
  'Multi-Arch: same',
  'Source: nettle (3.8.1-2)',
  'Version: 3.8.1-2+b1',
  'Description: low level cryptographic library (symmetric and one-way cryptos)',
  '',
  'Package: ncurses-base',
  'Essential: yes',
  'Status: hold ok installed',
  'Priority: required',
  'Section: misc',
  'Architecture: all',
  'Multi-Arch: foreign',
  'Source: ncurses',
  'Version: 6.4-4',
  'Description: basic terminal type definitions',
  '',
  'Package: openssl',
  'Status: deinstall ok config-files',
  'Priority: optional',
  'Section: utils',
  'Architecture: amd64',
  'Version: 3.0.11-1~deb12u2',
  'Conffiles:',
  ' /etc/ssl/openssl.cnf 6b4ac5f9e7ce7e3a1e4f9b0d1b1e4f6e',
  'Description: Secure Sockets Layer toolkit - cryptographic utility',
  '',
  'Package: tzdata',
  'Status: install ok half-installed',
  'Priority: required',
  'Section: localization',
  'Architecture: all',
  'Version: 2024a-0+deb12u1',
  'Description: time zone and daylight-saving time data',
  '',
  'Package: libpam-runtime',
  'Status: purge ok not-installed',
  'Priority: required',
  'Section: admin',
  'Architecture: all',
  'Source: pam',
  '',
  'Package: debian-archive-keyring',
  'Status: install ok installed',
  'Priority: important',
  'Section: misc',
  'Version: 2023.3+deb12u1',
  'Description: GnuPG archive keys of the Debian archive',
  '',
);

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

const MD5SUMS = {
  adduser: '5f2f5e2a5a2b5bd4a7a6c0c0c3c1b0f2  usr/sbin/adduser\n',
  libc6: 'a5d4ed4b6b4c8a22d79d9d1b4a1bd3c6  lib/x86_64-linux-gnu/libc.so.6\n',
};

function debianLayer(extra: MemoryEntrySpec[] = []): MemoryEntrySpec[] {
  return [
    { path: 'var/lib/dpkg/status', content: STATUS },
    { path: 'var/lib/dpkg/info/adduser.md5sums', content: MD5SUMS.adduser },
    { path: 'var/lib/dpkg/info/adduser.list', content: '/usr/sbin/adduser\n' },
    { path: 'var/lib/dpkg/info/libc6:amd64.md5sums', content: MD5SUMS.libc6 },
    { path: 'var/lib/dpkg/info/openssl.md5sums', content: 'config files only\n' },
    ...extra,
  ];
}

function pkg(name: string, version: string, arch: string, source: [string, string], hint = ''): ScannedPackage {
  const db = 'var/lib/dpkg/status';
  return {
    name,
    version,
    kind: 'binary',
    arch,
    module: '',
    cpe: '',
    source: { name: source[0], version: source[1], kind: 'source', arch: '', module: '', cpe: '', packageDb: db, filepath: '', repositoryHint: '' },
    packageDb: db,
    filepath: '',
    repositoryHint: hint,
  };
}

describe('dpkg package scanner', () => {
  it('reports installed packages with their source packages and md5sums hints, sorted by name', async () => {
    assert.deepEqual(await scanEntries(scanner, debianLayer()), [
      pkg('adduser', '3.134', 'all', ['adduser', '3.134'], md5(MD5SUMS.adduser)),
      pkg('gcc-12-base', '12.2.0-14', 'amd64', ['gcc-12', '12.2.0-14']),
      pkg('libc6', '2.36-9+deb12u4', 'amd64', ['glibc', '2.36-9+deb12u4'], md5(MD5SUMS.libc6)),
      pkg('libgcc-s1', '12.2.0-14', 'amd64', ['gcc-12', '12.2.0-14']),
      pkg('libnettle8', '3.8.1-2+b1', 'amd64', ['nettle', '3.8.1-2']),
      pkg('ncurses-base', '6.4-4', 'all', ['ncurses', '6.4-4']),
    ]);
  });

  it('needs both the status file and the info directory', async () => {
    assert.deepEqual(await scanEntries(scanner, [{ path: 'var/lib/dpkg/status', content: STATUS }]), []);
    assert.deepEqual(await scanEntries(scanner, [{ path: 'var/lib/dpkg/info/adduser.list', content: '' }]), []);
    // An explicit, empty info directory is enough.
    const withDir = await scanEntries(scanner, [{ path: 'var/lib/dpkg/status', content: STATUS }, { path: 'var/lib/dpkg/info', type: 'dir' }]);
    assert.equal(withDir.length, 6);
    assert.ok(withDir.every((p) => p.repositoryHint === ''));
  });

  it('finds databases outside var/lib/dpkg and follows a symlinked status file', async () => {
    const layer = memoryLayer([
      { path: 'opt/chroot/var/lib/dpkg/status', content: lines('Package: zlib1g', 'Status: install ok installed', 'Architecture: amd64', 'Source: zlib', 'Version: 1:1.2.13.dfsg-1') },
      { path: 'opt/chroot/var/lib/dpkg/info', type: 'dir' },
      { path: 'srv/db/status', type: 'symlink', target: '/opt/chroot/var/lib/dpkg/status' },
      { path: 'srv/db/info', type: 'dir' },
    ]);
    assert.deepEqual(findDatabases(layer), ['opt/chroot/var/lib/dpkg', 'srv/db']);
    const found = await scanner.scan(layer, {});
    assert.deepEqual(found.map((p) => [p.name, p.version, p.source?.name, p.source?.version, p.packageDb]), [
      ['zlib1g', '1:1.2.13.dfsg-1', 'zlib', '1:1.2.13.dfsg-1', 'opt/chroot/var/lib/dpkg/status'],
      ['zlib1g', '1:1.2.13.dfsg-1', 'zlib', '1:1.2.13.dfsg-1', 'srv/db/status'],
    ]);
  });

  it('keys packages and sources by name within a database, as claircore does', async () => {
    const status = lines(
      'Package: libfoo1', 'Status: install ok installed', 'Architecture: amd64', 'Source: foo (1.0-1)', 'Version: 1.0-1', '',
      'Package: libfoo-bin', 'Status: install ok installed', 'Architecture: amd64', 'Source: foo', 'Version: 1.0-1+b2', '',
      'Package: libbar1', 'Status: install ok installed', 'Architecture: amd64', 'Version: 2.0-1', '',
      'Package: libbar1', 'Status: install ok installed', 'Architecture: i386', 'Version: 2.0-1', '',
    );
    const found = await scanEntries(scanner, [{ path: 'var/lib/dpkg/status', content: status }, { path: 'var/lib/dpkg/info', type: 'dir' }]);
    assert.deepEqual(found.map((p) => [p.name, p.version, p.arch, p.source?.name, p.source?.version]), [
      ['libbar1', '2.0-1', 'i386', 'libbar1', '2.0-1'],
      ['libfoo-bin', '1.0-1+b2', 'amd64', 'foo', '1.0-1'],
      ['libfoo1', '1.0-1', 'amd64', 'foo', '1.0-1'],
    ]);
  });

  it('skips malformed stanzas and keeps going', async () => {
    const status = lines(
      'Package: good1', 'Status: install ok installed', 'Architecture: all', 'Version: 1', '',
      'Package: broken', 'Status: install ok installed', 'this line has no colon', 'Architecture: all', 'Version: 1', '',
      ' leading continuation', 'Package: good2', 'Status: install ok installed', 'Architecture: all', 'Version: 2', '',
      '', '',
      'Package: good3', 'Status: install ok installed', 'Architecture: all', 'Version: 3',
    );
    const found = await scanEntries(scanner, [{ path: 'var/lib/dpkg/status', content: status }, { path: 'var/lib/dpkg/info', type: 'dir' }]);
    assert.deepEqual(found.map((p) => p.name), ['good1', 'good2', 'good3']);
  });

  it('ignores a vcpkg database, which mimics dpkg', async () => {
    const vcpkg = lines(
      'Package: zlib', 'Version: 1.2.11-6', 'Architecture: x64-windows', 'Multi-Arch: same', 'Abi: 00662fc5e607fe54d2ed6002f3b3dffb70e43561',
      'Description: A compression library', 'Type: Port', 'Status: install ok installed', '',
      'Package: curl', 'Feature: ssl', 'Depends: curl', 'Architecture: x64-windows', 'Multi-Arch: same', 'Description: Default SSL backend',
      'Type: Port', 'Status: install ok installed', '',
    );
    const found = await scanEntries(scanner, debianLayer([
      { path: 'opt/vcpkg/installed/vcpkg/status', content: vcpkg },
      { path: 'opt/vcpkg/installed/vcpkg/info/zlib_1.2.11-6_x64-windows.list', content: 'x64-windows/\n' },
    ]));
    assert.equal(found.length, 6);
    assert.ok(found.every((p) => p.packageDb === 'var/lib/dpkg/status'));
  });

  it('streams the status file instead of buffering it', async () => {
    const stanzas: string[] = [];
    for (let i = 0; i < 4000; i++) {
      stanzas.push(`Package: pkg${String(i).padStart(4, '0')}`, 'Status: install ok installed', 'Architecture: amd64', `Version: 1.${i}`);
      stanzas.push('Description: a package with a long description', ...Array.from({ length: 20 }, () => ` ${'lorem ipsum '.repeat(8)}`), '');
    }
    const inner = memoryLayer([{ path: 'var/lib/dpkg/status', content: lines(...stanzas) }, { path: 'var/lib/dpkg/info', type: 'dir' }], { chunkSize: 4093 });
    assert.ok((inner.stat('var/lib/dpkg/status')?.size ?? 0) > 5 * 1024 * 1024);
    const layer: LayerFS = {
      digest: inner.digest,
      entries: () => inner.entries(),
      lstat: (p) => inner.lstat(p),
      stat: (p) => inner.stat(p),
      readDir: (p) => inner.readDir(p),
      readFile: () => Promise.reject(new Error('the status file must be streamed')),
      createReadStream: (p) => inner.createReadStream(p),
    };
    const found = await scanner.scan(layer, {});
    assert.equal(found.length, 4000);
    assert.deepEqual([found[0]?.name, found[3999]?.name, found[3999]?.version], ['pkg0000', 'pkg3999', '1.3999']);
  });

  it('reports nothing for a layer without a database', async () => {
    assert.deepEqual(await scanEntries(scanner, [{ path: 'etc/os-release', content: 'ID=debian\n' }]), []);
  });
});

// The corpus built by /work/shared/scripts/build-test-images.sh, when present.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ROOTFS = join(ROOT, '.test-images/rootfs/debian');
const EXPECTED = join(ROOT, '.test-images/expected/debian.debs.txt');
const corpus = existsSync(join(ROOTFS, 'var/lib/dpkg/status')) && existsSync(EXPECTED);

describe('dpkg package scanner on the test-image corpus', () => {
  it(
    'matches dpkg-query on .test-images/rootfs/debian',
    { skip: corpus ? false : 'no corpus: run /work/shared/scripts/build-test-images.sh to build .test-images' },
    async () => {
      const info = join(ROOTFS, 'var/lib/dpkg/info');
      const entries: MemoryEntrySpec[] = [{ path: 'var/lib/dpkg/status', content: readFileSync(join(ROOTFS, 'var/lib/dpkg/status')) }];
      for (const name of readdirSync(info)) {
        if (name.endsWith('.md5sums')) entries.push({ path: `var/lib/dpkg/info/${name}`, content: readFileSync(join(info, name)) });
      }
      const found = await scanEntries(scanner, entries);
      const got = found.map((p) => `${p.name} ${p.version} ${p.source?.name} ${p.source?.version} ${p.arch}`).sort();
      const want = readFileSync(EXPECTED, 'utf8').split('\n').filter((l) => l !== '').sort();
      assert.deepEqual(got, want);
      assert.ok(found.every((p) => /^[0-9a-f]{32}$/.test(p.repositoryHint) || !existsSync(join(info, `${p.name}.md5sums`))));
    },
  );
});
