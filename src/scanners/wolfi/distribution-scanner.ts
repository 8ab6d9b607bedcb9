/**
 * @module Wolfi distribution scanner. claircore has none (its OSV updater
 * ignores Wolfi); peers identify Wolfi by os-release `ID=wolfi`. Wolfi is a
 * rolling distribution whose `VERSION_ID` is a build date, so the record
 * carries no version (a per-build version would defeat matching and make
 * every image a new distribution row).
 */
import type { ScannedDistribution } from '../../model/scanned.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { checkAborted } from '../internal/layer-files.js';
import { readOsRelease } from '../osrelease/read.js';
import { WOLFI } from '../../model/releases.js';

/** Persisted identity; changing it is a migration. */
export const WOLFI_DISTRIBUTION_SCANNER_NAME = 'wolfi';
export const WOLFI_DISTRIBUTION_SCANNER_VERSION = '1';
export const WOLFI_DISTRIBUTION_SCANNER_KIND = 'distribution';

/**
 * A scanner that reports `record` for layers whose os-release `ID` is `id`;
 * Wolfi and Chainguard OS share this shape.
 */
export function rollingOsReleaseScanner<N extends string, V extends string>(name: N, version: V, id: string, record: ScannedDistribution) {
  return {
    name,
    version,
    kind: 'distribution',
    async scan(layer, context) {
      checkAborted(context);
      const found = await readOsRelease(layer, name);
      return found?.values?.get('ID') === id ? [{ ...record }] : [];
    },
  } satisfies DistributionScanner;
}

/** Detects Wolfi. */
export const wolfiDistributionScanner = rollingOsReleaseScanner(WOLFI_DISTRIBUTION_SCANNER_NAME, WOLFI_DISTRIBUTION_SCANNER_VERSION, 'wolfi', WOLFI);
