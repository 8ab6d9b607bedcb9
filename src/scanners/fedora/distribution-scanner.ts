/**
 * @module Fedora distribution scanner. claircore has none; this one follows
 * the same pattern as its os-release based scanners: `ID=fedora` with a
 * numeric `VERSION_ID`, normalised so that container, server and workstation
 * variants (and the older `NAME=Fedora`) give one record per release:
 * `{ did: 'fedora', name: 'Fedora Linux', version: '40', versionId: '40',
 *    prettyName: 'Fedora Linux 40', cpe: 'cpe:2.3:o:fedoraproject:fedora:40:…' }`.
 */
import type { ScannedDistribution } from '../../model/scanned.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { distribution } from '../../model/distribution.js';
import { checkAborted } from '../internal/layer-files.js';
import { toFsCpe } from '../../model/cpe.js';
import { readOsRelease } from '../osrelease/read.js';

/** Persisted identity; changing it is a migration. */
export const FEDORA_DISTRIBUTION_SCANNER_NAME = 'fedora';
export const FEDORA_DISTRIBUTION_SCANNER_VERSION = '1';
export const FEDORA_DISTRIBUTION_SCANNER_KIND = 'distribution';

/** The normalised record for Fedora release `n`. */
export function fedoraRelease(n: number): ScannedDistribution {
  const v = String(n);
  return distribution({
    did: 'fedora',
    name: 'Fedora Linux',
    version: v,
    versionId: v,
    prettyName: `Fedora Linux ${v}`,
    cpe: toFsCpe(`cpe:/o:fedoraproject:fedora:${v}`) ?? '',
  });
}

/** The Fedora release described by parsed os-release values, if any. */
export function fedoraFromOsRelease(values: ReadonlyMap<string, string>): ScannedDistribution | undefined {
  if (values.get('ID') !== 'fedora') return undefined;
  const m = /^[0-9]+$/.exec(values.get('VERSION_ID') ?? '');
  return m ? fedoraRelease(Number(m[0])) : undefined;
}

/** Detects Fedora releases. */
export const fedoraDistributionScanner = {
  name: FEDORA_DISTRIBUTION_SCANNER_NAME,
  version: FEDORA_DISTRIBUTION_SCANNER_VERSION,
  kind: FEDORA_DISTRIBUTION_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    const found = await readOsRelease(layer, FEDORA_DISTRIBUTION_SCANNER_NAME);
    const dist = found?.values === undefined ? undefined : fedoraFromOsRelease(found.values);
    return dist === undefined ? [] : [dist];
  },
} satisfies DistributionScanner;
