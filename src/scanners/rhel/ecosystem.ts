/**
 * @module The `rhel` and `rhcc` ecosystems, as claircore's
 * `rhel.NewEcosystem` and `rhcc.NewEcosystem` define them, for the default
 * list in `src/indexer/defaults.ts`.
 *
 * claircore orders its defaults `dpkg, alpine, rhel, rpm, python, java,
 * rhcc, gobin, ruby`: `rhel` comes before the generic `rpm` ecosystem, and
 * the `rpm` ecosystem then carries only the other rpm distributions' scanners
 * (aws, oracle, suse, photon), so RHEL layers get their CPE repositories
 * from this ecosystem while the `rpm` one still reports the same packages
 * (without repositories) for the other rpm distributions.
 */
import type { Ecosystem } from '../../indexer/ecosystem.js';
import { rhelCoalescer } from './coalescer.js';
import { rhccCoalescer } from './container-coalescer.js';
import { rhccPackageScanner, rhccRepositoryScanner } from './container-scanner.js';
import { rhelDistributionScanner } from './distribution-scanner.js';
import { rhelPackageScanner } from './package-scanner.js';
import { rhelRepositoryScanner } from './repository-scanner.js';

/** RHEL: rpms with their dnf repository, the RHEL release, Red Hat CPE repositories, the rhel coalescer. */
export const rhelEcosystem: Ecosystem = {
  name: 'rhel',
  packageScanners: [rhelPackageScanner],
  distributionScanners: [rhelDistributionScanner],
  repositoryScanners: [rhelRepositoryScanner],
  fileScanners: [],
  coalescer: rhelCoalescer,
};

/** Red Hat Container Catalog: Red Hat container images as packages, with the gold repository. */
export const rhccEcosystem: Ecosystem = {
  name: 'rhcc',
  packageScanners: [rhccPackageScanner],
  distributionScanners: [],
  repositoryScanners: [rhccRepositoryScanner],
  fileScanners: [],
  coalescer: rhccCoalescer,
};
