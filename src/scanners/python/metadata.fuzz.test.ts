/** Fuzzing the Python metadata reader through the scanner: dist-info METADATA (with INSTALLER), egg-info PKG-INFO, and a bare egg-info file. */
import { describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { lines, scanEntries } from '../../test-support/scan.js';
import { pythonPackageScanner } from './package-scanner.js';

const SITE = 'usr/local/lib/python3.11/site-packages';

const METADATA = lines(
  'Metadata-Version: 2.1',
  'Name: requests',
  'Version: 2.31.0.post1+local.7',
  'Summary: Python HTTP for Humans.',
  'Home-page: https://requests.readthedocs.io',
  'License: Apache 2.0',
  'Classifier: Programming Language :: Python :: 3',
  'Requires-Python: >=3.7',
  'Requires-Dist: charset-normalizer (<4,>=2)',
  "Requires-Dist: PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'",
  'Description: a long',
  '        continued description',
  '',
  '# Requests',
  '',
  'Name: not-a-header',
);

const PKG_INFO = lines('Metadata-Version: 1.2', 'Name: Django', 'Version: 4.2rc1.dev3', 'Summary: an egg', 'Platform: UNKNOWN');

const INSTALLER = 'pip\n';

describe('python metadata: fuzz', () => {
  it('answers every mutated METADATA, PKG-INFO or INSTALLER with packages or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [Buffer.from(METADATA), Buffer.from(PKG_INFO), Buffer.from(INSTALLER)],
      parse: (input) =>
        scanEntries(pythonPackageScanner, [
          { path: `${SITE}/requests-2.31.0.dist-info/METADATA`, content: input },
          { path: `${SITE}/requests-2.31.0.dist-info/INSTALLER`, content: input },
          { path: `${SITE}/Django-4.2.egg-info/PKG-INFO`, content: input },
          { path: `${SITE}/six-1.16.0.egg-info`, content: input },
        ]),
    });
  });
});
