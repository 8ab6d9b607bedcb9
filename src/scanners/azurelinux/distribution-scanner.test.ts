import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_ECOSYSTEMS } from '../../app/defaults/ecosystems.js';
import { scannersOf } from '../../indexer/local-indexer.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { AZURELINUX_3_OS_RELEASE, AZURELINUX_3_RELEASE_FILE, marinerOsRelease, marinerReleaseFile } from '../../test-support/azurelinux-fixtures.js';
import { memoryLayer } from '../../test-support/memory-layer-fs.js';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { rpmPackageScanner } from '../rpm/index.js';
import { azureLinuxDistributionScanner as scanner } from './distribution-scanner.js';

const AZL3 = { did: 'azurelinux', name: 'Microsoft Azure Linux', version: '3.0', versionCodeName: '', versionId: '3.0', arch: '', cpe: '', prettyName: 'Microsoft Azure Linux 3.0' };
const mariner = (v: string) => ({ did: 'mariner', name: 'CBL-Mariner', version: v, versionCodeName: '', versionId: v, arch: '', cpe: '', prettyName: `CBL-Mariner ${v}` });

describe('azurelinux distribution scanner', () => {
  it('detects Azure Linux 3.0 from os-release', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', AZURELINUX_3_OS_RELEASE), [AZL3]);
  });

  it('detects CBL-Mariner 1.0 and 2.0, with the version id quoted or not', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', marinerOsRelease('2.0', '20240123')), [mariner('2.0')]);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', marinerOsRelease('1.0', '20220226').replace('VERSION_ID="1.0"', 'VERSION_ID=1.0')), [mariner('1.0')]);
  });

  it('follows etc/os-release to usr/lib/os-release, and reads usr/lib/os-release alone', async () => {
    const linked = [
      { path: 'usr/lib/os-release', content: AZURELINUX_3_OS_RELEASE },
      { path: 'etc/os-release', type: 'symlink' as const, target: '../usr/lib/os-release' },
    ];
    assert.deepEqual(await scanEntries(scanner, linked), [AZL3]);
    assert.deepEqual(await scanEntries(scanner, [{ path: 'usr/lib/os-release', content: marinerOsRelease('2.0', '20240123') }]), [mariner('2.0')]);
  });

  it('reduces a minor or build release to the N.0 release the feeds use, and reads VERSION without VERSION_ID', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('ID=azurelinux', 'VERSION_ID="3.1"')), [AZL3]);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('ID=mariner', 'VERSION="2.0.20240123"')), [mariner('2.0')]);
  });

  it('reads the release files when no os-release file decides', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/azurelinux-release', AZURELINUX_3_RELEASE_FILE), [AZL3]);
    assert.deepEqual(await scanFile(scanner, 'etc/mariner-release', marinerReleaseFile('2.0', '20240123')), [mariner('2.0')]);
    assert.deepEqual(await scanFile(scanner, 'etc/mariner-release', marinerReleaseFile('1.0', '20220226')), [mariner('1.0')]);
    // os-release without a version, or malformed: the release file tells.
    const versionless = [{ path: 'etc/os-release', content: lines('ID=mariner', 'NAME="Common Base Linux Mariner"') }, { path: 'etc/mariner-release', content: marinerReleaseFile('2.0', '20240123') }];
    assert.deepEqual(await scanEntries(scanner, versionless), [mariner('2.0')]);
    const malformed = [{ path: 'etc/os-release', content: 'not an os-release file\n' }, { path: 'etc/azurelinux-release', content: AZURELINUX_3_RELEASE_FILE }];
    assert.deepEqual(await scanEntries(scanner, malformed), [AZL3]);
  });

  it('finds nothing for other distributions (even beside a stray release file), garbage, or an empty layer', async () => {
    const fedora = lines('NAME="Fedora Linux"', 'ID=fedora', 'VERSION_ID=40');
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', fedora), []);
    assert.deepEqual(await scanEntries(scanner, [{ path: 'etc/os-release', content: fedora }, { path: 'etc/mariner-release', content: marinerReleaseFile('2.0', '1') }]), []);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('ID=azurelinux', 'VERSION_ID="rolling"')), []);
    assert.deepEqual(await scanFile(scanner, 'etc/mariner-release', 'Mariner\n'), []);
    assert.deepEqual(await scanEntries(scanner, [{ path: 'etc/os-release', type: 'dir' }]), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });

  it('is the only default distribution scanner that claims Azure Linux or CBL-Mariner', async () => {
    const distributionScanners = scannersOf(DEFAULT_ECOSYSTEMS).filter((s): s is DistributionScanner => s.kind === 'distribution');
    for (const text of [AZURELINUX_3_OS_RELEASE, marinerOsRelease('2.0', '20240123'), marinerOsRelease('1.0', '20220226')]) {
      const found = [];
      for (const s of distributionScanners) found.push(...(await scanEntries(s, [{ path: 'etc/os-release', content: text }])).map((d) => `${s.name}: ${d.did} ${d.versionId}`));
      assert.equal(found.length, 1, found.join('; '));
      assert.match(found[0]!, /^azurelinux: (azurelinux 3\.0|mariner [12]\.0)$/);
    }
  });

  it('stops when the scan is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await assert.rejects(scanner.scan(memoryLayer([{ path: 'etc/os-release', content: AZURELINUX_3_OS_RELEASE }]), { signal: controller.signal }), /stop/);
  });
});

describe('rpm databases where Azure Linux and CBL-Mariner keep them', () => {
  it('reads CBL-Mariner 1.0\'s BerkeleyDB var/lib/rpm/Packages', async () => {
    // The real BerkeleyDB file of the rpm scanner's tests (hash order), at Mariner 1.0's path.
    const bdb = readFileSync(new URL('../rpm/testdata/bdb-le-4096/Packages', import.meta.url));
    const layer = memoryLayer([{ path: 'etc/os-release', content: marinerOsRelease('1.0', '20220226') }, { path: 'var/lib/rpm/Packages', content: bdb }]);
    assert.deepEqual(await scanner.scan(layer, {}), [mariner('1.0')]);
    const packages = await rpmPackageScanner.scan(layer, {});
    assert.deepEqual(packages.map((p) => `${p.packageDb} ${p.name} ${p.version}`), [
      'bdb:var/lib/rpm openssl-libs 1:3.0.7-27.el9',
      'bdb:var/lib/rpm bash 5.1.8-6.el9',
      'bdb:var/lib/rpm nodejs 1:18.14.2-2.module_el8.7.0+1240+a0e6b3c8',
      'bdb:var/lib/rpm tzdata 2023c-1.el9',
    ]);
  });
});
