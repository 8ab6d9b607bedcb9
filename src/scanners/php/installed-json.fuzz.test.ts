/** Fuzzing Composer's installed.json reader through the scanner, from both formats Composer writes. */
import { describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { scanEntries } from '../../test-support/scan.js';
import { composerPackageScanner } from './package-scanner.js';

const COMPOSER_2 = JSON.stringify(
  {
    packages: [
      { name: 'symfony/http-kernel', version: 'v6.4.2', version_normalized: '6.4.2.0', type: 'library', 'install-path': '../symfony/http-kernel' },
      { name: 'Monolog/Monolog', version: '2.x-dev', version_normalized: '2.9999999.9999999.9999999-dev', dist: { type: 'zip', reference: 'abc' } },
      { name: 'acme/tool', version: 'dev-main' },
    ],
    dev: true,
    'dev-package-names': ['acme/tool'],
  },
  null,
  4,
);
const COMPOSER_1 = JSON.stringify([{ name: 'guzzlehttp/guzzle', version: '7.8.1' }, { name: 'psr/log', version: '1.1.4' }]);

describe('composer installed.json: fuzz', () => {
  it('answers every mutated installed.json with packages or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [Buffer.from(COMPOSER_2), Buffer.from(COMPOSER_1)],
      parse: (input) => scanEntries(composerPackageScanner, [{ path: 'var/www/vendor/composer/installed.json', content: input }]),
    });
  });
});
