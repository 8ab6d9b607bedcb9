import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layerFSConformance } from '../indexer/layer-fs.case.js';
import { isClairError } from '../lib/errors.js';
import { memoryLayer, MemoryLayerFS } from './memory-layer-fs.js';

async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('MemoryLayerFS', () => {
  it('cleans declared paths and lists entries once, in archive order, later ones replacing earlier', () => {
    const layer = memoryLayer([
      { path: '/etc/os-release', content: 'old' },
      { path: './usr//lib/../lib/x', content: 'x', mode: 0o755 },
      { path: 'etc/os-release', content: 'new!' },
    ]);
    assert.deepEqual([...layer.entries()], [
      { path: 'usr/lib/x', type: 'file', size: 1, mode: 0o755 },
      { path: 'etc/os-release', type: 'file', size: 4, mode: 0o644 },
    ]);
  });

  it('creates implicit parent directories and sorts readDir by name', () => {
    const layer = memoryLayer([
      { path: 'var/lib/dpkg/status', content: '' },
      { path: 'var/lib/dpkg/info/b.list', content: '' },
      { path: 'var/lib/dpkg/info/a.list', content: '' },
      { path: 'var/lib/dpkg/Z', type: 'dir', mode: 0o700 },
    ]);
    assert.deepEqual(layer.stat('var/lib/dpkg/info'), { path: 'var/lib/dpkg/info', type: 'dir', size: 0, mode: 0o755 });
    assert.deepEqual(layer.readDir('var/lib/dpkg').map((e) => e.path), ['var/lib/dpkg/Z', 'var/lib/dpkg/info', 'var/lib/dpkg/status']);
    assert.deepEqual(layer.readDir('/var/lib/dpkg/info/').map((e) => e.path), ['var/lib/dpkg/info/a.list', 'var/lib/dpkg/info/b.list']);
    assert.deepEqual(layer.readDir('').map((e) => e.path), ['var']);
    assert.deepEqual(layer.readDir('var/lib/dpkg/status'), []);
    assert.deepEqual(layer.readDir('nope'), []);
  });

  it('follows symlinks in the final component and in parent directories, relative and absolute', async () => {
    const layer = memoryLayer([
      { path: 'usr/lib/os-release', content: 'ID=debian\n' },
      { path: 'etc/os-release', type: 'symlink', target: '../usr/lib/os-release' },
      { path: 'lib', type: 'symlink', target: 'usr/lib' },
      { path: 'opt/abs', type: 'symlink', target: '/usr/lib' },
    ]);
    assert.equal(layer.lstat('etc/os-release')?.type, 'symlink');
    assert.equal(layer.lstat('etc/os-release')?.linkTarget, '../usr/lib/os-release');
    assert.deepEqual(layer.stat('etc/os-release'), { path: 'usr/lib/os-release', type: 'file', size: 10, mode: 0o644 });
    assert.equal((await layer.readFile('lib/os-release')).toString(), 'ID=debian\n');
    assert.equal((await layer.readFile('opt/abs/os-release')).toString(), 'ID=debian\n');
    assert.deepEqual(layer.readDir('lib').map((e) => e.path), ['usr/lib/os-release']);
    // lstat follows links in parents but not in the final component.
    assert.equal(layer.lstat('opt/abs')?.type, 'symlink');
    assert.equal(layer.lstat('opt/abs/os-release')?.path, 'usr/lib/os-release');
  });

  it('keeps symlinks inside the layer: ".." above the root stays at the root', async () => {
    const layer = memoryLayer([
      { path: 'etc/passwd', content: 'root' },
      { path: 'a/b/link', type: 'symlink', target: '../../../../../etc/passwd' },
    ]);
    assert.equal((await layer.readFile('a/b/link')).toString(), 'root');
  });

  it('gives up after 40 symlink hops and on dangling links', async () => {
    const chain = Array.from({ length: 41 }, (_, i) => ({ path: `l${i}`, type: 'symlink' as const, target: `l${i + 1}` }));
    const layer = memoryLayer([...chain, { path: 'l41', content: 'end' }, { path: 'loop', type: 'symlink', target: 'loop' }, { path: 'dangling', type: 'symlink', target: 'missing' }]);
    assert.equal(layer.stat('l2')?.path, 'l41'); // 39 hops
    assert.equal(layer.stat('l1')?.path, 'l41'); // 40 hops
    assert.equal(layer.stat('l0'), undefined); // 41 hops
    assert.equal(layer.stat('loop'), undefined);
    assert.equal(layer.stat('dangling'), undefined);
    assert.equal(layer.lstat('dangling')?.type, 'symlink');
    await assert.rejects(layer.readFile('loop'), (err) => isClairError(err, 'LAYER_FILE_UNREADABLE'));
  });

  it('rejects reading missing paths, directories and files over maxBytes with catalogued errors', async () => {
    const layer = memoryLayer([{ path: 'big', content: 'x'.repeat(100) }]);
    await assert.rejects(layer.readFile('nope'), (err) => isClairError(err, 'LAYER_FILE_UNREADABLE'));
    await assert.rejects(layer.readFile(''), (err) => isClairError(err, 'LAYER_FILE_UNREADABLE'));
    await assert.rejects(layer.readFile('big', { maxBytes: 99 }), (err) => isClairError(err, 'LAYER_FILE_TOO_LARGE'));
    assert.equal((await layer.readFile('big', { maxBytes: 100 })).length, 100);
  });

  it('streams file contents in chunks, and reports a missing file as a stream error', async () => {
    const text = 'line\n'.repeat(1000);
    const layer = new MemoryLayerFS([{ path: 'f', content: text }], { chunkSize: 7 });
    let chunks = 0;
    const stream = layer.createReadStream('f');
    stream.on('data', () => chunks++);
    assert.equal((await drain(stream)).toString(), text);
    assert.ok(chunks > 100);
    await assert.rejects(drain(layer.createReadStream('missing')), (err) => isClairError(err, 'LAYER_FILE_UNREADABLE'));
  });

  it('rejects a file used as a directory and paths escaping the root', () => {
    assert.throws(() => memoryLayer([{ path: 'a', content: '' }, { path: 'a/b', content: '' }]), TypeError);
    assert.throws(() => memoryLayer([{ path: '../x', content: '' }]), TypeError);
    assert.equal(memoryLayer([]).stat('../x'), undefined);
  });

  it('derives a stable digest from the entries unless one is given', () => {
    const a = memoryLayer([{ path: 'x', content: '1' }]);
    const b = memoryLayer([{ path: 'x', content: '1' }]);
    const c = memoryLayer([{ path: 'x', content: '2' }]);
    assert.match(a.digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(a.digest, b.digest);
    assert.notEqual(a.digest, c.digest);
    assert.equal(memoryLayer([], { digest: 'sha256:abc' }).digest, 'sha256:abc');
  });
});

// The in-memory fake must agree with the tar-backed LayerFS on every contract point.
layerFSConformance('MemoryLayerFS', (entries) => memoryLayer(entries));
