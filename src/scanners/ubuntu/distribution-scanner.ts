/**
 * @module Ubuntu distribution scanner (claircore `ubuntu.DistributionScanner`):
 * `etc/lsb-release` (`DISTRIB_ID`, `DISTRIB_RELEASE`, `DISTRIB_CODENAME`)
 * first, then the os-release file (`ID`, `VERSION_ID`, `VERSION_CODENAME`).
 * The record is normalised as claircore's `mkDist`:
 * `{ name: 'Ubuntu', versionId: '22.04', versionCodeName: 'jammy',
 *    version: '22.04 (Jammy)', prettyName: 'Ubuntu 22.04' }`.
 */
import type { ScannedDistribution } from '../../model/scanned.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { checkAborted, readSmallText } from '../internal/layer-files.js';
import { OS_RELEASE_FALLBACK_PATH, OS_RELEASE_PATH, parseOsRelease } from '../osrelease/parse.js';
import { ubuntuRelease } from '../../model/releases.js';

/** Persisted identity; changing it is a migration. */
export const UBUNTU_DISTRIBUTION_SCANNER_NAME = 'ubuntu';
export const UBUNTU_DISTRIBUTION_SCANNER_VERSION = '3';
export const UBUNTU_DISTRIBUTION_SCANNER_KIND = 'distribution';

/** Path of the lsb-release file, read before os-release. */
export const LSB_RELEASE_PATH = 'etc/lsb-release';

const KEYS = {
  lsb: { id: 'DISTRIB_ID', version: 'DISTRIB_RELEASE', codeName: 'DISTRIB_CODENAME' },
  osRelease: { id: 'ID', version: 'VERSION_ID', codeName: 'VERSION_CODENAME' },
} as const;

/** The Ubuntu release in an lsb-release (`kind: 'lsb'`) or os-release file's text, if any. */
export function ubuntuFromText(text: string, kind: keyof typeof KEYS): ScannedDistribution | undefined {
  const parsed = parseOsRelease(text);
  if (!parsed.ok) return undefined;
  const keys = KEYS[kind];
  if ((parsed.values.get(keys.id) ?? '').toLowerCase() !== 'ubuntu') return undefined;
  const version = parsed.values.get(keys.version) ?? '';
  const codeName = parsed.values.get(keys.codeName) ?? '';
  if (version === '' || codeName === '') return undefined;
  return ubuntuRelease(version, codeName);
}

/** Detects Ubuntu releases. */
export const ubuntuDistributionScanner = {
  name: UBUNTU_DISTRIBUTION_SCANNER_NAME,
  version: UBUNTU_DISTRIBUTION_SCANNER_VERSION,
  kind: UBUNTU_DISTRIBUTION_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    const candidates = [
      [LSB_RELEASE_PATH, 'lsb'],
      [OS_RELEASE_PATH, 'osRelease'],
      [OS_RELEASE_FALLBACK_PATH, 'osRelease'],
    ] as const;
    let sawOsRelease = false;
    for (const [path, kind] of candidates) {
      // usr/lib/os-release is only a fallback for a missing etc/os-release.
      if (path === OS_RELEASE_FALLBACK_PATH && sawOsRelease) break;
      const text = await readSmallText(layer, path, UBUNTU_DISTRIBUTION_SCANNER_NAME);
      if (text === undefined) continue;
      if (kind === 'osRelease') sawOsRelease = true;
      const dist = ubuntuFromText(text, kind);
      if (dist !== undefined) return [dist];
    }
    return [];
  },
} satisfies DistributionScanner;
