import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LayerArtifacts, PartialReport } from '../../indexer/ecosystem.js';
import type { StoredDistribution, StoredPackage, StoredRepository } from '../../model/scanned.js';
import type { Environment } from '../../model/index.js';
import { environmentRepositoryIds, propagateRedHatRepos, rhelCoalescer } from './coalescer.js';
import { RHEL_CPE_REPOSITORY_KEY } from '../../model/releases.js';

const pkg = (id: string, name: string, version: string, packageDb: string, repositoryHint = ''): StoredPackage => ({
  id,
  name,
  version,
  kind: 'binary',
  arch: 'x86_64',
  module: '',
  cpe: '',
  packageDb,
  filepath: '',
  repositoryHint,
});
const cpeRepo = (id: string, cpe: string, repoid: string): StoredRepository => ({ id, name: cpe, cpe, key: RHEL_CPE_REPOSITORY_KEY, uri: `repoid=${repoid}` });
const dist = (id: string, version: string): StoredDistribution => ({
  id,
  did: 'rhel',
  name: 'Red Hat Enterprise Linux Server',
  version,
  versionCodeName: '',
  versionId: version,
  arch: '',
  cpe: `cpe:2.3:o:redhat:enterprise_linux:${version}:*:*:*:*:*:*:*`,
  prettyName: `Red Hat Enterprise Linux Server ${version}`,
});
const layer = (n: number, over: Partial<LayerArtifacts> = {}): LayerArtifacts => ({
  digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
  packages: [],
  distributions: [],
  repositories: [],
  files: [],
  ...over,
});
const env = (packageDb: string, introducedIn: number, distributionId: string, repositoryIds: string[] | null): Environment => ({
  package_db: packageDb,
  introduced_in: layer(introducedIn).digest,
  distribution_id: distributionId,
  repository_ids: repositoryIds,
});
const ids = (m: Map<string, unknown>): string[] => [...m.keys()].sort();

const BASEOS_8 = cpeRepo('1', 'cpe:2.3:o:redhat:enterprise_linux:8:*:baseos:*:*:*:*:*', 'rhel-8-for-x86_64-baseos-rpms');
const APPSTREAM_8 = cpeRepo('2', 'cpe:2.3:a:redhat:enterprise_linux:8:*:appstream:*:*:*:*:*', 'rhel-8-for-x86_64-appstream-rpms');
const APPSTREAM_8B = cpeRepo('3', 'cpe:2.3:a:redhat:enterprise_linux:8:*:appstream:*:*:*:*:*', 'rhel-8-for-x86_64-appstream-rpms');
const DB = 'sqlite:var/lib/rpm';

function coalesce(layers: LayerArtifacts[]): PartialReport {
  const before = JSON.stringify(layers);
  const out = rhelCoalescer.coalesce(layers);
  assert.equal(JSON.stringify(layers), before, 'the input layers are not modified');
  return out;
}

describe('rhel coalescer', () => {
  it('Simple: attributes each package to its first layer and the distribution in force there, the first one back-propagated', () => {
    const p = Array.from({ length: 6 }, (_, i) => pkg(String(i), `pkg-${i}`, `${i}.0-1.el8`, `package-db-${i}`));
    const d1 = dist('d1', '8');
    const d2 = dist('d2', '9');
    const layers = [
      layer(1, { packages: p.slice(0, 1) }),
      layer(2, { packages: p.slice(0, 2) }),
      layer(3, { packages: p.slice(0, 3), distributions: [d1] }),
      layer(4, { packages: p.slice(0, 4) }),
      layer(5, { packages: p.slice(0, 5), distributions: [d2] }),
      layer(6, { packages: p }),
    ];
    const r = coalesce(layers);
    assert.deepEqual(ids(r.distributions), ['d1', 'd2']);
    assert.deepEqual(ids(r.repositories), []);
    assert.deepEqual(ids(r.packages), ['0', '1', '2', '3', '4', '5']);
    for (let i = 0; i < 6; i++) {
      assert.deepEqual(r.environments.get(String(i)), [env(`package-db-${i}`, i + 1, i < 4 ? 'd1' : 'd2', [])], `package ${i}`);
    }
  });

  it('CPERepos: propagates Red Hat repositories forward and backward to layers without them', () => {
    const p = Array.from({ length: 5 }, (_, i) => pkg(String(i), `pkg-${i}`, '1-1', `package-db-${i}`));
    const layers = [
      layer(1, { packages: p.slice(0, 1) }),
      layer(2, { packages: p.slice(0, 2), repositories: [BASEOS_8, APPSTREAM_8] }),
      layer(3, { packages: p.slice(0, 3), repositories: [APPSTREAM_8B], distributions: [dist('d1', '8')] }),
      layer(4, { packages: p.slice(0, 4) }),
      layer(5, { packages: p, distributions: [dist('d2', '8')] }),
    ];
    const r = coalesce(layers);
    assert.deepEqual(ids(r.repositories), ['1', '2', '3']);
    assert.deepEqual(ids(r.distributions), ['d1', 'd2']);
    const want: Record<string, Environment> = {
      '0': env('package-db-0', 1, 'd1', ['1', '2']),
      '1': env('package-db-1', 2, 'd1', ['1', '2']),
      '2': env('package-db-2', 3, 'd1', ['3']),
      '3': env('package-db-3', 4, 'd1', ['3']),
      '4': env('package-db-4', 5, 'd2', ['3']),
    };
    for (const [id, e] of Object.entries(want)) assert.deepEqual(r.environments.get(id), [e], id);
  });

  it('propagates backward from the first layer that has Red Hat repositories, and leaves other repositories in place', () => {
    const other: StoredRepository = { id: '9', name: 'pypi', key: '', uri: 'https://pypi.org/simple', cpe: '' };
    const layers = [layer(1, { repositories: [other] }), layer(2), layer(3, { repositories: [APPSTREAM_8] }), layer(4)];
    assert.deepEqual(
      propagateRedHatRepos(layers).map((rs) => rs.map((r) => r.id)),
      [['9', '2'], ['2'], ['2'], ['2']],
    );
    assert.deepEqual(propagateRedHatRepos([layer(1, { repositories: [other] }), layer(2)]).map((rs) => rs.map((r) => r.id)), [['9'], []]);
  });

  it('UpgradedPackage: drops the old version the last layer with packages no longer has', () => {
    const old = pkg('1', 'foo', '1.0-1', DB);
    const upgraded = pkg('2', 'foo', '2.0-1', DB);
    const r = coalesce([layer(1, { packages: [old], repositories: [BASEOS_8] }), layer(2), layer(3, { packages: [upgraded], repositories: [APPSTREAM_8] })]);
    assert.deepEqual(ids(r.packages), ['2']);
    assert.deepEqual(r.environments.get('2'), [env(DB, 3, '', ['2'])]);
    assert.deepEqual(ids(r.repositories), ['1', '2']);
  });

  it('DowngradedPackage and RemovedPackage: only what the newest package database lists survives', () => {
    const foo = pkg('1', 'foo', '1.0-1', DB);
    const bar = pkg('2', 'bar', '1.0-1', DB);
    const r = coalesce([layer(1, { packages: [bar], repositories: [BASEOS_8] }), layer(2), layer(3, { packages: [foo], repositories: [APPSTREAM_8] })]);
    assert.deepEqual(ids(r.packages), ['1']);
    assert.deepEqual(r.environments.get('1'), [env(DB, 3, '', ['2'])]);
  });

  it('keeps a package introduced early and still present at the end, with its first layer', () => {
    const bash = pkg('1', 'bash', '5.1.8-6.el9', DB);
    const nginx = pkg('2', 'nginx', '1:1.20.1-14.el9', DB);
    const r = coalesce([layer(1, { packages: [bash], distributions: [dist('d', '9')] }), layer(2, { packages: [bash, nginx] }), layer(3, { packages: [bash, nginx] })]);
    assert.deepEqual(ids(r.packages), ['1', '2']);
    assert.deepEqual(r.environments.get('1'), [env(DB, 1, 'd', [])]);
    assert.deepEqual(r.environments.get('2'), [env(DB, 2, 'd', [])]);
  });

  it('judges removal by the last later layer with any packages, as claircore does', () => {
    // The last layer only has packages of another database; claircore then
    // counts the rpm packages as gone.
    const bash = pkg('1', 'bash', '5.1.8-6.el9', DB);
    const py = pkg('2', 'requests', '2.31.0', 'python:usr/lib/python3.9/site-packages');
    const r = coalesce([layer(1, { packages: [bash] }), layer(2, { packages: [py] })]);
    assert.deepEqual(ids(r.packages), ['2']);
  });

  it('WithDNF: ties a package to the repositories of its dnf repoid only', () => {
    const hello = pkg('1', 'hello', '1.0-1', DB, 'hash=sha256%3Aff&repoid=rhel-8-for-x86_64-appstream-rpms');
    const r = coalesce([layer(1, { packages: [hello], repositories: [BASEOS_8, APPSTREAM_8] })]);
    assert.deepEqual(r.environments.get('1'), [env(DB, 1, '', ['2'])]);
  });

  it('WithDNFUnknownRepo: a repoid no repository has gives no repositories (null)', () => {
    const hello = pkg('1', 'hello', '1.0-1', DB, 'repoid=does-not-exist');
    const r = coalesce([layer(1, { packages: [hello], repositories: [APPSTREAM_8] })]);
    assert.deepEqual(r.environments.get('1'), [env(DB, 1, '', null)]);
  });

  it('MultiCPEForOneRepoID: every CPE repository of the repoid', () => {
    const repos = ['8.0', '8.1', '8.2'].map((v, i) => cpeRepo(String(i + 1), `cpe:2.3:a:redhat:enterprise_linux:${v}:*:appstream:*:*:*:*:*`, 'rhel-8-for-x86_64-appstream-rpms'));
    const hello = pkg('1', 'hello', '1.0-1', DB, 'repoid=rhel-8-for-x86_64-appstream-rpms');
    const r = coalesce([layer(1, { packages: [hello], repositories: repos })]);
    assert.deepEqual(r.environments.get('1'), [env(DB, 1, '', ['1', '2', '3'])]);
  });

  it('matches repoids against propagated repositories too, skipping repositories whose URI does not parse', () => {
    const broken: StoredRepository = { ...APPSTREAM_8B, id: '7', uri: 'repoid=%zz' };
    const nginx = pkg('5', 'nginx', '1:1.20.1-14.el9', DB, 'repoid=rhel-8-for-x86_64-appstream-rpms');
    const r = coalesce([layer(1, { repositories: [BASEOS_8, APPSTREAM_8, broken] }), layer(2, { packages: [nginx] })]);
    assert.deepEqual(r.environments.get('5'), [env(DB, 2, '', ['2'])]);
    assert.deepEqual(environmentRepositoryIds(pkg('6', 'x', '1-1', DB, 'key=abc'), [BASEOS_8]), ['1']);
  });

  it('reports a package found in two databases of one layer once, from the first', () => {
    const shared = pkg('1', 'bash', '5.1.8-6.el9', DB);
    const r = coalesce([layer(1, { packages: [shared, { ...shared, packageDb: 'bdb:var/lib/rpm' }] })]);
    assert.deepEqual(r.environments.get('1'), [env(DB, 1, '', [])]);
  });
});
