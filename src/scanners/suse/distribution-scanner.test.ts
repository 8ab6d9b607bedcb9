import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { suseDistributionScanner as scanner } from './distribution-scanner.js';

const SLES15 = lines(
  'NAME="SLES"', 'VERSION="15-SP5"', 'VERSION_ID="15.5"', 'PRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"', 'ID="sles"',
  'ID_LIKE="suse"', 'ANSI_COLOR="0;32"', 'CPE_NAME="cpe:/o:suse:sles:15:sp5"', 'DOCUMENTATION_URL="https://documentation.suse.com/"',
);
const LEAP155 = lines(
  'NAME="openSUSE Leap"', 'VERSION="15.5"', 'ID="opensuse-leap"', 'ID_LIKE="suse opensuse"', 'VERSION_ID="15.5"',
  'PRETTY_NAME="openSUSE Leap 15.5"', 'ANSI_COLOR="0;32"', 'CPE_NAME="cpe:/o:opensuse:leap:15.5"',
  'BUG_REPORT_URL="https://bugs.opensuse.org"', 'HOME_URL="https://www.opensuse.org/"', 'DOCUMENTATION_URL="https://en.opensuse.org/Portal:Leap"', 'LOGO="distributor-logo-Leap"',
);
const TUMBLEWEED = lines(
  'NAME="openSUSE Tumbleweed"', '# VERSION="20240612"', 'ID="opensuse-tumbleweed"', 'ID_LIKE="opensuse suse"', 'VERSION_ID="20240612"',
  'PRETTY_NAME="openSUSE Tumbleweed"', 'ANSI_COLOR="0;32"', 'CPE_NAME="cpe:/o:opensuse:tumbleweed:20240612"',
  'BUG_REPORT_URL="https://bugzilla.opensuse.org"', 'SUPPORT_URL="https://bugs.opensuse.org"', 'HOME_URL="https://www.opensuse.org"',
  'DOCUMENTATION_URL="https://en.opensuse.org/Portal:Tumbleweed"', 'LOGO="distributor-logo-Tumbleweed"',
);

describe('suse distribution scanner', () => {
  it('detects SLES 15 SP5 as SLES 15', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', SLES15), [
      { did: 'sles', name: 'SLES', version: '15', versionCodeName: '', versionId: '15', arch: '', cpe: '', prettyName: 'SUSE Linux Enterprise Server 15' },
    ]);
  });

  it('detects openSUSE Leap 15.5', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', LEAP155), [
      { did: 'opensuse-leap', name: 'openSUSE Leap', version: '15.5', versionCodeName: '', versionId: '15.5', arch: '', cpe: '', prettyName: 'openSUSE Leap 15.5' },
    ]);
  });

  it('detects openSUSE Tumbleweed without a version', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', TUMBLEWEED), [
      { did: 'opensuse-tumbleweed', name: 'openSUSE Tumbleweed', version: '', versionCodeName: '', versionId: '', arch: '', cpe: '', prettyName: 'openSUSE Tumbleweed' },
    ]);
  });

  it('finds nothing without a SUSE CPE', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/SuSE-release', 'SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\nPATCHLEVEL = 4\n'), []);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('NAME="SLE Micro"', 'ID="sle-micro"', 'CPE_NAME="cpe:/o:suse:sle-micro:5.5"')), []);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('NAME="Fedora Linux"', 'ID=fedora', 'CPE_NAME="cpe:/o:fedoraproject:fedora:40"')), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });
});
