import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { wolfiDistributionScanner as scanner } from './distribution-scanner.js';

const WOLFI = lines('ID=wolfi', 'NAME="Wolfi"', 'PRETTY_NAME="Wolfi"', 'VERSION_ID="20230201"', 'HOME_URL="https://wolfi.dev"');

describe('wolfi distribution scanner', () => {
  it('detects Wolfi, without the build-date version', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', WOLFI), [
      { did: 'wolfi', name: 'Wolfi', version: '', versionCodeName: '', versionId: '', arch: '', cpe: '', prettyName: 'Wolfi' },
    ]);
    assert.equal((await scanFile(scanner, 'usr/lib/os-release', WOLFI)).length, 1);
  });

  it('finds nothing for Chainguard, Alpine or an empty layer', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('ID=chainguard', 'NAME="Chainguard"')), []);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('NAME="Alpine Linux"', 'ID=alpine', 'VERSION_ID=3.20.3')), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });
});
