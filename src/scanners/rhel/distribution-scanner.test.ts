import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { rhelDistributionScanner as scanner } from './distribution-scanner.js';
import { rhelRelease } from './release.js';

const RHEL7 = lines(
  'NAME="Red Hat Enterprise Linux Server"',
  'VERSION="7.9 (Maipo)"',
  'ID="rhel"',
  'ID_LIKE="fedora"',
  'VARIANT="Server"',
  'VARIANT_ID="server"',
  'VERSION_ID="7.9"',
  'PRETTY_NAME="Red Hat Enterprise Linux Server 7.9 (Maipo)"',
  'ANSI_COLOR="0;31"',
  'CPE_NAME="cpe:/o:redhat:enterprise_linux:7.9:GA:server"',
  'HOME_URL="https://www.redhat.com/"',
  'BUG_REPORT_URL="https://bugzilla.redhat.com/"',
  '',
  'REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux 7"',
  'REDHAT_BUGZILLA_PRODUCT_VERSION=7.9',
  'REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"',
  'REDHAT_SUPPORT_PRODUCT_VERSION="7.9"',
);

function modernRhel(major: number, minor: number, codeName: string): string {
  return lines(
    'NAME="Red Hat Enterprise Linux"',
    `VERSION="${major}.${minor} (${codeName})"`,
    'ID="rhel"',
    'ID_LIKE="fedora"',
    `VERSION_ID="${major}.${minor}"`,
    `PLATFORM_ID="platform:el${major}"`,
    `PRETTY_NAME="Red Hat Enterprise Linux ${major}.${minor} (${codeName})"`,
    'ANSI_COLOR="0;31"',
    'LOGO="fedora-logo-icon"',
    `CPE_NAME="cpe:/o:redhat:enterprise_linux:${major}::baseos"`,
    'HOME_URL="https://www.redhat.com/"',
    `DOCUMENTATION_URL="https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/${major}"`,
    'BUG_REPORT_URL="https://bugzilla.redhat.com/"',
    '',
    `REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux ${major}"`,
    `REDHAT_BUGZILLA_PRODUCT_VERSION=${major}.${minor}`,
    'REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"',
    `REDHAT_SUPPORT_PRODUCT_VERSION="${major}.${minor}"`,
  );
}

function want(n: number) {
  return [
    {
      did: 'rhel',
      name: 'Red Hat Enterprise Linux Server',
      version: String(n),
      versionCodeName: '',
      versionId: String(n),
      arch: '',
      cpe: `cpe:2.3:o:redhat:enterprise_linux:${n}:*:*:*:*:*:*:*`,
      prettyName: `Red Hat Enterprise Linux Server ${n}`,
    },
  ];
}

describe('rhel distribution scanner', () => {
  it('detects RHEL 7, 8 and 9 (UBI) as their major release', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', RHEL7), want(7));
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', modernRhel(8, 9, 'Ootpa')), want(8));
    assert.deepEqual(await scanFile(scanner, 'usr/lib/os-release', modernRhel(9, 3, 'Plow')), want(9));
  });

  it('detects RHEL Atomic Host', async () => {
    const text = lines('NAME="Red Hat Enterprise Linux Atomic Host"', 'VERSION="7.9"', 'ID="rhel"', 'VARIANT_ID=atomic.host', 'VERSION_ID="7.9"', 'PRETTY_NAME="Red Hat Enterprise Linux Atomic Host 7.9"');
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', text), want(7));
  });

  it('falls back to etc/redhat-release (RHEL 6 has no os-release)', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/redhat-release', 'Red Hat Enterprise Linux Server release 6.10 (Santiago)\n'), want(6));
  });

  it('maps CentOS, CentOS Stream, Rocky Linux and AlmaLinux to the RHEL release of their major version', async () => {
    const centos7 = lines(
      'NAME="CentOS Linux"', 'VERSION="7 (Core)"', 'ID="centos"', 'ID_LIKE="rhel fedora"', 'VERSION_ID="7"', 'PRETTY_NAME="CentOS Linux 7 (Core)"',
      'ANSI_COLOR="0;31"', 'CPE_NAME="cpe:/o:centos:centos:7"', 'HOME_URL="https://www.centos.org/"', 'BUG_REPORT_URL="https://bugs.centos.org/"', '',
      'CENTOS_MANTISBT_PROJECT="CentOS-7"', 'CENTOS_MANTISBT_PROJECT_VERSION="7"', 'REDHAT_SUPPORT_PRODUCT="centos"', 'REDHAT_SUPPORT_PRODUCT_VERSION="7"',
    );
    const stream9 = lines(
      'NAME="CentOS Stream"', 'VERSION="9"', 'ID="centos"', 'ID_LIKE="rhel fedora"', 'VERSION_ID="9"', 'PLATFORM_ID="platform:el9"',
      'PRETTY_NAME="CentOS Stream 9"', 'ANSI_COLOR="0;31"', 'LOGO="fedora-logo-icon"', 'CPE_NAME="cpe:/o:centos:centos:9"',
      'HOME_URL="https://centos.org/"', 'BUG_REPORT_URL="https://issues.redhat.com/"', 'REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux 9"',
      'REDHAT_SUPPORT_PRODUCT_VERSION="CentOS Stream"',
    );
    const rocky9 = lines(
      'NAME="Rocky Linux"', 'VERSION="9.3 (Blue Onyx)"', 'ID="rocky"', 'ID_LIKE="rhel centos fedora"', 'VERSION_ID="9.3"', 'PLATFORM_ID="platform:el9"',
      'PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"', 'ANSI_COLOR="0;32"', 'LOGO="fedora-logo-icon"', 'CPE_NAME="cpe:/o:rocky:rocky:9::baseos"',
      'HOME_URL="https://rockylinux.org/"', 'BUG_REPORT_URL="https://bugs.rockylinux.org/"', 'SUPPORT_END="2032-05-31"',
      'ROCKY_SUPPORT_PRODUCT="Rocky-Linux-9"', 'ROCKY_SUPPORT_PRODUCT_VERSION="9.3"', 'REDHAT_SUPPORT_PRODUCT="Rocky Linux"', 'REDHAT_SUPPORT_PRODUCT_VERSION="9.3"',
    );
    const alma9 = lines(
      'NAME="AlmaLinux"', 'VERSION="9.3 (Shamrock Pampas Cat)"', 'ID="almalinux"', 'ID_LIKE="rhel centos fedora"', 'VERSION_ID="9.3"',
      'PLATFORM_ID="platform:el9"', 'PRETTY_NAME="AlmaLinux 9.3 (Shamrock Pampas Cat)"', 'ANSI_COLOR="0;34"', 'LOGO="fedora-logo-icon"',
      'CPE_NAME="cpe:/o:almalinux:almalinux:9::baseos"', 'HOME_URL="https://almalinux.org/"', 'DOCUMENTATION_URL="https://wiki.almalinux.org/"',
      'BUG_REPORT_URL="https://bugs.almalinux.org/"', '', 'ALMALINUX_MANTISBT_PROJECT="AlmaLinux-9"', 'ALMALINUX_MANTISBT_PROJECT_VERSION="9.3"',
      'REDHAT_SUPPORT_PRODUCT="AlmaLinux"', 'REDHAT_SUPPORT_PRODUCT_VERSION="9.3"',
    );
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', centos7), want(7));
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', stream9), want(9));
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', rocky9), want(9));
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', alma9), want(9));
  });

  it('reports hummingbird from its own fields', async () => {
    const text = lines('NAME="Hummingbird"', 'VERSION="20251124"', 'ID=hummingbird', 'VERSION_ID="20251124"', 'PRETTY_NAME="Hummingbird 20251124"', 'CPE_NAME="cpe:/o:redhat:hummingbird:1"');
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', text), [
      { did: 'hummingbird', name: 'Hummingbird', version: '20251124', versionCodeName: '', versionId: '20251124', arch: '', cpe: 'cpe:2.3:o:redhat:hummingbird:1:*:*:*:*:*:*:*', prettyName: 'Hummingbird 20251124' },
    ]);
  });

  it('leaves Oracle Linux, whose redhat-release names RHEL, to the oracle scanner', async () => {
    const layer = [
      { path: 'etc/oracle-release', content: 'Oracle Linux Server release 9.3\n' },
      { path: 'etc/redhat-release', content: 'Red Hat Enterprise Linux release 9.3 (Plow)\n' },
      { path: 'etc/os-release', content: lines('NAME="Oracle Linux Server"', 'VERSION="9.3"', 'ID="ol"', 'VERSION_ID="9.3"', 'PRETTY_NAME="Oracle Linux Server 9.3"') },
    ];
    assert.deepEqual(await scanEntries(scanner, layer), []);
  });

  it('finds nothing for Fedora or an empty layer', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('NAME="Fedora Linux"', 'ID=fedora', 'VERSION_ID=39', 'REDHAT_BUGZILLA_PRODUCT="Fedora"')), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
    assert.deepEqual(rhelRelease(8).cpe, 'cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*');
  });
});
