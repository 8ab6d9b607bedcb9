/**
 * @module VMware Photon OS distribution scanner (claircore
 * `photon.DistributionScanner`). claircore matches `NAME="VMware Photon[ OS]"`
 * followed by `VERSION="N.0"` for releases 1–3; this port accepts any
 * `N.0` release from the parsed os-release file, so Photon 4 and 5 (which
 * have their own security data) are found too. The record is claircore's:
 * `{ did: 'photon', name: 'VMware Photon OS', version: '3.0', versionId: '3.0',
 *    prettyName: 'VMware Photon OS/Linux' }`.
 */
import type { ScannedDistribution } from '../../model/scanned.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { checkAborted } from '../internal/layer-files.js';
import { OS_RELEASE_PATH } from '../osrelease/parse.js';
import { readOsRelease } from '../osrelease/read.js';
import { photonRelease } from '../../model/releases.js';

/** Persisted identity; changing it is a migration. */
export const PHOTON_DISTRIBUTION_SCANNER_NAME = 'photon';
export const PHOTON_DISTRIBUTION_SCANNER_VERSION = 'v0.0.1';
export const PHOTON_DISTRIBUTION_SCANNER_KIND = 'distribution';

/** The Photon release described by parsed os-release values, if any. */
export function photonFromOsRelease(values: ReadonlyMap<string, string>): ScannedDistribution | undefined {
  if (!/^VMware Photon(?: OS)?$/.test(values.get('NAME') ?? '')) return undefined;
  const version = values.get('VERSION') ?? '';
  return /^[0-9]+\.0$/.test(version) ? photonRelease(version) : undefined;
}

/** Detects Photon OS releases. */
export const photonDistributionScanner = {
  name: PHOTON_DISTRIBUTION_SCANNER_NAME,
  version: PHOTON_DISTRIBUTION_SCANNER_VERSION,
  kind: PHOTON_DISTRIBUTION_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    const found = await readOsRelease(layer, PHOTON_DISTRIBUTION_SCANNER_NAME, [OS_RELEASE_PATH]);
    const dist = found?.values === undefined ? undefined : photonFromOsRelease(found.values);
    return dist === undefined ? [] : [dist];
  },
} satisfies DistributionScanner;
