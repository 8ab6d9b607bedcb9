import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayerFS } from '../../indexer/layer-fs.js';
import { memoryLayer, type MemoryEntrySpec } from '../../test-support/memory-layer-fs.js';
import { dpkgDistrolessPackageScanner as scanner, findStatusDirs } from './distroless-scanner.js';

/** `layer` with its path lookups counted. */
function countingLookups(layer: LayerFS): { layer: LayerFS; lookups: () => number } {
  let lookups = 0;
  return {
    lookups: () => lookups,
    layer: {
      digest: layer.digest,
      entries: () => layer.entries(),
      lstat: (path) => (lookups++, layer.lstat(path)),
      stat: (path) => (lookups++, layer.stat(path)),
      readDir: (dir) => (lookups++, layer.readDir(dir)),
      readFile: (path, options) => layer.readFile(path, options),
      createReadStream: (path) => layer.createReadStream(path),
    },
  };
}

const STANZA = 'Package: deep\nVersion: 1.0\nArchitecture: all\n';

describe('dpkg-distroless status.d discovery', () => {
  it('looks up each directory once, however deep the status.d nesting', async () => {
    // Every directory of a 300-deep chain is named status.d and listed: the
    // old search looked up every status.d above every entry (45,000 lookups).
    const depth = 300;
    const specs: MemoryEntrySpec[] = [];
    let dir = '';
    for (let i = 0; i < depth; i++) {
      dir += i === 0 ? 'status.d' : '/status.d';
      specs.push({ path: dir, type: 'dir' });
    }
    specs.push({ path: `${dir}/deep`, content: STANZA });
    specs.push({ path: 'var/lib/dpkg/status.d/tzdata', content: 'Package: tzdata\nVersion: 2024a\nArchitecture: all\n' });
    const { layer, lookups } = countingLookups(memoryLayer(specs));

    const dirs = await findStatusDirs(layer);
    assert.equal(dirs.length, depth + 1);
    assert.ok(lookups() <= specs.length, `${lookups()} lookups for ${specs.length} entries`);

    const found = await scanner.scan(layer, {});
    assert.deepEqual(found.map((p) => [p.name, p.packageDb]), [
      ['deep', `${dir}/deep`],
      ['tzdata', 'var/lib/dpkg/status.d/tzdata'],
    ]);
  });

  it('finds the status.d directories that are listed or hold an entry directly', async () => {
    const layer = memoryLayer([
      { path: 'var/lib/dpkg/status.d/base', content: STANZA },
      { path: 'opt/status.d', type: 'dir' },
      { path: 'srv/status.d/nested/x', content: '' },
      { path: 'srv/not-status.d/y', content: '' },
      { path: 'srv/xstatus.d/y', content: '' },
      { path: 'status.d/top', content: '' },
    ]);
    assert.deepEqual(await findStatusDirs(layer), ['opt/status.d', 'status.d', 'var/lib/dpkg/status.d']);
  });
});
