/**
 * Fuzzing the layer opener: mutated tar, gzip and zstd blobs go through
 * decompression, spooling and the tar index, and every file of the result is
 * read back. Each blob's digest is taken after mutation, so the bytes reach
 * the parsers instead of stopping at the digest check.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { strict as assert } from 'node:assert';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { buildTar, digestOf, gzip, zstdRaw, zstdSkippable } from '../../test-support/layer-builder.js';
import { openLayerFromStream } from './index.js';

const TESTDATA = new URL('./testdata/', import.meta.url);

const TAR = buildTar([
  { path: 'etc/', type: 'dir' },
  { path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' },
  { path: 'usr/lib/os-release', type: 'symlink', target: '../../etc/os-release' },
  { path: 'bin/busybox', content: 'busybox '.repeat(40), mode: 0o755 },
  { path: 'bin/sh', type: 'hardlink', target: 'bin/busybox' },
  { path: `opt/${'long/'.repeat(25)}pax.txt`, content: 'pax path' },
  { path: `opt/${'gnu/'.repeat(30)}gnu.txt`, content: 'gnu path', longName: 'gnu' },
  { path: 'etc/apk', type: 'opaque' },
  { path: 'dev/null', type: 'char-device' },
]);
const GNU_TAR = buildTar(
  [
    { path: 'lib/apk/db/installed', content: 'P:musl\nV:1.2.4-r2\n\n' },
    { path: 'big', content: 'x', headerSize: 1, sizeEncoding: 'base256' },
  ],
  { format: 'gnu' },
);

const spoolDir = mkdtempSync(join(tmpdir(), 'clair-layer-fuzz-'));
after(() => {
  // A refused layer must not leave its spool behind.
  assert.deepEqual(readdirSync(spoolDir), []);
  rmSync(spoolDir, { recursive: true, force: true });
});

/** Opens `blob` as a layer and reads every entry back, as scanners would. */
async function openAndRead(blob: Buffer): Promise<void> {
  const layer = await openLayerFromStream(Readable.from(blob.length > 0 ? [blob] : []), digestOf(blob), { spool: { dir: spoolDir } });
  try {
    for (const entry of layer.entries()) {
      layer.stat(entry.path);
      if (entry.type === 'dir') layer.readDir(entry.path);
      if (layer.stat(entry.path)?.type === 'file') await layer.readFile(entry.path);
    }
    layer.readDir('');
  } finally {
    await layer.close();
  }
}

describe('layer streams: fuzz', () => {
  it('answers every mutated tar, gzip or zstd layer with a file system or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [
        TAR,
        GNU_TAR,
        gzip(TAR),
        zstdRaw(TAR, { blockSize: 700 }),
        Buffer.concat([zstdSkippable(Buffer.from('meta')), zstdRaw(GNU_TAR)]),
        readFileSync(new URL('real-zstd.tar.zst', TESTDATA)),
        readFileSync(new URL('real-zstd-2frames.tar.zst', TESTDATA)),
      ],
      parse: openAndRead,
    });
  });
});
