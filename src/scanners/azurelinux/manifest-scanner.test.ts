import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isClairError } from '../../lib/errors.js';
import type { ScannedPackage } from '../../model/scanned.js';
import { AZURELINUX_3_DISTROLESS_PACKAGES, rpmManifest, rpmdbSqlite } from '../../test-support/azurelinux-fixtures.js';
import { memoryLayer } from '../../test-support/memory-layer-fs.js';
import { parseManifestLine, RPM_MANIFEST_PATH, rpmManifestScanner as scanner } from './manifest-scanner.js';

const DB = 'var/lib/rpmmanifest/container-manifest-2';
const src = (name: string, version: string): ScannedPackage => ({ name, version, kind: 'source', arch: '', module: '', cpe: '', packageDb: DB, filepath: '', repositoryHint: '' });
const bin = (name: string, version: string, arch: string, source: ScannedPackage | undefined): ScannedPackage => ({
  name, version, kind: 'binary', arch, module: '', cpe: '', packageDb: DB, filepath: '', repositoryHint: '', ...(source ? { source } : {}),
});

/** A real CBL-Mariner 2.0 distroless manifest excerpt's shape. */
const MARINER_LINES = [
  'mariner-release\t2.0-12.cm2\t1653816591\t1653628245\tMicrosoft Corporation\t(none)\t580\tnoarch\t0\tmariner-release-2.0-12.cm2.src.rpm',
  'filesystem\t1.1-9.cm2\t1653816591\t1653628411\tMicrosoft Corporation\t(none)\t7596\tx86_64\t0\tfilesystem-1.1-9.cm2.src.rpm',
  'glibc\t2.35-1.cm2\t1653816591\t1653628411\tMicrosoft Corporation\t(none)\t10855265\tx86_64\t0\tglibc-2.35-1.cm2.src.rpm',
];

describe('rpm-manifest package scanner', () => {
  it('lists every package of a distroless manifest, with the rpm scanner\'s EVR and source rules', async () => {
    const layer = memoryLayer([{ path: RPM_MANIFEST_PATH, content: rpmManifest(AZURELINUX_3_DISTROLESS_PACKAGES) }]);
    assert.deepEqual(await scanner.scan(layer, {}), [
      bin('distroless-packages-base', '3.0-16.azl3', 'x86_64', src('azurelinux-release', '3.0-16.azl3')),
      bin('filesystem', '1.1-21.azl3', 'x86_64', src('filesystem', '1.1-21.azl3')),
      bin('glibc', '2.38-8.azl3', 'x86_64', src('glibc', '2.38-8.azl3')),
      bin('openssl-libs', '3.3.2-1.azl3', 'x86_64', src('openssl', '3.3.2-1.azl3')),
      bin('tzdata', '1:2024a-1.azl3', 'noarch', src('tzdata', '2024a-1.azl3')),
    ]);
  });

  it('reads CRLF files, skips blank lines and gpg-pubkey, and gives no source for (none)', async () => {
    const text = `${MARINER_LINES[0]}\r\n\r\ngpg-pubkey\t3135ce90-5e6fda74\t1\t1\t(none)\t(none)\t0\t(none)\t0\t(none)\r\n${MARINER_LINES[2]!.replace('glibc-2.35-1.cm2.src.rpm', '(none)')}\r\n`;
    assert.deepEqual(await scanner.scan(memoryLayer([{ path: RPM_MANIFEST_PATH, content: text }]), {}), [
      bin('mariner-release', '2.0-12.cm2', 'noarch', src('mariner-release', '2.0-12.cm2')),
      bin('glibc', '2.35-1.cm2', 'x86_64', undefined),
    ]);
  });

  it('leaves a layer with an rpm database to the rpm scanner, and finds nothing without a manifest', async () => {
    const both = memoryLayer([
      { path: RPM_MANIFEST_PATH, content: `${MARINER_LINES.join('\n')}\n` },
      { path: 'var/lib/rpm/rpmdb.sqlite', content: await rpmdbSqlite([{ name: 'glibc', version: '2.35', release: '1.cm2' }]) },
    ]);
    assert.deepEqual(await scanner.scan(both, {}), []);
    assert.deepEqual(await scanner.scan(memoryLayer([{ path: 'var/lib/rpmmanifest/container-manifest-1', content: 'glibc-2.35-1.cm2.x86_64\n' }]), {}), []);
    assert.deepEqual(await scanner.scan(memoryLayer([{ path: RPM_MANIFEST_PATH, type: 'dir' }]), {}), []);
  });

  it('fails the scan on a malformed line, naming the file, the line and the problem', async () => {
    const cases: Array<[string, RegExp]> = [
      ['glibc 2.35-1.cm2 x86_64', /line 2: expected 10 tab-separated fields, got 1$/],
      ['glibc\t2.35\t1\t1\tMicrosoft\t(none)\t1\tx86_64\t0\tglibc-2.35-1.cm2.src.rpm', /line 2: version "2\.35" is not VERSION-RELEASE$/],
      ['glibc\t2.35-1.cm2\t1\t1\tMicrosoft\tone\t1\tx86_64\tx\tglibc-2.35-1.cm2.src.rpm', /line 2: epoch "one" is not a number$/],
      ['\t2.35-1.cm2\t1\t1\tMicrosoft\t(none)\t1\tx86_64\t0\tglibc-2.35-1.cm2.src.rpm', /line 2: empty package name$/],
    ];
    for (const [line, message] of cases) {
      const layer = memoryLayer([{ path: RPM_MANIFEST_PATH, content: `${MARINER_LINES[0]}\n${line}\n` }]);
      await assert.rejects(scanner.scan(layer, {}), (err: unknown) => {
        assert.ok(isClairError(err, 'RPM_DB_INVALID'), String(err));
        assert.match(err.message, new RegExp(`^rpm-manifest: ${DB.replaceAll('.', '\\.')} ${message.source}`));
        return true;
      });
    }
  });

  it('takes the epoch number when the epoch is set', () => {
    const info = parseManifestLine('shim\t15.8-3.azl3\t1\t1\tMicrosoft Corporation\t2\t1\tx86_64\t2\tshim-15.8-3.azl3.src.rpm');
    assert.ok(typeof info !== 'string');
    assert.deepEqual([info.name, info.epoch, info.version, info.release, info.arch, info.sourceRpm], ['shim', 2, '15.8', '3.azl3', 'x86_64', 'shim-15.8-3.azl3.src.rpm']);
  });

  it('stops when the scan is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await assert.rejects(scanner.scan(memoryLayer([{ path: RPM_MANIFEST_PATH, content: MARINER_LINES[0]! }]), { signal: controller.signal }), /stop/);
  });
});
