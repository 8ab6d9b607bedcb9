import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { ubuntuDistributionScanner as scanner } from './distribution-scanner.js';
import { ubuntuRelease } from '../../model/releases.js';

const RELEASES = [
  { id: '18.04', point: '18.04.6 LTS', codeName: 'bionic', title: 'Bionic Beaver' },
  { id: '20.04', point: '20.04.6 LTS', codeName: 'focal', title: 'Focal Fossa' },
  { id: '22.04', point: '22.04.4 LTS', codeName: 'jammy', title: 'Jammy Jellyfish' },
  { id: '24.04', point: '24.04.1 LTS', codeName: 'noble', title: 'Noble Numbat' },
] as const;

function osRelease(r: (typeof RELEASES)[number]): string {
  return lines(
    `PRETTY_NAME="Ubuntu ${r.point}"`,
    'NAME="Ubuntu"',
    `VERSION_ID="${r.id}"`,
    `VERSION="${r.point} (${r.title})"`,
    `VERSION_CODENAME=${r.codeName}`,
    'ID=ubuntu',
    'ID_LIKE=debian',
    'HOME_URL="https://www.ubuntu.com/"',
    'SUPPORT_URL="https://help.ubuntu.com/"',
    'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"',
    'PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"',
    `UBUNTU_CODENAME=${r.codeName}`,
  );
}

function lsbRelease(r: (typeof RELEASES)[number]): string {
  return lines('DISTRIB_ID=Ubuntu', `DISTRIB_RELEASE=${r.id}`, `DISTRIB_CODENAME=${r.codeName}`, `DISTRIB_DESCRIPTION="Ubuntu ${r.point}"`);
}

describe('ubuntu distribution scanner', () => {
  for (const r of RELEASES) {
    it(`detects Ubuntu ${r.id} from lsb-release and os-release`, async () => {
      const want = {
        did: 'ubuntu',
        name: 'Ubuntu',
        version: `${r.id} (${r.codeName[0]!.toUpperCase()}${r.codeName.slice(1)})`,
        versionCodeName: r.codeName,
        versionId: r.id,
        arch: '',
        cpe: '',
        prettyName: `Ubuntu ${r.id}`,
      };
      const both = [
        { path: 'etc/lsb-release', content: lsbRelease(r) },
        { path: 'usr/lib/os-release', content: osRelease(r) },
        { path: 'etc/os-release', type: 'symlink' as const, target: '../usr/lib/os-release' },
      ];
      assert.deepEqual(await scanEntries(scanner, both), [want]);
      assert.deepEqual(await scanFile(scanner, 'etc/lsb-release', lsbRelease(r)), [want]);
      assert.deepEqual(await scanFile(scanner, 'etc/os-release', osRelease(r)), [want]);
    });
  }

  it('formats 22.04 as claircore does', () => {
    assert.deepEqual(ubuntuRelease('22.04', 'jammy'), {
      did: 'ubuntu', name: 'Ubuntu', version: '22.04 (Jammy)', versionCodeName: 'jammy', versionId: '22.04', arch: '', cpe: '', prettyName: 'Ubuntu 22.04',
    });
  });

  it('prefers lsb-release, and falls back to os-release when lsb-release lacks the code name', async () => {
    const layer = [
      { path: 'etc/lsb-release', content: lines('DISTRIB_ID=Ubuntu', 'DISTRIB_RELEASE=20.04', 'DISTRIB_CODENAME=') },
      { path: 'etc/os-release', content: osRelease(RELEASES[1]) },
    ];
    assert.deepEqual(await scanEntries(scanner, layer), [ubuntuRelease('20.04', 'focal')]);
  });

  it('finds nothing for derivatives, Debian, releases without a code name, or nothing at all', async () => {
    const mint = lines('DISTRIB_ID=LinuxMint', 'DISTRIB_RELEASE=21.3', 'DISTRIB_CODENAME=virginia');
    assert.deepEqual(await scanFile(scanner, 'etc/lsb-release', mint), []);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('ID=debian', 'VERSION_ID="12"', 'VERSION_CODENAME=bookworm')), []);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('NAME="Ubuntu"', 'VERSION="14.04.6 LTS, Trusty Tahr"', 'ID=ubuntu', 'VERSION_ID="14.04"')), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });
});
