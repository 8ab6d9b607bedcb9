import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScannedPackage } from '../../model/scanned.js';
import { isClairError } from '../../lib/errors.js';
import { memoryLayer, type MemoryEntrySpec } from '../../test-support/memory-layer-fs.js';
import { serveMappings, UBI9_MINIMAL_DOCKERFILE, type MappingServer } from '../../test-support/rhel-fixtures.js';
import { formatNormalized } from '../../versions/scheme.js';
import {
  DEFAULT_NAME2REPOS_MAPPING_URL,
  decodeName2Repos,
  newRhccPackageScanner,
  RHCC_GOLD_REPOSITORY,
  rhccPackageScanner,
  rhccRepositoryScanner,
  versionRelease,
} from './container-scanner.js';

const UBI_PATH = 'root/buildinfo/Dockerfile-ubi9-minimal-container-9.3-1361';
const CLI_PATH = 'root/buildinfo/Dockerfile-openshift-ose-cli-v4.14.0-202311021650.p0.g9b1e0d2.assembly.stream';
const CLI_DOCKERFILE = [
  'FROM sha256:5f1c2ba0d2a5ad1d4e0c9e8e5c5b4dd3fd6d8c07cf0e1e67f4b1ab1d7c0e2f11',
  'ENV __doozer=update BUILD_RELEASE=202311021650.p0.g9b1e0d2.assembly.stream BUILD_VERSION=v4.14.0',
  'LABEL com.redhat.component="openshift-enterprise-cli-container" name="openshift4/ose-cli" release="$BUILD_RELEASE" version="$BUILD_VERSION"',
  'LABEL "architecture"="aarch64"',
].join('\n');

/** One scanned package, flattened for comparison: kind, name, version, normalized version, arch, db, hint, source name. */
const flat = (p: ScannedPackage): string[] => [p.kind, p.name, p.version, p.normalizedVersion ? formatNormalized(p.normalizedVersion) : '', p.arch, p.packageDb, p.repositoryHint, p.source?.name ?? ''];

describe('rhel_containerscanner', () => {
  let server: MappingServer;
  let dir: string;
  let n = 0;
  const setup = (route = { status: 200, body: JSON.stringify({ data: { 'ubi9/ubi-minimal': ['ubi9/ubi-minimal', 'ubi9-minimal'], 'rhel8/toolbox': ['rhel8/toolbox', 'ubi8/toolbox'] } }) }) => {
    const path = `/data/metrics/container-name-repos-map-${++n}.json`;
    server.route(path, route);
    const scanner = newRhccPackageScanner();
    const config = { name2repos_mapping_url: server.url(path) };
    return {
      scan: (entries: MemoryEntrySpec[]) => scanner.scan(memoryLayer(entries), { config }),
      requests: () => server.requests.filter((r) => r.path === path).length,
    };
  };

  before(async () => {
    server = await serveMappings();
    dir = await mkdtemp(join(tmpdir(), 'rhcc-'));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('has claircore identities and default mapping URL', () => {
    assert.deepEqual([rhccPackageScanner.name, rhccPackageScanner.version, rhccPackageScanner.kind], ['rhel_containerscanner', '2', 'package']);
    assert.deepEqual([rhccRepositoryScanner.name, rhccRepositoryScanner.version, rhccRepositoryScanner.kind], ['rhel_containerscanner', '1', 'repository']);
    assert.equal(DEFAULT_NAME2REPOS_MAPPING_URL, 'https://security.access.redhat.com/data/metrics/container-name-repos-map.json');
  });

  it('reports the component as source and a binary and an ancestry package per mapped repository', async () => {
    const s = setup();
    const pkgs = await s.scan([{ path: UBI_PATH, content: UBI9_MINIMAL_DOCKERFILE }]);
    const common = ['9.3-1361', 'rhctag:9.3.0.0.0.0.0.0.0.0', 'x86_64', UBI_PATH, 'rhcc'];
    assert.deepEqual(pkgs.map(flat), [
      ['source', 'ubi9-minimal-container', ...common, ''],
      ['binary', 'ubi9/ubi-minimal', ...common, 'ubi9-minimal-container'],
      ['ancestry', 'ubi9/ubi-minimal', ...common, 'ubi9-minimal-container'],
      ['binary', 'ubi9-minimal', ...common, 'ubi9-minimal-container'],
      ['ancestry', 'ubi9-minimal', ...common, 'ubi9-minimal-container'],
    ]);
    assert.ok(pkgs.slice(1).every((p) => p.source === pkgs[0]));
    assert.deepEqual([pkgs[0]!.module, pkgs[0]!.cpe, pkgs[0]!.filepath, pkgs[0]!.source], ['', '', '', undefined]);
  });

  it('uses the name label when the map does not list it, with variables expanded', async () => {
    const s = setup();
    const vr = 'v4.14.0-202311021650.p0.g9b1e0d2.assembly.stream';
    const common = [vr, 'rhctag:4.14.0.0.0.0.0.0.0.0', 'aarch64', CLI_PATH, 'rhcc'];
    assert.deepEqual((await s.scan([{ path: CLI_PATH, content: CLI_DOCKERFILE }])).map(flat), [
      ['source', 'openshift-enterprise-cli-container', ...common, ''],
      ['binary', 'openshift4/ose-cli', ...common, 'openshift-enterprise-cli-container'],
      ['ancestry', 'openshift4/ose-cli', ...common, 'openshift-enterprise-cli-container'],
    ]);
  });

  it('takes the first Dockerfile (by name) whose path has a version and a release', async () => {
    const s = setup();
    const pkgs = await s.scan([
      { path: 'root/buildinfo/Dockerfile-rhel', content: 'LABEL name=x\n' },
      { path: CLI_PATH, content: CLI_DOCKERFILE },
      { path: UBI_PATH, content: UBI9_MINIMAL_DOCKERFILE },
    ]);
    assert.equal(pkgs[0]!.name, 'openshift-enterprise-cli-container');
  });

  it('reports nothing, without fetching the map, for tags that are not versions, missing labels, or no Dockerfile', async () => {
    const s = setup({ status: 500, body: '' });
    assert.deepEqual(await s.scan([{ path: 'root/buildinfo/Dockerfile-ubi9-container-latest-1', content: UBI9_MINIMAL_DOCKERFILE }]), []);
    assert.deepEqual(await s.scan([{ path: UBI_PATH, content: 'LABEL com.redhat.component=c name=n\n' }]), []);
    assert.deepEqual(await s.scan([{ path: 'root/buildinfo/Dockerfile-foo', content: UBI9_MINIMAL_DOCKERFILE }]), []);
    assert.deepEqual(await s.scan([{ path: 'etc/os-release', content: 'ID=rhel\n' }]), []);
    assert.equal(s.requests(), 0);
  });

  it('fails on a Dockerfile it cannot parse, and when the map cannot be had', async () => {
    await assert.rejects(setup().scan([{ path: UBI_PATH, content: 'LABEL a=1\n$weird\n' }]), (err) => isClairError(err, 'SCANNER_FAILED') && err.message.includes(UBI_PATH));
    await assert.rejects(setup({ status: 500, body: '' }).scan([{ path: UBI_PATH, content: UBI9_MINIMAL_DOCKERFILE }]), (err) => isClairError(err, 'RHEL_MAPPING_UNAVAILABLE'));
  });

  it('reads the map from a file', async () => {
    const file = join(dir, 'container-name-repos-map.json');
    await writeFile(file, JSON.stringify({ data: { 'ubi9/ubi-minimal': ['ubi9/ubi-minimal'] } }));
    const scanner = newRhccPackageScanner({ fetch: () => Promise.reject(new Error('no network in this test')) });
    const pkgs = await scanner.scan(memoryLayer([{ path: UBI_PATH, content: UBI9_MINIMAL_DOCKERFILE }]), { config: { name2repos_mapping_file: file } });
    assert.deepEqual(pkgs.map((p) => [p.kind, p.name]), [['source', 'ubi9-minimal-container'], ['binary', 'ubi9/ubi-minimal'], ['ancestry', 'ubi9/ubi-minimal']]);
  });

  it('decodes the map strictly', () => {
    assert.deepEqual([...decodeName2Repos({ data: { a: ['x', 'y'], b: null } })], [['a', ['x', 'y']], ['b', []]]);
    assert.throws(() => decodeName2Repos({ data: { a: 'x' } }), TypeError);
  });

  it('splits the version-release off an NVR path', () => {
    assert.equal(versionRelease('root/buildinfo/Dockerfile-quay-quay-rhel8-v3.5.6-4'), 'v3.5.6-4');
  });
});

describe('rhel_containerscanner repositories', () => {
  it('reports the gold repository for any layer with a build Dockerfile', async () => {
    assert.deepEqual(await rhccRepositoryScanner.scan(memoryLayer([{ path: 'root/buildinfo/Dockerfile-foo', content: '' }]), {}), [
      { name: 'Red Hat Container Catalog', key: 'rhcc-container-repository', uri: 'https://catalog.redhat.com/software/containers/explore', cpe: '' },
    ]);
    assert.deepEqual(await rhccRepositoryScanner.scan(memoryLayer([{ path: 'root/buildinfo/content_manifests/x.json', content: '{}' }]), {}), []);
    assert.equal(Object.isFrozen(RHCC_GOLD_REPOSITORY), true);
  });
});
