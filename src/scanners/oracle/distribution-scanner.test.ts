import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { oracleDistributionScanner as scanner } from './distribution-scanner.js';

function osRelease(version: string): string {
  const major = version.split('.')[0]!;
  return lines(
    'NAME="Oracle Linux Server"', `VERSION="${version}"`, 'ID="ol"', 'ID_LIKE="fedora"', 'VARIANT="Server"', 'VARIANT_ID="server"',
    `VERSION_ID="${version}"`, `PLATFORM_ID="platform:el${major}"`, `PRETTY_NAME="Oracle Linux Server ${version}"`, 'ANSI_COLOR="0;31"',
    `CPE_NAME="cpe:/o:oracle:linux:${version.replace('.', ':')}:server"`, 'HOME_URL="https://linux.oracle.com/"',
    'BUG_REPORT_URL="https://github.com/oracle/oracle-linux"', '', `ORACLE_BUGZILLA_PRODUCT="Oracle Linux ${major}"`,
    `ORACLE_BUGZILLA_PRODUCT_VERSION=${version}`, 'ORACLE_SUPPORT_PRODUCT="Oracle Linux"', `ORACLE_SUPPORT_PRODUCT_VERSION=${version}`,
  );
}

function want(n: number) {
  return [{ did: 'ol', name: 'Oracle Linux Server', version: String(n), versionCodeName: `Oracle Linux ${n}`, versionId: String(n), arch: '', cpe: '', prettyName: `Oracle Linux Server ${n}` }];
}

describe('oracle distribution scanner', () => {
  for (const [version, major] of [['7.9', 7], ['8.9', 8], ['9.3', 9]] as const) {
    it(`detects Oracle Linux ${version} as ${major}`, async () => {
      assert.deepEqual(await scanFile(scanner, 'etc/os-release', osRelease(version)), want(major));
    });
  }

  it('reads etc/issue for Oracle Linux 5', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/issue', 'Oracle Linux Server release 5.11\nKernel \\r on an \\m\n\n'), want(5));
  });

  it('finds nothing for RHEL or an empty layer', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('NAME="Red Hat Enterprise Linux"', 'ID="rhel"', 'PRETTY_NAME="Red Hat Enterprise Linux 9.3 (Plow)"')), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });
});
