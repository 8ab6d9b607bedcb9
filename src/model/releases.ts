/**
 * @module Release and repository definitions: what a Debian 12, an Amazon
 * Linux 2023 or a Red Hat CPE repository looks like as claircore records it.
 * Scanners report them and updaters attach vulnerabilities to them, so both
 * import them from here and always agree, without one importing the other.
 */
import { toFsCpe } from './cpe.js';
import { distribution } from './distribution.js';
import type { ScannedDistribution } from './scanned.js';

/** A Debian release, e.g. `debianRelease('bookworm', 12)`. */
export function debianRelease(codeName: string, versionId: number): ScannedDistribution {
  return distribution({
    did: 'debian',
    name: 'Debian GNU/Linux',
    version: `${versionId} (${codeName})`,
    versionCodeName: codeName,
    versionId: String(versionId),
    prettyName: `Debian GNU/Linux ${versionId} (${codeName})`,
  });
}

/** An Ubuntu release, e.g. `ubuntuRelease('22.04', 'jammy')`. */
export function ubuntuRelease(versionId: string, codeName: string): ScannedDistribution {
  return distribution({
    did: 'ubuntu',
    name: 'Ubuntu',
    version: `${versionId} (${codeName.charAt(0).toUpperCase()}${codeName.slice(1)})`,
    versionCodeName: codeName,
    versionId,
    prettyName: `Ubuntu ${versionId}`,
  });
}

/** Amazon Linux AMI (AL1). */
export const AMAZON_LINUX_1 = distribution({
  did: 'amzn',
  name: 'Amazon Linux AMI',
  version: '2018.03',
  versionId: '2018.03',
  prettyName: 'Amazon Linux AMI 2018.03',
  cpe: toFsCpe('cpe:/o:amazon:linux:2018.03:ga') ?? '',
});

/** Amazon Linux 2. */
export const AMAZON_LINUX_2 = distribution({
  did: 'amzn',
  name: 'Amazon Linux',
  version: '2',
  versionId: '2',
  prettyName: 'Amazon Linux 2',
  cpe: toFsCpe('cpe:2.3:o:amazon:amazon_linux:2') ?? '',
});

/** Amazon Linux 2023. */
export const AMAZON_LINUX_2023 = distribution({
  did: 'amzn',
  name: 'Amazon Linux',
  version: '2023',
  versionId: '2023',
  prettyName: 'Amazon Linux 2023',
  cpe: toFsCpe('cpe:2.3:o:amazon:amazon_linux:2023') ?? '',
});

/** Oracle Linux major release `n`. */
export function oracleRelease(n: number): ScannedDistribution {
  const v = String(n);
  return distribution({
    did: 'ol',
    name: 'Oracle Linux Server',
    version: v,
    versionId: v,
    versionCodeName: `Oracle Linux ${v}`,
    prettyName: `Oracle Linux Server ${v}`,
  });
}

/** SUSE Linux Enterprise Server `major` (claircore's `mkELDist`). */
export function slesRelease(major: string): ScannedDistribution {
  return distribution({ did: 'sles', name: 'SLES', version: major, versionId: major, prettyName: `SUSE Linux Enterprise Server ${major}` });
}

/** openSUSE Leap `version` (claircore's `mkLeapDist`). */
export function leapRelease(version: string): ScannedDistribution {
  return distribution({ did: 'opensuse-leap', name: 'openSUSE Leap', version, versionId: version, prettyName: `openSUSE Leap ${version}` });
}

/** The rolling openSUSE Tumbleweed. */
export const TUMBLEWEED = distribution({ did: 'opensuse-tumbleweed', name: 'openSUSE Tumbleweed', prettyName: 'openSUSE Tumbleweed' });

/** VMware Photon OS `version` (`'3.0'`). */
export function photonRelease(version: string): ScannedDistribution {
  return distribution({ did: 'photon', name: 'VMware Photon OS', version, versionId: version, prettyName: 'VMware Photon OS/Linux' });
}

/** The rolling Wolfi distribution. */
export const WOLFI = distribution({ did: 'wolfi', name: 'Wolfi', prettyName: 'Wolfi' });

/** The rolling Chainguard distribution. */
export const CHAINGUARD = distribution({ did: 'chainguard', name: 'Chainguard', prettyName: 'Chainguard' });

/** Repository key of Red Hat CPE repositories (content sets mapped to CPEs), as claircore's. */
export const RHEL_CPE_REPOSITORY_KEY = 'rhel-cpe-repository';

/** Repository key of Red Hat container images (claircore's rhcc `RepositoryKey`). */
export const RHCC_REPOSITORY_KEY = 'rhcc-container-repository';

/**
 * Azure Linux release `version` (`'3.0'`), or CBL-Mariner for the releases
 * before the rename (`'1.0'`, `'2.0'`). Microsoft publishes one OVAL file per
 * release under the name it had, and images report the matching os-release
 * `ID` (`mariner` up to 2.0, `azurelinux` from 3.0), so the record follows
 * the release's own name. `versionId` is the `N.0` release the feeds use.
 */
export function azureLinuxRelease(version: string): ScannedDistribution {
  const major = Number.parseInt(version, 10);
  if (major >= 3) {
    return distribution({ did: 'azurelinux', name: 'Microsoft Azure Linux', version, versionId: version, prettyName: `Microsoft Azure Linux ${version}` });
  }
  return distribution({ did: 'mariner', name: 'CBL-Mariner', version, versionId: version, prettyName: `CBL-Mariner ${version}` });
}
