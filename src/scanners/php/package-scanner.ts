/**
 * @module The `composer-vendor` package scanner (Trivy's `composer-vendor`
 * analyzer; claircore has no PHP support): every `composer/installed.json`
 * (the file Composer keeps in a vendor directory, whatever the vendor
 * directory is called), each package reported in file order.
 *
 * installed.json rather than composer.lock: it lists what is on disk, the
 * lock file what a `composer install` would put there (dev packages
 * included, even when the image was built with `--no-dev`), and images
 * often ship a vendor directory without the lock file. Packages Composer 2
 * marks as dev packages are reported too: they are installed, so their code
 * can be loaded (Trivy leaves them out).
 *
 * A branch version (`dev-main`) is kept but given an `unmatchable`
 * normalized version: Composer orders a branch against no version, so no
 * advisory range can hold it. A file that is not an installed.json (not
 * JSON, the wrong shape, larger than 16 MiB) is skipped.
 */
import type { PackageScanner } from '../../indexer/scanner.js';
import type { ScannedPackage, ScannedRepository } from '../../model/scanned.js';
import { composerIsDevBranch } from '../../versions/index.js';
import { UNMATCHABLE_KIND } from '../../versions/scheme.js';
import { basename, dirname, textFilesMatching } from '../internal/layer-files.js';
import { parseInstalledJson } from './installed-json.js';

/** Persisted identity; changing it is a migration. */
export const COMPOSER_SCANNER_NAME = 'composer-vendor';
export const COMPOSER_SCANNER_VERSION = '1';
export const COMPOSER_SCANNER_KIND = 'package';

/** The repository every Composer package is attributed to; OSV's `Packagist` records name the same. */
export const PACKAGIST_REPOSITORY: ScannedRepository = { name: 'packagist', key: '', uri: 'https://packagist.org/', cpe: '' };

/** installed.json files larger than this (16 MiB) are skipped; a thousand packages take about 2 MiB. */
export const INSTALLED_JSON_LIMIT = 16 * 1024 * 1024;

/** True for `…/composer/installed.json`. */
export function isInstalledJson(path: string): boolean {
  return basename(path) === 'installed.json' && basename(dirname(path)) === 'composer';
}

/** Finds packages Composer installed. */
export const composerPackageScanner = {
  name: COMPOSER_SCANNER_NAME,
  version: COMPOSER_SCANNER_VERSION,
  kind: COMPOSER_SCANNER_KIND,
  defaultRepository: PACKAGIST_REPOSITORY,
  async scan(layer, context) {
    const out: ScannedPackage[] = [];
    for await (const { path, text } of textFilesMatching(layer, context, COMPOSER_SCANNER_NAME, INSTALLED_JSON_LIMIT, isInstalledJson)) {
      const installed = parseInstalledJson(text);
      if (!installed?.ok) continue;
      for (const { name, version } of installed.packages) {
        const p: ScannedPackage = {
          name,
          version,
          kind: 'binary',
          arch: '',
          module: '',
          cpe: '',
          packageDb: `composer:${path}`,
          filepath: path,
          repositoryHint: PACKAGIST_REPOSITORY.name,
        };
        if (composerIsDevBranch(version)) p.normalizedVersion = { kind: UNMATCHABLE_KIND, v: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };
        out.push(p);
      }
    }
    return out;
  },
} satisfies PackageScanner;
