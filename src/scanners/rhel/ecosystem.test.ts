import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LayerArtifacts } from '../../indexer/ecosystem.js';
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { ScannedPackage, StoredDistribution, StoredPackage, StoredRepository } from '../../model/scanned.js';
import type { ScanContext } from '../../indexer/scanner.js';
import { memoryLayer } from '../../test-support/memory-layer-fs.js';
import { contentManifest, dnf4History, REPO2CPE_EXCERPT, serveMappings, type MappingServer } from '../../test-support/rhel-fixtures.js';
import { buildNdb, packageHeader, type PackageFields } from '../../test-support/rpm-fixtures.js';
import { rhelCoalescer } from './coalescer.js';
import { rhccCoalescer } from './container-coalescer.js';
import { rhccPackageScanner, rhccRepositoryScanner } from './container-scanner.js';
import { rhelDistributionScanner } from './distribution-scanner.js';
import { rhccEcosystem, rhelEcosystem } from './ecosystem.js';
import { rhelPackageScanner } from './package-scanner.js';
import { rhelRepositoryScanner } from './repository-scanner.js';

const BASEOS = 'rhel-9-for-x86_64-baseos-rpms';
const APPSTREAM = 'rhel-9-for-x86_64-appstream-rpms';
const OS_RELEASE = 'NAME="Red Hat Enterprise Linux"\nVERSION="9.3 (Plow)"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.3"\nPRETTY_NAME="Red Hat Enterprise Linux 9.3 (Plow)"\nCPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"\n';

const rpm = (name: string, version: string, release: string, arch = 'x86_64', epoch?: number): PackageFields => ({
  name,
  version,
  release,
  arch,
  ...(epoch === undefined ? {} : { epoch }),
  sourceRpm: `${name}-${version}-${release}.src.rpm`,
});
const BASH = rpm('bash', '5.1.8', '6.el9_1');
const OPENSSL_OLD = rpm('openssl-libs', '3.0.7', '24.el9', 'x86_64', 1);
const OPENSSL_NEW = rpm('openssl-libs', '3.0.7', '27.el9', 'x86_64', 1);
const NGINX = rpm('nginx', '1.20.1', '14.el9_2.1', 'x86_64', 1);
const rpmdb = (...fields: PackageFields[]) => ({ path: 'var/lib/rpm/Packages.db', content: buildNdb(fields.map((f) => packageHeader(f))) });

describe('rhel ecosystems', () => {
  let server: MappingServer;
  before(async () => {
    server = await serveMappings();
    server.route('/repository-to-cpe.json', { status: 200, body: JSON.stringify(REPO2CPE_EXCERPT) });
  });
  after(() => server.close());

  it('are claircore rhel and rhcc ecosystems', () => {
    assert.deepEqual(
      [rhelEcosystem.name, rhelEcosystem.packageScanners, rhelEcosystem.distributionScanners, rhelEcosystem.repositoryScanners, rhelEcosystem.fileScanners, rhelEcosystem.coalescer],
      ['rhel', [rhelPackageScanner], [rhelDistributionScanner], [rhelRepositoryScanner], [], rhelCoalescer],
    );
    assert.deepEqual(
      [rhccEcosystem.name, rhccEcosystem.packageScanners, rhccEcosystem.distributionScanners, rhccEcosystem.repositoryScanners, rhccEcosystem.fileScanners, rhccEcosystem.coalescer],
      ['rhcc', [rhccPackageScanner], [], [rhccRepositoryScanner], [], rhccCoalescer],
    );
  });

  it('turn a UBI 9 base layer and a `dnf install nginx` layer into packages tied to their Red Hat products', async () => {
    const base = memoryLayer([
      { path: 'etc/os-release', content: OS_RELEASE },
      { path: 'root/buildinfo/content_manifests/ubi9-container-9.3-1361.json', content: contentManifest([BASEOS, APPSTREAM]) },
      rpmdb(BASH, OPENSSL_OLD),
    ]);
    const history = await dnf4History([
      {
        cmdline: 'dnf -y install nginx',
        items: [
          { rpm: { name: 'nginx', epoch: 1, version: '1.20.1', release: '14.el9_2.1', arch: 'x86_64' }, repoid: APPSTREAM, action: 'install' },
          { rpm: { name: 'openssl-libs', epoch: 1, version: '3.0.7', release: '24.el9', arch: 'x86_64' }, repoid: BASEOS, action: 'upgraded' },
          { rpm: { name: 'openssl-libs', epoch: 1, version: '3.0.7', release: '27.el9', arch: 'x86_64' }, repoid: BASEOS, action: 'upgrade' },
        ],
      },
    ]);
    const user = memoryLayer([rpmdb(BASH, OPENSSL_NEW, NGINX), { path: 'var/lib/dnf/history.sqlite', content: history }]);

    const context: ScanContext = { config: { repo2cpe_mapping_url: server.url('/repository-to-cpe.json') } };
    const ids = new Ids();
    const artifacts: LayerArtifacts[] = [];
    for (const layer of [base, user]) artifacts.push(await scanLayer(layer, context, ids));
    const report = rhelEcosystem.coalescer.coalesce(artifacts);

    const byName = (name: string) => [...report.packages.values()].find((p) => p.name === name)!;
    assert.deepEqual([...report.packages.values()].map((p) => `${p.name}-${p.version}`).sort(), ['bash-5.1.8-6.el9_1', 'nginx-1:1.20.1-14.el9_2.1', 'openssl-libs-1:3.0.7-27.el9']);
    const repoName = (id: string) => `${report.repositories.get(id)!.name} ${report.repositories.get(id)!.uri}`;
    const envOf = (name: string) => report.environments.get(byName(name).id)!.map((e) => ({ ...e, repository_ids: e.repository_ids?.map(repoName) ?? null }));
    const dist = [...report.distributions.values()];
    assert.deepEqual(dist.map((d) => d.prettyName), ['Red Hat Enterprise Linux Server 9']);
    const common = { package_db: 'ndb:var/lib/rpm', distribution_id: dist[0]!.id };
    // bash came with the base image: no repoid, so every product of its layer.
    assert.deepEqual(envOf('bash'), [
      {
        ...common,
        introduced_in: base.digest,
        repository_ids: [`cpe:2.3:a:redhat:enterprise_linux:9:*:appstream:*:*:*:*:* repoid=${APPSTREAM}`, `cpe:2.3:o:redhat:enterprise_linux:9:*:baseos:*:*:*:*:* repoid=${BASEOS}`],
      },
    ]);
    // dnf recorded where nginx and the new openssl-libs came from: only that product.
    assert.deepEqual(envOf('nginx'), [{ ...common, introduced_in: user.digest, repository_ids: [`cpe:2.3:a:redhat:enterprise_linux:9:*:appstream:*:*:*:*:* repoid=${APPSTREAM}`] }]);
    assert.deepEqual(envOf('openssl-libs'), [{ ...common, introduced_in: user.digest, repository_ids: [`cpe:2.3:o:redhat:enterprise_linux:9:*:baseos:*:*:*:*:* repoid=${BASEOS}`] }]);
  });
});

/** Database ids as the store assigns them: one per distinct package, distribution or repository. */
class Ids {
  readonly #ids = new Map<string, string>();
  of(key: string): string {
    let id = this.#ids.get(key);
    if (id === undefined) this.#ids.set(key, (id = String(this.#ids.size + 1)));
    return id;
  }
}

async function scanLayer(layer: LayerFS, context: ScanContext, ids: Ids): Promise<LayerArtifacts> {
  const store = (p: ScannedPackage): StoredPackage => {
    const { source, ...rest } = p;
    const stored: StoredPackage = { ...rest, id: ids.of(`p\0${p.name}\0${p.version}\0${p.kind}\0${p.module}\0${p.arch}`) };
    if (source) stored.source = { ...source, id: ids.of(`p\0${source.name}\0${source.version}\0${source.kind}\0\0`) };
    return stored;
  };
  const packages = (await rhelPackageScanner.scan(layer, context)).map(store);
  const distributions: StoredDistribution[] = (await rhelDistributionScanner.scan(layer, context)).map((d) => ({ ...d, id: ids.of(`d\0${JSON.stringify(d)}`) }));
  const repositories: StoredRepository[] = (await rhelRepositoryScanner.scan(layer, context)).map((r) => ({ ...r, id: ids.of(`r\0${r.name}\0${r.key}\0${r.uri}`) }));
  return { digest: layer.digest, packages, distributions, repositories, files: [] };
}
