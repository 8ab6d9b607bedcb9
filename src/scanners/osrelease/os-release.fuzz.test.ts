/**
 * Fuzzing os-release reading: the parser through `readOsRelease`, then the
 * distribution scanners that read it, over a layer holding the file at both
 * of its paths.
 */
import { describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { lines } from '../../test-support/scan.js';
import { memoryLayer } from '../../test-support/memory-layer-fs.js';
import { alpineDistributionScanner } from '../alpine/distribution-scanner.js';
import { debianDistributionScanner } from '../debian/distribution-scanner.js';
import { fedoraDistributionScanner } from '../fedora/distribution-scanner.js';
import { rhelDistributionScanner } from '../rhel/distribution-scanner.js';
import { suseDistributionScanner } from '../suse/distribution-scanner.js';
import { ubuntuDistributionScanner } from '../ubuntu/distribution-scanner.js';
import { wolfiDistributionScanner } from '../wolfi/distribution-scanner.js';
import { OS_RELEASE_FALLBACK_PATH, OS_RELEASE_PATH } from './parse.js';
import { readOsRelease } from './read.js';

const RHEL = lines(
  'NAME="Red Hat Enterprise Linux"',
  'VERSION="9.3 (Plow)"',
  'ID="rhel"',
  'ID_LIKE="fedora"',
  'VERSION_ID="9.3"',
  'PLATFORM_ID="platform:el9"',
  'PRETTY_NAME="Red Hat Enterprise Linux 9.3 (Plow)"',
  'CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"',
  'HOME_URL="https://www.redhat.com/"',
  '# a comment',
  '',
);
const DEBIAN = lines(
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
  'NAME="Debian GNU/Linux"',
  'VERSION_ID="12"',
  'VERSION="12 (bookworm)"',
  'VERSION_CODENAME=bookworm',
  'ID=debian',
  `SUPPORT_URL='https://www.debian.org/support'\\''x'`,
  'BUG_REPORT_URL="https://bugs.debian.org/\\$\\"\\\\"',
);
const ALPINE = lines('NAME="Alpine Linux"', 'ID=alpine', 'VERSION_ID=3.19.1', 'PRETTY_NAME="Alpine Linux v3.19"', 'HOME_URL="https://alpinelinux.org/"');

const SCANNERS = [
  alpineDistributionScanner,
  debianDistributionScanner,
  fedoraDistributionScanner,
  rhelDistributionScanner,
  suseDistributionScanner,
  ubuntuDistributionScanner,
  wolfiDistributionScanner,
];

describe('os-release: fuzz', () => {
  it('answers every mutated os-release with distributions or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [Buffer.from(RHEL), Buffer.from(DEBIAN), Buffer.from(ALPINE)],
      parse: async (input) => {
        const layer = memoryLayer([
          { path: OS_RELEASE_PATH, content: input },
          { path: OS_RELEASE_FALLBACK_PATH, content: input },
        ]);
        await readOsRelease(layer, 'fuzz');
        for (const scanner of SCANNERS) await scanner.scan(layer, {});
      },
    });
  });
});
