import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deletedBy, whiteoutResolver } from './resolver.js';
import { emptyPartialReport } from '../../indexer/ecosystem.js';
import type { StoredPackage } from '../../model/scanned.js';

describe('deletedBy', () => {
  it('follows the OCI whiteout rules', () => {
    assert.equal(deletedBy('usr/lib/python3/site-packages/a-1.0.dist-info/METADATA', 'usr/lib/python3/site-packages/.wh.a-1.0.dist-info'), true);
    assert.equal(deletedBy('usr/lib/python3/site-packages/ab-1.0.dist-info/METADATA', 'usr/lib/python3/site-packages/.wh.a'), false, 'a prefix of a name is not the name');
    assert.equal(deletedBy('opt/app/lib/x.jar', 'opt/.wh.app'), true, 'deleting a directory deletes what is below');
    assert.equal(deletedBy('opt/app/lib/x.jar', 'opt/app/.wh..wh..opq'), true, 'an opaque directory hides its old contents');
    assert.equal(deletedBy('opt/app', 'opt/app/.wh..wh..opq'), false, 'but not the directory itself');
    assert.equal(deletedBy('opt/app/x.jar', 'etc/.wh.motd'), false);
    assert.equal(deletedBy('x.jar', '.wh.x.jar'), true, 'at the root');
    assert.equal(deletedBy('x.jar', 'etc/motd'), false, 'not a whiteout');
  });
});

describe('whiteoutResolver', () => {
  const L = ['sha256:l0', 'sha256:l1', 'sha256:l2'];
  const pkg = (id: string, filepath: string): StoredPackage => ({
    id, name: id, version: '1', kind: 'binary', arch: '', module: '', cpe: '', packageDb: 'python:x', filepath, repositoryHint: '',
  });

  it('drops packages whited out by a later layer only', () => {
    const report = emptyPartialReport();
    for (const [id, path, layer] of [
      ['gone', 'site/gone-1.dist-info/METADATA', L[0]!],
      ['kept-same-layer', 'site/same-1.dist-info/METADATA', L[1]!],
      ['kept-newer', 'site/newer-1.dist-info/METADATA', L[2]!],
      ['os', '', L[0]!],
    ] as const) {
      report.packages.set(id, pkg(id, path));
      report.environments.set(id, [{ package_db: 'python:x', introduced_in: layer, distribution_id: '', repository_ids: [] }]);
    }
    report.files.set(L[1]!, [{ path: 'site/.wh.gone-1.dist-info', kind: 'whiteout' }, { path: 'site/.wh.same-1.dist-info', kind: 'whiteout' }]);
    report.files.set(L[2]!, [{ path: '.wh.os', kind: 'whiteout' }]);
    const out = whiteoutResolver.resolve(report, L);
    assert.deepEqual([...out.packages.keys()].sort(), ['kept-newer', 'kept-same-layer', 'os']);
    assert.deepEqual([...out.environments.keys()].sort(), ['kept-newer', 'kept-same-layer', 'os']);
  });
});
