import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LayerArtifacts } from '../../indexer/ecosystem.js';
import type { StoredPackage, StoredRepository } from '../../model/scanned.js';
import { rhccCoalescer } from './container-coalescer.js';
import { RHCC_GOLD_REPOSITORY } from './container-scanner.js';

const gold: StoredRepository = { ...RHCC_GOLD_REPOSITORY, id: '1' };
const norm = (major: number, minor: number) => ({ kind: 'rhctag', v: [major, minor, 0, 0, 0, 0, 0, 0, 0, 0] });
const container = (id: string, name: string, version: string, packageDb: string, major: number, minor: number, repositoryHint = 'rhcc'): StoredPackage => ({
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
  normalizedVersion: norm(major, minor),
  source: { id: `${id}-src`, name: `${name}-container`, version, kind: 'source', arch: 'x86_64', module: '', cpe: '', packageDb, filepath: '', repositoryHint },
});
const layer = (n: number, over: Partial<LayerArtifacts> = {}): LayerArtifacts => ({ digest: `sha256:${String(n).repeat(64)}`, packages: [], distributions: [], repositories: [], files: [], ...over });

describe('rhcc coalescer', () => {
  it('keeps the newest Red Hat image matchable and makes the base images it was built on unmatchable', () => {
    const ubi = container('1', 'ubi8', '8.10-1088', 'root/buildinfo/Dockerfile-ubi8-container-8.10-1088', 8, 10);
    const grafana = container('2', 'rhacm2/acm-grafana-rhel8', 'v2.9.5-8', 'root/buildinfo/Dockerfile-rhacm2-acm-grafana-rhel8-v2.9.5-8', 2, 9);
    const layers = [layer(1), layer(2), layer(3, { packages: [ubi], repositories: [gold] }), layer(4), layer(5, { packages: [grafana], repositories: [gold] }), layer(6)];
    const r = rhccCoalescer.coalesce(layers);
    assert.deepEqual([...r.packages.keys()].sort(), ['1', '2']);
    assert.deepEqual(r.packages.get('2'), grafana);
    assert.deepEqual(r.packages.get('1')!.normalizedVersion, { kind: 'unmatchable', v: [8, 10, 0, 0, 0, 0, 0, 0, 0, 0] });
    assert.deepEqual({ ...r.packages.get('1'), normalizedVersion: ubi.normalizedVersion }, ubi);
    assert.equal(ubi.normalizedVersion!.kind, 'rhctag', 'the input is not modified');
    assert.deepEqual(r.environments.get('2'), [{ package_db: grafana.packageDb, introduced_in: layers[4]!.digest, distribution_id: '', repository_ids: ['1'] }]);
    assert.deepEqual(r.environments.get('1'), [{ package_db: ubi.packageDb, introduced_in: layers[2]!.digest, distribution_id: '', repository_ids: ['1'] }]);
    assert.deepEqual([...r.repositories.values()], [gold]);
    assert.equal(r.distributions.size, 0);
  });

  it('ignores layers without repositories and packages of other scanners', () => {
    const stray = container('3', 'nginx', '1.20.1-14.el9', 'sqlite:var/lib/rpm', 1, 20, 'hash=sha256%3Aff');
    const orphan = container('4', 'ubi9', '9.3-1361', 'root/buildinfo/Dockerfile-ubi9-container-9.3-1361', 9, 3);
    const r = rhccCoalescer.coalesce([layer(1, { packages: [orphan] }), layer(2, { packages: [stray], repositories: [gold] })]);
    assert.equal(r.packages.size, 0);
    assert.deepEqual([...r.repositories.keys()], ['1']);
  });

  it('gives a package without a normalized version an unmatchable one when it is not the newest', () => {
    const { normalizedVersion: _, ...plain } = container('5', 'ubi9', '9.3-1361', 'root/buildinfo/Dockerfile-ubi9-container-9.3-1361', 9, 3);
    const newer = container('6', 'app', '1.0-1', 'root/buildinfo/Dockerfile-app-container-1.0-1', 1, 0);
    const r = rhccCoalescer.coalesce([layer(1, { packages: [plain], repositories: [gold] }), layer(2, { packages: [newer], repositories: [gold] })]);
    assert.deepEqual(r.packages.get('5')!.normalizedVersion, { kind: 'unmatchable', v: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
  });
});
