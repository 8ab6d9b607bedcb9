/**
 * @module The default ecosystems, in claircore's order, and resolvers: the
 * explicit list of what the indexer scans for. The whiteout ecosystem always
 * comes last.
 */
import type { Ecosystem, Resolver } from '../../indexer/ecosystem.js';
import { filesCoalescer, languageCoalescer, linuxCoalescer } from '../../indexer/coalescers.js';
import { dpkgPackageScanner } from '../../scanners/dpkg/package-scanner.js';
import { dpkgDistrolessPackageScanner } from '../../scanners/dpkg/distroless-scanner.js';
import { debianDistributionScanner } from '../../scanners/debian/distribution-scanner.js';
import { ubuntuDistributionScanner } from '../../scanners/ubuntu/distribution-scanner.js';
import { alpineDistributionScanner } from '../../scanners/alpine/distribution-scanner.js';
import { wolfiDistributionScanner } from '../../scanners/wolfi/distribution-scanner.js';
import { chainguardDistributionScanner } from '../../scanners/chainguard/distribution-scanner.js';
import { rhccEcosystem, rhelEcosystem } from '../../scanners/rhel/ecosystem.js';
import { fedoraDistributionScanner } from '../../scanners/fedora/distribution-scanner.js';
import { oracleDistributionScanner } from '../../scanners/oracle/distribution-scanner.js';
import { suseDistributionScanner } from '../../scanners/suse/distribution-scanner.js';
import { awsDistributionScanner } from '../../scanners/aws/distribution-scanner.js';
import { photonDistributionScanner } from '../../scanners/photon/distribution-scanner.js';
import { azureLinuxDistributionScanner } from '../../scanners/azurelinux/distribution-scanner.js';
import { rpmManifestScanner } from '../../scanners/azurelinux/manifest-scanner.js';
import { rpmPackageScanner } from '../../scanners/rpm/index.js';
import { gobinPackageScanner } from '../../scanners/gobin/index.js';
import { javaPackageScanner } from '../../scanners/java/index.js';
import { apkPackageScanner } from '../../scanners/alpine/package-scanner.js';
import { pythonPackageScanner } from '../../scanners/python/package-scanner.js';
import { rubyPackageScanner } from '../../scanners/ruby/package-scanner.js';
import { nodejsPackageScanner } from '../../scanners/nodejs/package-scanner.js';
import { cargoLockScanner, rustBinaryScanner } from '../../scanners/rust/index.js';
import { composerPackageScanner } from '../../scanners/php/index.js';
import { dotnetPackageScanner } from '../../scanners/dotnet/index.js';
import { whiteoutScanner } from '../../scanners/whiteout/file-scanner.js';
import { whiteoutResolver } from '../../scanners/whiteout/resolver.js';

const none = [] as const;

export const DEFAULT_ECOSYSTEMS: readonly Ecosystem[] = [
  {
    name: 'dpkg',
    packageScanners: [dpkgPackageScanner, dpkgDistrolessPackageScanner],
    distributionScanners: [debianDistributionScanner, ubuntuDistributionScanner],
    repositoryScanners: none,
    fileScanners: none,
    coalescer: linuxCoalescer,
  },
  {
    name: 'alpine',
    packageScanners: [apkPackageScanner],
    distributionScanners: [alpineDistributionScanner, wolfiDistributionScanner, chainguardDistributionScanner],
    repositoryScanners: none,
    fileScanners: none,
    coalescer: linuxCoalescer,
  },
  // RHEL-family layers: rpm packages with their dnf repoids, Red Hat CPE
  // repositories from content sets, and the rhel coalescer.
  rhelEcosystem,
  {
    name: 'rpm',
    packageScanners: [rpmPackageScanner, rpmManifestScanner],
    distributionScanners: [fedoraDistributionScanner, oracleDistributionScanner, suseDistributionScanner, awsDistributionScanner, photonDistributionScanner, azureLinuxDistributionScanner],
    repositoryScanners: none,
    fileScanners: none,
    coalescer: linuxCoalescer,
  },
  { name: 'python', packageScanners: [pythonPackageScanner], distributionScanners: none, repositoryScanners: none, fileScanners: none, coalescer: languageCoalescer },
  { name: 'java', packageScanners: [javaPackageScanner], distributionScanners: none, repositoryScanners: none, fileScanners: none, coalescer: languageCoalescer },
  rhccEcosystem,
  { name: 'gobin', packageScanners: [gobinPackageScanner], distributionScanners: none, repositoryScanners: none, fileScanners: none, coalescer: languageCoalescer },
  { name: 'ruby', packageScanners: [rubyPackageScanner], distributionScanners: none, repositoryScanners: none, fileScanners: none, coalescer: languageCoalescer },
  // On by default, unlike upstream Clair.
  { name: 'nodejs', packageScanners: [nodejsPackageScanner], distributionScanners: none, repositoryScanners: none, fileScanners: none, coalescer: languageCoalescer },
  // No claircore counterpart: scanner names follow Trivy's analyzers.
  { name: 'rust', packageScanners: [cargoLockScanner, rustBinaryScanner], distributionScanners: none, repositoryScanners: none, fileScanners: none, coalescer: languageCoalescer },
  { name: 'php', packageScanners: [composerPackageScanner], distributionScanners: none, repositoryScanners: none, fileScanners: none, coalescer: languageCoalescer },
  { name: 'dotnet', packageScanners: [dotnetPackageScanner], distributionScanners: none, repositoryScanners: none, fileScanners: none, coalescer: languageCoalescer },
  { name: 'whiteout', packageScanners: none, distributionScanners: none, repositoryScanners: none, fileScanners: [whiteoutScanner], coalescer: filesCoalescer },
];

export const DEFAULT_RESOLVERS: readonly Resolver[] = [whiteoutResolver];
