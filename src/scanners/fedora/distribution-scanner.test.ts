import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { fedoraDistributionScanner as scanner } from './distribution-scanner.js';

function want(n: number) {
  return [{ did: 'fedora', name: 'Fedora Linux', version: String(n), versionCodeName: '', versionId: String(n), arch: '', cpe: `cpe:2.3:o:fedoraproject:fedora:${n}:*:*:*:*:*:*:*`, prettyName: `Fedora Linux ${n}` }];
}

describe('fedora distribution scanner', () => {
  it('detects Fedora 40 container images', async () => {
    const text = lines(
      'NAME="Fedora Linux"', 'VERSION="40 (Container Image)"', 'ID=fedora', 'VERSION_ID=40', 'VERSION_CODENAME=""', 'PLATFORM_ID="platform:f40"',
      'PRETTY_NAME="Fedora Linux 40 (Container Image)"', 'ANSI_COLOR="0;38;2;60;110;180"', 'LOGO=fedora-logo-icon', 'CPE_NAME="cpe:/o:fedoraproject:fedora:40"',
      'DEFAULT_HOSTNAME="fedora"', 'HOME_URL="https://fedoraproject.org/"', 'DOCUMENTATION_URL="https://docs.fedoraproject.org/en-US/fedora/f40/system-administrators-guide/"',
      'SUPPORT_URL="https://ask.fedoraproject.org/"', 'BUG_REPORT_URL="https://bugzilla.redhat.com/"', 'REDHAT_BUGZILLA_PRODUCT="Fedora"',
      'REDHAT_BUGZILLA_PRODUCT_VERSION=40', 'REDHAT_SUPPORT_PRODUCT="Fedora"', 'REDHAT_SUPPORT_PRODUCT_VERSION=40', 'SUPPORT_END=2025-05-13',
      'VARIANT="Container Image"', 'VARIANT_ID=container',
    );
    assert.deepEqual(await scanFile(scanner, 'usr/lib/os-release', text), want(40));
  });

  it('normalises the older NAME=Fedora files (claircore EmptyKey case)', async () => {
    const text = lines('NAME=Fedora', 'VERSION="30 (Container Image)"', 'ID=fedora', 'VERSION_ID=30', 'VERSION_CODENAME=', 'PLATFORM_ID="platform:f30"', 'PRETTY_NAME="Fedora 30 (Container Image)"', 'CPE_NAME="cpe:/o:fedoraproject:fedora:30"');
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', text), want(30));
  });

  it('finds nothing for RHEL or an empty layer', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('NAME="Red Hat Enterprise Linux"', 'ID="rhel"', 'ID_LIKE="fedora"', 'VERSION_ID="9.3"')), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });
});
