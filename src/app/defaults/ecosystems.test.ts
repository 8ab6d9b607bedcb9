import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DistributionScanner, Scanner } from '../../indexer/scanner.js';
import { scannersOf } from '../../indexer/local-indexer.js';
import { lines, scanEntries } from '../../test-support/scan.js';
import { DEFAULT_ECOSYSTEMS } from './ecosystems.js';

const scanners = scannersOf(DEFAULT_ECOSYSTEMS);
const ofKind = <K extends Scanner['kind']>(kind: K) => scanners.filter((s): s is Extract<Scanner, { kind: K }> => s.kind === kind);
const DEFAULT_DISTRIBUTION_SCANNERS: DistributionScanner[] = ofKind('distribution');
const DEFAULT_PACKAGE_SCANNERS = ofKind('package');
const DEFAULT_REPOSITORY_SCANNERS = ofKind('repository');

function identities(list: readonly Scanner[]): string[] {
  return list.map((s) => `${s.kind}/${s.name}@${s.version}`);
}

describe('default ecosystems', () => {
  it('lists the distribution scanners with their persisted identities, in ecosystem order', () => {
    assert.deepEqual(identities(DEFAULT_DISTRIBUTION_SCANNERS), [
      'distribution/debian@3',
      'distribution/ubuntu@3',
      'distribution/alpine@3',
      'distribution/wolfi@1',
      'distribution/chainguard@1',
      'distribution/rhel@3',
      'distribution/fedora@1',
      'distribution/oracle@v0.0.1',
      'distribution/suse@v0.0.1',
      'distribution/aws@2',
      'distribution/photon@v0.0.1',
      'distribution/azurelinux@1',
    ]);
  });

  it('lists the package and repository scanners with their persisted identities, nodejs included', () => {
    assert.deepEqual(identities(DEFAULT_PACKAGE_SCANNERS), [
      'package/dpkg@7',
      'package/dpkg-distroless@1',
      'package/apk@v0.0.1',
      'package/rhel-package-scanner@1',
      'package/rpm@10',
      'package/rpm-manifest@1',
      'package/python@5',
      'package/java@8',
      'package/rhel_containerscanner@2',
      'package/gobin@7',
      'package/ruby@3',
      'package/nodejs@3',
      'package/cargo@1',
      'package/rustbinary@1',
      'package/composer-vendor@1',
      'package/dotnet-core@1',
    ]);
    assert.deepEqual(identities(DEFAULT_REPOSITORY_SCANNERS), ['repository/rhel-repository-scanner@3', 'repository/rhel_containerscanner@1']);
  });

  it('has unique names per kind', () => {
    for (const list of [DEFAULT_DISTRIBUTION_SCANNERS, DEFAULT_PACKAGE_SCANNERS, DEFAULT_REPOSITORY_SCANNERS]) {
      const names = list.map((s) => s.name);
      assert.equal(new Set(names).size, names.length);
    }
  });

  it('reports exactly one distribution for each kind of os-release file', async () => {
    const files = {
      debian: lines('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"', 'NAME="Debian GNU/Linux"', 'VERSION_ID="12"', 'VERSION="12 (bookworm)"', 'VERSION_CODENAME=bookworm', 'ID=debian'),
      ubuntu: lines('NAME="Ubuntu"', 'VERSION_ID="24.04"', 'VERSION_CODENAME=noble', 'ID=ubuntu', 'ID_LIKE=debian'),
      alpine: lines('NAME="Alpine Linux"', 'ID=alpine', 'VERSION_ID=3.20.3', 'PRETTY_NAME="Alpine Linux v3.20"'),
      rhel: lines('NAME="Red Hat Enterprise Linux"', 'ID="rhel"', 'VERSION_ID="9.3"', 'PRETTY_NAME="Red Hat Enterprise Linux 9.3 (Plow)"'),
      rocky: lines('NAME="Rocky Linux"', 'ID="rocky"', 'ID_LIKE="rhel centos fedora"', 'VERSION_ID="9.3"'),
      fedora: lines('NAME="Fedora Linux"', 'ID=fedora', 'VERSION_ID=40', 'CPE_NAME="cpe:/o:fedoraproject:fedora:40"', 'REDHAT_BUGZILLA_PRODUCT="Fedora"'),
      sles: lines('NAME="SLES"', 'ID="sles"', 'VERSION_ID="15.5"', 'CPE_NAME="cpe:/o:suse:sles:15:sp5"'),
      oracle: lines('NAME="Oracle Linux Server"', 'ID="ol"', 'ID_LIKE="fedora"', 'VERSION_ID="8.9"', 'PRETTY_NAME="Oracle Linux Server 8.9"'),
      aws: lines('NAME="Amazon Linux"', 'ID="amzn"', 'ID_LIKE="fedora"', 'VERSION_ID="2023"', 'CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2023"'),
      photon: lines('NAME="VMware Photon OS"', 'VERSION="5.0"', 'ID=photon', 'VERSION_ID=5.0', 'PRETTY_NAME="VMware Photon OS/Linux"'),
      wolfi: lines('ID=wolfi', 'NAME="Wolfi"', 'PRETTY_NAME="Wolfi"', 'VERSION_ID="20230201"'),
      chainguard: lines('ID=chainguard', 'NAME="Chainguard"', 'PRETTY_NAME="Chainguard"', 'VERSION_ID="20230214"'),
    };
    const wantDid = { debian: 'debian', ubuntu: 'ubuntu', alpine: 'alpine', rhel: 'rhel', rocky: 'rhel', fedora: 'fedora', sles: 'sles', oracle: 'ol', aws: 'amzn', photon: 'photon', wolfi: 'wolfi', chainguard: 'chainguard' };
    for (const [name, text] of Object.entries(files)) {
      const dists = [];
      for (const scanner of DEFAULT_DISTRIBUTION_SCANNERS) dists.push(...(await scanEntries(scanner, [{ path: 'etc/os-release', content: text }])));
      assert.deepEqual(dists.map((d) => d.did), [wantDid[name as keyof typeof wantDid]], name);
    }
  });
});
