import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { chainguardDistributionScanner as scanner } from './distribution-scanner.js';

const CHAINGUARD = lines('ID=chainguard', 'NAME="Chainguard"', 'PRETTY_NAME="Chainguard"', 'VERSION_ID="20230214"', 'HOME_URL="https://chainguard.dev/"');

describe('chainguard distribution scanner', () => {
  it('detects Chainguard OS, without the build-date version', async () => {
    assert.equal(scanner.name, 'chainguard');
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', CHAINGUARD), [
      { did: 'chainguard', name: 'Chainguard', version: '', versionCodeName: '', versionId: '', arch: '', cpe: '', prettyName: 'Chainguard' },
    ]);
  });

  it('finds nothing for Wolfi or an empty layer', async () => {
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('ID=wolfi', 'NAME="Wolfi"')), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });
});
