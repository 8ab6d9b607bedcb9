/**
 * @module Debian distribution scanner (claircore `debian.DistributionScanner`):
 * an os-release file with `ID=debian` and a numeric `VERSION_ID`. The code
 * name is `VERSION_CODENAME`, else the parenthesised part of `VERSION` (so
 * distroless images, whose `VERSION` is "Debian GNU/Linux 11 (bullseye)" and
 * which lack `VERSION_CODENAME`, are recognised). The record is normalised as
 * claircore's `mkDist`, independent of the file's `NAME` and `PRETTY_NAME`.
 */
import type { ScannedDistribution } from '../../model/scanned.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { checkAborted } from '../internal/layer-files.js';
import { readOsRelease } from '../osrelease/read.js';
import { debianRelease } from '../../model/releases.js';

/** Persisted identity; changing it is a migration. */
export const DEBIAN_DISTRIBUTION_SCANNER_NAME = 'debian';
export const DEBIAN_DISTRIBUTION_SCANNER_VERSION = '3';
export const DEBIAN_DISTRIBUTION_SCANNER_KIND = 'distribution';

/** The Debian release described by parsed os-release values, if any. */
export function debianFromOsRelease(values: ReadonlyMap<string, string>): ScannedDistribution | undefined {
  if (values.get('ID') !== 'debian') return undefined;
  const codeName = values.get('VERSION_CODENAME') || codeNameFromVersion(values.get('VERSION') ?? '');
  const idText = values.get('VERSION_ID') ?? '';
  // Testing and sid carry no VERSION_ID; they are not releases claircore tracks.
  if (codeName === '' || !/^[+-]?[0-9]+$/.test(idText)) return undefined;
  const id = Number(idText);
  if (!Number.isSafeInteger(id) || id < -(2 ** 31) || id >= 2 ** 31) return undefined;
  return debianRelease(codeName, id);
}

function codeNameFromVersion(version: string): string {
  // What `/\(([^)]*)\)/` finds, without its quadratic time on a VERSION of many `(` and no `)`.
  const open = version.indexOf('(');
  const close = open < 0 ? -1 : version.indexOf(')', open + 1);
  if (close >= 0) return version.slice(open + 1, close).trim();
  // claircore's older rule: strip non-letters from both ends ("9 stretch" → "stretch").
  return version.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
}

/** Detects Debian releases. */
export const debianDistributionScanner = {
  name: DEBIAN_DISTRIBUTION_SCANNER_NAME,
  version: DEBIAN_DISTRIBUTION_SCANNER_VERSION,
  kind: DEBIAN_DISTRIBUTION_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    const found = await readOsRelease(layer, DEBIAN_DISTRIBUTION_SCANNER_NAME);
    const dist = found?.values === undefined ? undefined : debianFromOsRelease(found.values);
    return dist === undefined ? [] : [dist];
  },
} satisfies DistributionScanner;
