import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyPartialReport, type PartialReport } from '../../indexer/ecosystem.js';
import type { StoredPackage } from '../../model/scanned.js';
import { deletedBy, whiteoutResolver } from './resolver.js';

const pkg = (id: string, filepath: string): StoredPackage => ({
  id, name: id, version: '1', kind: 'binary', arch: '', module: '', cpe: '', packageDb: 'python:x', filepath, repositoryHint: '',
});

/** The resolver as first written: every package against every whiteout of every later layer. */
function referenceSurvivors(report: PartialReport, layers: readonly string[]): string[] {
  const order = new Map(layers.map((d, i) => [d, i]));
  const out: string[] = [];
  for (const [id, p] of report.packages) {
    const packageLayer = Math.max(...(report.environments.get(id) ?? []).map((e) => order.get(e.introduced_in) ?? -1));
    const deleted =
      p.filepath !== '' &&
      [...report.files].some(([layer, files]) => (order.get(layer) ?? -1) > packageLayer && files.some((f) => f.kind === 'whiteout' && deletedBy(p.filepath, f.path)));
    if (!deleted) out.push(id);
  }
  return out.sort();
}

function seeded(seed: number): (n: number) => number {
  return (n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
}

describe('whiteoutResolver at scale', () => {
  it('drops exactly what checking every package against every whiteout drops', () => {
    const random = seeded(7);
    const names = ['a', 'b', 'c', '.wh.a', '.wh.b', '.wh..wh..opq', '.wh.', 'site', ''];
    const path = (): string => Array.from({ length: 1 + random(4) }, () => names[random(names.length)]!).join('/');
    const layers = ['sha256:l0', 'sha256:l1', 'sha256:l2', 'sha256:l3'];
    let dropped = 0;
    for (let round = 0; round < 200; round++) {
      const report = emptyPartialReport();
      for (let i = 0; i < 12; i++) {
        const id = `p${i}`;
        report.packages.set(id, pkg(id, random(6) === 0 ? '' : path()));
        const seen = random(3) === 0 ? [] : [layers[random(4)]!, ...(random(2) === 0 ? [layers[random(4)]!] : [])];
        report.environments.set(id, seen.map((introduced_in) => ({ package_db: 'python:x', introduced_in, distribution_id: '', repository_ids: [] })));
      }
      for (const layer of [...layers, 'sha256:unknown']) {
        report.files.set(layer, Array.from({ length: random(6) }, () => ({ path: path(), kind: random(8) === 0 ? 'other' : 'whiteout' }) as never));
      }
      const expected = referenceSurvivors(report, layers);
      const out = whiteoutResolver.resolve(report, layers);
      assert.deepEqual([...out.packages.keys()].sort(), expected, `round ${round}`);
      assert.deepEqual([...out.environments.keys()].sort(), expected, `round ${round}`);
      dropped += 12 - expected.length;
    }
    assert.ok(dropped > 100, `only ${dropped} packages dropped: the cases are too tame`);
  });

  it('takes time linear in the paths, not packages times whiteouts', () => {
    // 5,000 packages against 200,000 whiteouts: a billion comparisons the old way.
    const report = emptyPartialReport();
    for (let i = 0; i < 5000; i++) {
      const id = `p${i}`;
      report.packages.set(id, pkg(id, `usr/lib/node_modules/m${i}/package.json`));
      report.environments.set(id, [{ package_db: 'python:x', introduced_in: 'sha256:l0', distribution_id: '', repository_ids: [] }]);
    }
    const whiteouts = Array.from({ length: 200_000 }, (_, i) => ({ path: `var/cache/d${i % 1000}/.wh.f${i}`, kind: 'whiteout' as const }));
    whiteouts.push({ path: 'usr/lib/node_modules/.wh.m7', kind: 'whiteout' }, { path: 'usr/lib/node_modules/m9/.wh..wh..opq', kind: 'whiteout' });
    report.files.set('sha256:l1', whiteouts);
    const started = performance.now();
    const out = whiteoutResolver.resolve(report, ['sha256:l0', 'sha256:l1']);
    const ms = performance.now() - started;
    assert.equal(out.packages.size, 4998);
    assert.ok(!out.packages.has('p7') && !out.packages.has('p9'));
    assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
  });
});
