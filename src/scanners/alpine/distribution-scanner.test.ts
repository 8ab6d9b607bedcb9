import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { alpineDistributionScanner as scanner } from './distribution-scanner.js';

function osRelease(versionId: string, prettyName: string, bugs = 'https://gitlab.alpinelinux.org/alpine/aports/-/issues'): string {
  return lines('NAME="Alpine Linux"', 'ID=alpine', `VERSION_ID=${versionId}`, `PRETTY_NAME="${prettyName}"`, 'HOME_URL="https://alpinelinux.org/"', `BUG_REPORT_URL="${bugs}"`);
}

function want(version: string, prettyName: string) {
  return [{ did: 'alpine', name: 'Alpine Linux', version, versionCodeName: '', versionId: '', arch: '', cpe: '', prettyName }];
}

describe('alpine distribution scanner', () => {
  for (const [versionId, minor] of [
    ['3.3.3', '3.3'],
    ['3.9.6', '3.9'],
    ['3.12.12', '3.12'],
    ['3.16.9', '3.16'],
    ['3.18.4', '3.18'],
    ['3.20.3', '3.20'],
  ] as const) {
    it(`cuts VERSION_ID ${versionId} to ${minor}`, async () => {
      const bugs = minor === '3.3' || minor === '3.9' ? 'https://bugs.alpinelinux.org/' : undefined;
      assert.deepEqual(await scanFile(scanner, 'etc/os-release', osRelease(versionId, `Alpine Linux v${minor}`, bugs)), want(minor, `Alpine Linux v${minor}`));
    });
  }

  it('reports edge from its pretty name', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', osRelease('3.21.0_alpha20240807', 'Alpine Linux edge')), want('edge', 'Alpine Linux edge'));
  });

  it('falls back to etc/issue, including edge', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/issue', 'Welcome to Alpine Linux 3.8\nKernel \\r on an \\m (\\l)\n\n'), want('3.8', 'Alpine Linux v3.8'));
    assert.deepEqual(await scanFile(scanner, 'etc/issue', 'Welcome to Alpine Linux 3.21 (edge)\nKernel \\r on an \\m (\\l)\n\n'), want('edge', 'Alpine Linux edge'));
    const malformed = [
      { path: 'etc/os-release', content: 'not an os-release\n' },
      { path: 'etc/issue', content: 'Welcome to Alpine Linux 3.18\n' },
    ];
    assert.deepEqual(await scanEntries(scanner, malformed), want('3.18', 'Alpine Linux v3.18'));
  });

  it('finds nothing for other distributions', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('ID=wolfi', 'NAME="Wolfi"', 'VERSION_ID="20230201"')), []);
    assert.deepEqual(await scanFile(scanner, 'etc/issue', 'Debian GNU/Linux 12 \\n \\l\n'), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });
});
