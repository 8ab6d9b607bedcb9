/**
 * @module Chainguard OS distribution scanner: os-release `ID=chainguard`
 * (Chainguard's enterprise images, built like Wolfi and matched against
 * Chainguard's own security feed). Rolling, so no version; see the Wolfi
 * scanner.
 */
import { distribution } from '../internal/distribution.js';
import { rollingOsReleaseScanner } from '../wolfi/distribution-scanner.js';

/** Persisted identity; changing it is a migration. */
export const CHAINGUARD_DISTRIBUTION_SCANNER_NAME = 'chainguard';
export const CHAINGUARD_DISTRIBUTION_SCANNER_VERSION = '1';
export const CHAINGUARD_DISTRIBUTION_SCANNER_KIND = 'distribution';

/** The Chainguard record. */
export const CHAINGUARD = distribution({ did: 'chainguard', name: 'Chainguard', prettyName: 'Chainguard' });

/** Detects Chainguard OS. */
export const chainguardDistributionScanner = rollingOsReleaseScanner(
  CHAINGUARD_DISTRIBUTION_SCANNER_NAME,
  CHAINGUARD_DISTRIBUTION_SCANNER_VERSION,
  'chainguard',
  CHAINGUARD,
);
