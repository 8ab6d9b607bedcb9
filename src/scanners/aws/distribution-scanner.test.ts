import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { awsDistributionScanner as scanner } from './distribution-scanner.js';

const AL1 = lines(
  'NAME="Amazon Linux AMI"', 'VERSION="2018.03"', 'ID="amzn"', 'ID_LIKE="rhel fedora"', 'VERSION_ID="2018.03"',
  'PRETTY_NAME="Amazon Linux AMI 2018.03"', 'ANSI_COLOR="0;33"', 'CPE_NAME="cpe:/o:amazon:linux:2018.03:ga"', 'HOME_URL="http://aws.amazon.com/amazon-linux-ami/"',
);
const AL2 = lines(
  'NAME="Amazon Linux"', 'VERSION="2"', 'ID="amzn"', 'ID_LIKE="centos rhel fedora"', 'VERSION_ID="2"', 'PRETTY_NAME="Amazon Linux 2"',
  'ANSI_COLOR="0;33"', 'CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2"', 'HOME_URL="https://amazonlinux.com/"', 'SUPPORT_END="2026-06-30"',
);
const AL2023 = lines(
  'NAME="Amazon Linux"', 'VERSION="2023"', 'ID="amzn"', 'ID_LIKE="fedora"', 'VERSION_ID="2023"', 'PLATFORM_ID="platform:al2023"',
  'PRETTY_NAME="Amazon Linux 2023.6.20241010"', 'ANSI_COLOR="0;33"', 'CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2023"',
  'HOME_URL="https://aws.amazon.com/linux/amazon-linux-2023/"', 'DOCUMENTATION_URL="https://docs.aws.amazon.com/linux/"',
  'SUPPORT_URL="https://aws.amazon.com/premiumsupport/"', 'BUG_REPORT_URL="https://github.com/amazonlinux/amazon-linux-2023"',
  'VENDOR_NAME="AWS"', 'VENDOR_URL="https://aws.amazon.com/"', 'SUPPORT_END="2029-06-30"',
);

describe('aws distribution scanner', () => {
  it('detects Amazon Linux AMI 2018.03', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', AL1), [
      { did: 'amzn', name: 'Amazon Linux AMI', version: '2018.03', versionCodeName: '', versionId: '2018.03', arch: '', cpe: 'cpe:2.3:o:amazon:linux:2018.03:ga:*:*:*:*:*:*', prettyName: 'Amazon Linux AMI 2018.03' },
    ]);
  });

  it('detects Amazon Linux 2', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', AL2), [
      { did: 'amzn', name: 'Amazon Linux', version: '2', versionCodeName: '', versionId: '2', arch: '', cpe: 'cpe:2.3:o:amazon:amazon_linux:2:*:*:*:*:*:*:*', prettyName: 'Amazon Linux 2' },
    ]);
  });

  it('detects Amazon Linux 2023', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', AL2023), [
      { did: 'amzn', name: 'Amazon Linux', version: '2023', versionCodeName: '', versionId: '2023', arch: '', cpe: 'cpe:2.3:o:amazon:amazon_linux:2023:*:*:*:*:*:*:*', prettyName: 'Amazon Linux 2023' },
    ]);
  });

  it('finds nothing for other distributions or an empty layer', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('NAME="Fedora Linux"', 'ID=fedora', 'CPE_NAME="cpe:/o:fedoraproject:fedora:40"')), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });
});
