/**
 * @module Azure Linux / CBL-Mariner test images, built in the test: the
 * os-release and `*-release` files the `azurelinux-release` and
 * `mariner-release` packages install, and an rpm SQLite database (rpm's own
 * schema, as `rpm --initdb` creates it with the sqlite backend) holding
 * installed-package headers built by `rpm-fixtures.ts`. Packages carry what
 * the scanner reads from a real header: name, epoch, version, release, arch,
 * source rpm, files.
 *
 * The package versions are chosen against the OVAL files in
 * `src/updaters/azurelinux/testdata/` (see that README).
 */
import initSqlJs from 'sql.js';
import { lines } from './scan.js';
import { packageHeader, type PackageFields } from './rpm-fixtures.js';
import { buildTar, gzip, type LayerSpecEntry } from './layer-builder.js';

/** `/usr/lib/os-release` of Azure Linux 3.0 (`etc/os-release` links to it). */
export const AZURELINUX_3_OS_RELEASE = lines(
  'NAME="Microsoft Azure Linux"',
  'VERSION="3.0.20240824"',
  'ID=azurelinux',
  'VERSION_ID="3.0"',
  'PRETTY_NAME="Microsoft Azure Linux 3.0"',
  'ANSI_COLOR="1;34"',
  'HOME_URL="https://aka.ms/azurelinux"',
  'BUG_REPORT_URL="https://aka.ms/azurelinux"',
  'SUPPORT_URL="https://aka.ms/azurelinux"',
);

/** `/usr/lib/os-release` of CBL-Mariner `version` (`1.0`, `2.0`), as `mariner-release` writes it. */
export function marinerOsRelease(version: string, build: string): string {
  return lines(
    'NAME="Common Base Linux Mariner"',
    `VERSION="${version}.${build}"`,
    'ID=mariner',
    `VERSION_ID="${version}"`,
    'PRETTY_NAME="CBL-Mariner/Linux"',
    'ANSI_COLOR="1;34"',
    'HOME_URL="https://aka.ms/cbl-mariner"',
    'BUG_REPORT_URL="https://aka.ms/cbl-mariner"',
    'SUPPORT_URL="https://aka.ms/cbl-mariner"',
  );
}

/** `/etc/azurelinux-release` of Azure Linux 3.0. */
export const AZURELINUX_3_RELEASE_FILE = lines('Microsoft Azure Linux 3.0.20240824', 'AZURELINUX_BUILD_NUMBER=5a1f8b2');

/** `/etc/mariner-release` of CBL-Mariner `version`. */
export function marinerReleaseFile(version: string, build: string): string {
  return lines(`CBL-Mariner ${version}.${build}`, 'MARINER_BUILD_NUMBER=0d5a5a1');
}

/**
 * rpm's sqlite schema (its `sqlite.c` declarations, as a real database has
 * them): the header table and the index tables the fixture fills; rpm's other
 * index tables are empty in any case for what the scanner reads.
 */
function indexTable(name: string, byHnum: boolean): string {
  return [
    `CREATE TABLE '${name}' (key 'TEXT' NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL, FOREIGN KEY (hnum) REFERENCES 'Packages'(hnum));`,
    `CREATE INDEX '${name}_key_idx' ON '${name}'(key ASC);`,
    byHnum ? `CREATE INDEX '${name}_hnum_idx' ON '${name}'(hnum ASC);` : '',
  ].join('\n');
}

const RPMDB_SCHEMA = [
  "CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL);",
  indexTable('Name', false),
  indexTable('Basenames', true),
  indexTable('Dirnames', true),
].join('\n');

/** An `rpmdb.sqlite` holding `packages` in order (hnum 1, 2, …). */
export async function rpmdbSqlite(packages: readonly PackageFields[]): Promise<Buffer> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    db.run(RPMDB_SCHEMA);
    packages.forEach((p, i) => {
      db.run(`INSERT INTO 'Packages' (blob) VALUES (?)`, [packageHeader(p)]);
      db.run(`INSERT INTO 'Name' (key, hnum, idx) VALUES (?, ?, 0)`, [p.name, i + 1]);
      (p.files ?? []).forEach((file, idx) => {
        const slash = file.lastIndexOf('/');
        db.run(`INSERT INTO 'Basenames' (key, hnum, idx) VALUES (?, ?, ?)`, [file.slice(slash + 1), i + 1, idx]);
        db.run(`INSERT INTO 'Dirnames' (key, hnum, idx) VALUES (?, ?, ?)`, [file.slice(0, slash + 1), i + 1, idx]);
      });
    });
    return Buffer.from(db.export());
  } finally {
    db.close();
  }
}

/** An installed package as the image holds it. */
export interface ImagePackage {
  name: string;
  version: string;
  release: string;
  arch: string;
  epoch?: number;
  /** Source package name; defaults to `name`. */
  source?: string;
  files?: string[];
}

const fields = (p: ImagePackage): PackageFields => ({
  name: p.name,
  version: p.version,
  release: p.release,
  arch: p.arch,
  ...(p.epoch !== undefined ? { epoch: p.epoch } : {}),
  sourceRpm: `${p.source ?? p.name}-${p.version}-${p.release}.src.rpm`,
  ...(p.files ? { files: p.files } : {}),
});

/** Azure Linux 3.0 base packages, as `tdnf install` leaves them. */
export const AZURELINUX_3_PACKAGES: readonly ImagePackage[] = [
  { name: 'azurelinux-release', version: '3.0', release: '16.azl3', arch: 'noarch', files: ['/etc/azurelinux-release', '/usr/lib/os-release'] },
  { name: 'bash', version: '5.2.15', release: '3.azl3', arch: 'x86_64', files: ['/usr/bin/bash'] },
  { name: 'curl', version: '8.8.0', release: '2.azl3', arch: 'x86_64', files: ['/usr/bin/curl'] },
  { name: 'curl-libs', version: '8.8.0', release: '2.azl3', arch: 'x86_64', source: 'curl', files: ['/usr/lib/libcurl.so.4'] },
  { name: 'expat', version: '2.6.3', release: '1.azl3', arch: 'x86_64', files: ['/usr/lib/libexpat.so.1'] },
  { name: 'glibc', version: '2.38', release: '8.azl3', arch: 'x86_64', files: ['/usr/lib/libc.so.6'] },
  { name: 'openssl', version: '3.3.2', release: '1.azl3', arch: 'x86_64', files: ['/usr/bin/openssl'] },
  { name: 'openssl-libs', version: '3.3.2', release: '1.azl3', arch: 'x86_64', source: 'openssl', files: ['/usr/lib/libssl.so.3'] },
  { name: 'tar', version: '1.35', release: '1.azl3', arch: 'x86_64', files: ['/usr/bin/tar'] },
];

/** CBL-Mariner 2.0 base packages. */
export const MARINER_2_PACKAGES: readonly ImagePackage[] = [
  { name: 'mariner-release', version: '2.0', release: '57.cm2', arch: 'noarch', files: ['/etc/mariner-release', '/usr/lib/os-release'] },
  { name: 'bash', version: '5.1.8', release: '4.cm2', arch: 'x86_64', files: ['/usr/bin/bash'] },
  { name: 'curl', version: '8.8.0', release: '1.cm2', arch: 'x86_64', files: ['/usr/bin/curl'] },
  { name: 'curl-libs', version: '8.8.0', release: '1.cm2', arch: 'x86_64', source: 'curl', files: ['/usr/lib/libcurl.so.4'] },
  { name: 'openssl', version: '1.1.1k', release: '31.cm2', arch: 'x86_64', files: ['/usr/bin/openssl'] },
  { name: 'openssl-libs', version: '1.1.1k', release: '31.cm2', arch: 'x86_64', source: 'openssl', files: ['/usr/lib/libssl.so.1.1'] },
  { name: 'zlib', version: '1.2.13', release: '2.cm2', arch: 'x86_64', files: ['/usr/lib/libz.so.1'] },
];

/**
 * `var/lib/rpmmanifest/container-manifest-2` listing `packages`, as the
 * distroless images' build writes it with `rpm -qa --qf` (name,
 * version-release, install and build times, vendor, epoch, size, arch,
 * epoch number, source rpm; tab-separated).
 */
export function rpmManifest(packages: readonly ImagePackage[]): string {
  return packages
    .map((p, i) =>
      [p.name, `${p.version}-${p.release}`, '1725177600', String(1725000000 + i), 'Microsoft Corporation', p.epoch === undefined ? '(none)' : String(p.epoch), String(4096 * (i + 1)), p.arch, String(p.epoch ?? 0), `${p.source ?? p.name}-${p.version}-${p.release}.src.rpm`].join('\t'),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** Azure Linux 3.0 distroless base packages (no rpm database, only the manifest). */
export const AZURELINUX_3_DISTROLESS_PACKAGES: readonly ImagePackage[] = [
  { name: 'distroless-packages-base', version: '3.0', release: '16.azl3', arch: 'x86_64', source: 'azurelinux-release' },
  { name: 'filesystem', version: '1.1', release: '21.azl3', arch: 'x86_64' },
  { name: 'glibc', version: '2.38', release: '8.azl3', arch: 'x86_64' },
  { name: 'openssl-libs', version: '3.3.2', release: '1.azl3', arch: 'x86_64', source: 'openssl' },
  { name: 'tzdata', version: '2024a', release: '1.azl3', arch: 'noarch', epoch: 1 },
];

/** The Azure Linux 3.0 distroless image's layer: os-release and the rpm manifest, no rpmdb. */
export function azureLinux3DistrolessLayer(): Buffer {
  return gzip(
    buildTar([
      { path: 'usr/lib/os-release', content: AZURELINUX_3_OS_RELEASE },
      { path: 'etc/os-release', type: 'symlink', target: '../usr/lib/os-release' },
      { path: 'var/lib/rpmmanifest/container-manifest-1', content: AZURELINUX_3_DISTROLESS_PACKAGES.map((p) => `${p.name}-${p.version}-${p.release}.${p.arch}\n`).join('') },
      { path: 'var/lib/rpmmanifest/container-manifest-2', content: rpmManifest(AZURELINUX_3_DISTROLESS_PACKAGES) },
    ]),
  );
}

/**
 * A single-layer image: `usr/lib/os-release` with `etc/os-release` linking
 * to it, the release file, and `var/lib/rpm/rpmdb.sqlite`, gzipped.
 */
export async function azureLinuxLayer(osRelease: string, releaseFile: { path: string; content: string }, packages: readonly ImagePackage[]): Promise<Buffer> {
  const entries: LayerSpecEntry[] = [
    { path: 'etc/', type: 'dir' },
    { path: 'usr/lib/os-release', content: osRelease },
    { path: 'etc/os-release', type: 'symlink', target: '../usr/lib/os-release' },
    { path: releaseFile.path, content: releaseFile.content },
    { path: 'var/lib/rpm/rpmdb.sqlite', content: await rpmdbSqlite(packages.map(fields)) },
  ];
  return gzip(buildTar(entries));
}

/** The Azure Linux 3.0 test image's layer. */
export function azureLinux3Layer(): Promise<Buffer> {
  return azureLinuxLayer(AZURELINUX_3_OS_RELEASE, { path: 'etc/azurelinux-release', content: AZURELINUX_3_RELEASE_FILE }, AZURELINUX_3_PACKAGES);
}

/** The CBL-Mariner 2.0 test image's layer. */
export function mariner2Layer(): Promise<Buffer> {
  return azureLinuxLayer(marinerOsRelease('2.0', '20240123'), { path: 'etc/mariner-release', content: marinerReleaseFile('2.0', '20240123') }, MARINER_2_PACKAGES);
}
