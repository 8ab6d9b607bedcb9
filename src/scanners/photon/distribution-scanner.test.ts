import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { photonDistributionScanner as scanner } from './distribution-scanner.js';

function osRelease(name: string, version: string): string {
  return lines(
    `NAME="${name}"`, `VERSION="${version}"`, 'ID=photon', `VERSION_ID=${version}`, 'PRETTY_NAME="VMware Photon OS/Linux"',
    'ANSI_COLOR="1;34"', 'HOME_URL="https://vmware.github.io/photon/"', 'BUG_REPORT_URL="https://github.com/vmware/photon/issues"',
  );
}

describe('photon distribution scanner', () => {
  for (const version of ['3.0', '4.0', '5.0']) {
    it(`detects Photon OS ${version}`, async () => {
      assert.deepEqual(await scanFile(scanner, 'etc/os-release', osRelease('VMware Photon OS', version)), [
        { did: 'photon', name: 'VMware Photon OS', version, versionCodeName: '', versionId: version, arch: '', cpe: '', prettyName: 'VMware Photon OS/Linux' },
      ]);
    });
  }

  it('detects Photon 1.0, named "VMware Photon"', async () => {
    assert.equal((await scanFile(scanner, 'etc/os-release', osRelease('VMware Photon', '1.0')))[0]?.version, '1.0');
  });

  it('finds nothing for other distributions or an empty layer', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('NAME="Amazon Linux"', 'VERSION="2"', 'ID="amzn"')), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });
});
