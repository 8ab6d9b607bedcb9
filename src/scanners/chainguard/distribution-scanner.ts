/**
 * @module Chainguard OS distribution scanner: os-release `ID=chainguard`
 * (Chainguard's enterprise images, built like Wolfi and matched against
 * Chainguard's own security feed). Rolling, so no version; see the Wolfi
 * scanner.
 */
import { rollingOsReleaseScanner } from '../wolfi/distribution-scanner.js';
import { CHAINGUARD } from '../../model/releases.js';

/** Persisted identity; changing it is a migration. */
export const CHAINGUARD_DISTRIBUTION_SCANNER_NAME = 'chainguard';
export const CHAINGUARD_DISTRIBUTION_SCANNER_VERSION = '1';
export const CHAINGUARD_DISTRIBUTION_SCANNER_KIND = 'distribution';

/** Detects Chainguard OS. */
export const chainguardDistributionScanner = rollingOsReleaseScanner(
  CHAINGUARD_DISTRIBUTION_SCANNER_NAME,
  CHAINGUARD_DISTRIBUTION_SCANNER_VERSION,
  'chainguard',
  CHAINGUARD,
);
