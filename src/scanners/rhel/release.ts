/** @module RHEL release records, as claircore's `rhel.mkRelease` builds them. */
import type { ScannedDistribution } from '../../model/scanned.js';
import { distribution } from '../../model/distribution.js';
import { toFsCpe } from '../../model/cpe.js';

/**
 * The record for RHEL major release `n`: claircore normalises minor releases
 * away because Red Hat's security data is per major release.
 */
export function rhelRelease(n: number): ScannedDistribution {
  const v = String(n);
  return distribution({
    did: 'rhel',
    name: 'Red Hat Enterprise Linux Server',
    version: v,
    versionId: v,
    prettyName: `Red Hat Enterprise Linux Server ${v}`,
    cpe: toFsCpe(`cpe:/o:redhat:enterprise_linux:${v}`) ?? '',
  });
}

/**
 * os-release `ID`s of rebuilds of RHEL that are mapped onto the RHEL release
 * of the same major version, so they are matched against Red Hat's data (as
 * claircore already does for CentOS Stream, whose os-release names
 * "Red Hat Enterprise Linux N", and as peers do for all three).
 */
export const RHEL_REBUILD_IDS: ReadonlySet<string> = new Set(['centos', 'rocky', 'almalinux']);
