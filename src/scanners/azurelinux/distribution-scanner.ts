/**
 * @module Azure Linux / CBL-Mariner distribution scanner. claircore has none;
 * Trivy and Grype detect both names, and so does this one, because Microsoft
 * renamed the product at 3.0 but kept one lineage (and one vulnerability
 * feed repository):
 *
 * - os-release `ID=azurelinux` (3.0) or `ID=mariner` (1.0, 2.0), with
 *   `VERSION_ID` (`"3.0"`), else the release in `VERSION` (`3.0.20240824`);
 * - when no os-release file says anything, the release files the
 *   `*-release` packages install: `etc/azurelinux-release`
 *   ("Microsoft Azure Linux 3.0.20240824") and `etc/mariner-release`
 *   ("CBL-Mariner 2.0.20240123").
 *
 * The feeds are per major release (`N.0`), so a release is reduced to it.
 * An os-release file that names another distribution ends the scan: a stray
 * release file does not make a Fedora layer Azure Linux.
 */
import type { ScannedDistribution } from '../../model/scanned.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { azureLinuxRelease } from '../../model/releases.js';
import { checkAborted, readSmallText } from '../internal/layer-files.js';
import { readOsRelease } from '../osrelease/read.js';

/** Persisted identity; changing it is a migration. */
export const AZURELINUX_DISTRIBUTION_SCANNER_NAME = 'azurelinux';
export const AZURELINUX_DISTRIBUTION_SCANNER_VERSION = '1';
export const AZURELINUX_DISTRIBUTION_SCANNER_KIND = 'distribution';

/** The os-release `ID`s of the product, before and after the rename. */
export const AZURELINUX_OS_RELEASE_IDS: ReadonlySet<string> = new Set(['azurelinux', 'mariner']);

/** Release files, read only when no os-release file decides. */
export const AZURELINUX_RELEASE_PATHS = ['etc/azurelinux-release', 'etc/mariner-release'] as const;

const RELEASE = /^v?([0-9]+)(?:\.[0-9]+)*$/;
const RELEASE_PREFIX = /^v?([0-9]+)\.[0-9]+/;
const RELEASE_FILE = /^\s*(?:Microsoft Azure Linux|Azure Linux|CBL-Mariner|Common Base Linux Mariner)\s+([0-9]+)\.[0-9]+/;

/** `'3'`, `'3.0'`, `'3.0.20240824'` → `'3.0'`; anything else → `undefined`. */
function majorRelease(text: string | undefined): string | undefined {
  const m = RELEASE.exec(text ?? '') ?? RELEASE_PREFIX.exec(text ?? '');
  return m ? `${Number(m[1])}.0` : undefined;
}

/**
 * What parsed os-release values say: the release, `null` for another
 * distribution, `undefined` when they are Azure Linux's but carry no
 * usable version (the release files may still tell).
 */
export function azureLinuxFromOsRelease(values: ReadonlyMap<string, string>): ScannedDistribution | null | undefined {
  if (!AZURELINUX_OS_RELEASE_IDS.has(values.get('ID') ?? '')) return null;
  const release = majorRelease(values.get('VERSION_ID')) ?? majorRelease(values.get('VERSION'));
  return release === undefined ? undefined : azureLinuxRelease(release);
}

/** The release a `*-release` file's first line names, if any. */
export function azureLinuxFromReleaseFile(text: string): ScannedDistribution | undefined {
  const m = RELEASE_FILE.exec(text);
  return m ? azureLinuxRelease(`${Number(m[1])}.0`) : undefined;
}

/** Detects Azure Linux and CBL-Mariner releases. */
export const azureLinuxDistributionScanner = {
  name: AZURELINUX_DISTRIBUTION_SCANNER_NAME,
  version: AZURELINUX_DISTRIBUTION_SCANNER_VERSION,
  kind: AZURELINUX_DISTRIBUTION_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    const found = await readOsRelease(layer, AZURELINUX_DISTRIBUTION_SCANNER_NAME);
    if (found?.values !== undefined) {
      const dist = azureLinuxFromOsRelease(found.values);
      if (dist === null) return [];
      if (dist !== undefined) return [dist];
    }
    for (const path of AZURELINUX_RELEASE_PATHS) {
      const text = await readSmallText(layer, path, AZURELINUX_DISTRIBUTION_SCANNER_NAME);
      const dist = text === undefined ? undefined : azureLinuxFromReleaseFile(text);
      if (dist !== undefined) return [dist];
    }
    return [];
  },
} satisfies DistributionScanner;
