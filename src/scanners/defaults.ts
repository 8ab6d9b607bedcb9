/**
 * @module The default scanners, as explicit lists (claircore registers its
 * ecosystems by hand in `libindex`; nothing here is discovered from the file
 * system). Order matters where claircore's does: the coalescers take the
 * first distribution a layer reports, and scanners are de-duplicated by name
 * per kind, first wins.
 */
import type { DistributionScanner, PackageScanner, RepositoryScanner } from '../indexer/scanner.js';
import { alpineDistributionScanner } from './alpine/distribution-scanner.js';
import { apkPackageScanner } from './alpine/package-scanner.js';
import { awsDistributionScanner } from './aws/distribution-scanner.js';
import { chainguardDistributionScanner } from './chainguard/distribution-scanner.js';
import { debianDistributionScanner } from './debian/distribution-scanner.js';
import { dpkgDistrolessPackageScanner } from './dpkg/distroless-scanner.js';
import { dpkgPackageScanner } from './dpkg/package-scanner.js';
import { fedoraDistributionScanner } from './fedora/distribution-scanner.js';
import { nodejsPackageScanner } from './nodejs/package-scanner.js';
import { oracleDistributionScanner } from './oracle/distribution-scanner.js';
import { photonDistributionScanner } from './photon/distribution-scanner.js';
import { pythonPackageScanner } from './python/package-scanner.js';
import { rhelDistributionScanner } from './rhel/distribution-scanner.js';
import { rubyPackageScanner } from './ruby/package-scanner.js';
import { suseDistributionScanner } from './suse/distribution-scanner.js';
import { ubuntuDistributionScanner } from './ubuntu/distribution-scanner.js';
import { wolfiDistributionScanner } from './wolfi/distribution-scanner.js';

/**
 * Every distribution scanner. Each recognises only its own distribution, so
 * at most one reports for a layer; the order follows claircore's ecosystems
 * (dpkg's debian and ubuntu, alpine, rhel) and then the others.
 */
export const DEFAULT_DISTRIBUTION_SCANNERS: readonly DistributionScanner[] = [
  debianDistributionScanner,
  ubuntuDistributionScanner,
  alpineDistributionScanner,
  rhelDistributionScanner,
  fedoraDistributionScanner,
  suseDistributionScanner,
  oracleDistributionScanner,
  awsDistributionScanner,
  photonDistributionScanner,
  wolfiDistributionScanner,
  chainguardDistributionScanner,
];

/**
 * Every package scanner, in claircore's ecosystem order (`dpkg, alpine, rhel,
 * rpm, python, java, rhcc, gobin, ruby`), plus nodejs, which this project
 * enables by default (Clair does not).
 */
export const DEFAULT_PACKAGE_SCANNERS: readonly PackageScanner[] = [
  dpkgPackageScanner,
  dpkgDistrolessPackageScanner,
  apkPackageScanner,
  // ---- rpm / rhel-package-scanner: added by the rpm work, here (claircore order: after alpine). ----
  pythonPackageScanner,
  // ---- java: added by the java work, here. ----
  // ---- rhel_containerscanner (rhcc): added by the rhel work, here. ----
  // ---- gobin: added by the gobin work, here. ----
  rubyPackageScanner,
  nodejsPackageScanner,
];

/** Every repository scanner. None yet: the rhel repository scanners come with the rpm work. */
export const DEFAULT_REPOSITORY_SCANNERS: readonly RepositoryScanner[] = [];
