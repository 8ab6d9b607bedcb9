/**
 * @module Builders of the hostile layers from the availability issue (item 4,
 * "safe resource limits by default"), for regression tests and
 * `bench/hostile-layers.bench.ts`: small blobs that used to cost minutes of
 * CPU or gigabytes of memory or disk. Each takes its size as a parameter, so
 * tests build scaled-down copies and the bench the full-size ones.
 *
 * The gzip bombs are concatenated gzip members (every gzip reader, Go's and
 * zlib's included, reads them as one stream); the zstd bomb is one frame of
 * RLE blocks. Both start with a real tar header, so the bytes they expand to
 * are a tar archive and not merely zeros.
 */
import { gzipSync } from 'node:zlib';
import { buildTar, type LayerSpecEntry } from './layer-builder.js';

const BLOCK = 512;

/**
 * `count` packages, each installed inside the previous one:
 * `node_modules/a/node_modules/a/…/package.json`, named `pkg-<i>` at version
 * `1.0.<i>`. Only the manifests are listed (no directory entries), so the
 * archive holds `count` entries whose names grow by 15 bytes per level.
 */
export function nestedNodeModulesTar(count: number): Buffer {
  const entries: LayerSpecEntry[] = [];
  let dir = '';
  for (let i = 0; i < count; i++) {
    dir += 'node_modules/a/';
    entries.push({ path: `${dir}package.json`, content: `{"name":"pkg-${i}","version":"1.0.${i}"}\n` });
  }
  return buildTar(entries);
}

/** The packages {@link nestedNodeModulesTar} installs, as `[name, version, path]`. */
export function nestedNodeModulesPackages(count: number): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  let dir = '';
  for (let i = 0; i < count; i++) {
    dir += 'node_modules/a/';
    out.push([`pkg-${i}`, `1.0.${i}`, `${dir}package.json`]);
  }
  return out;
}

/** A chain of `depth` directories `d/d/…/d`, each listed, then one file at the bottom. */
export function deepDirectoryTar(depth: number): Buffer {
  const entries: LayerSpecEntry[] = [];
  let path = '';
  for (let i = 0; i < depth; i++) {
    path += i === 0 ? 'd' : '/d';
    entries.push({ path, type: 'dir' });
  }
  entries.push({ path: `${path}/bottom.txt`, content: 'deep\n' });
  return buildTar(entries);
}

/**
 * A tar of `count` empty regular files, `d<k>/f<i>` with 1,000 files per
 * directory, yielded in chunks of about 1 MiB so that millions of entries
 * never sit in memory at once. Feed it to a gzip stream to get the
 * "21 MB of gzip holding 3M empty files" layer.
 */
export function* emptyFilesTar(count: number): Generator<Buffer> {
  const template = ustarHeader('', 0);
  const perChunk = 2048;
  for (let start = 0; start < count; start += perChunk) {
    const n = Math.min(perChunk, count - start);
    const chunk = Buffer.alloc(n * BLOCK);
    for (let j = 0; j < n; j++) {
      const i = start + j;
      const block = chunk.subarray(j * BLOCK, (j + 1) * BLOCK);
      template.copy(block);
      block.write(`d${Math.floor(i / 1000)}/f${i}`, 0, 100, 'latin1');
      writeChecksum(block);
    }
    yield chunk;
  }
  yield Buffer.alloc(2 * BLOCK);
}

/**
 * A gzip bomb: a tar whose single file `zeros` declares `uncompressedBytes`
 * of zeros, as gzip members of `memberBytes` zeros each (default 64 MiB,
 * about 65 KB compressed). 20 GiB of zeros is about 20 MB of gzip.
 */
export function gzipBomb(uncompressedBytes: number, memberBytes = 64 * 1024 * 1024): Buffer {
  const zeros = Buffer.alloc(Math.min(memberBytes, uncompressedBytes));
  const member = gzipSync(zeros, { level: 9 });
  const members = Math.ceil(uncompressedBytes / zeros.length);
  const head = gzipSync(ustarHeader('zeros', members * zeros.length));
  return Buffer.concat([head, ...Array.from({ length: members }, () => member)]);
}

/**
 * A zstd bomb: one frame (128 KiB window) holding a tar header for a file
 * `zeros` of `uncompressedBytes` (rounded up to 128 KiB), then that many
 * zeros as RLE blocks of 4 bytes per 128 KiB. 4 GiB is about 132 KB.
 */
export function zstdRleBomb(uncompressedBytes: number): Buffer {
  const blockBytes = 128 * 1024;
  const blocks = Math.ceil(uncompressedBytes / blockBytes);
  const header = ustarHeader('zeros', blocks * blockBytes);
  const frameHeader = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3]);
  const raw = blockHeader(header.length, 0, false);
  const out = Buffer.alloc(frameHeader.length + raw.length + header.length + blocks * 4);
  let at = 0;
  at += frameHeader.copy(out, at);
  at += raw.copy(out, at);
  at += header.copy(out, at);
  for (let i = 0; i < blocks; i++) {
    at += blockHeader(blockBytes, 1, i === blocks - 1).copy(out, at);
    out[at++] = 0x00; // the byte to repeat
  }
  return out;
}

/** A zstd block header: 21 bits of size, 2 of type (0 raw, 1 RLE), 1 last-block bit. */
function blockHeader(size: number, type: 0 | 1, last: boolean): Buffer {
  const head = (size << 3) | (type << 1) | (last ? 1 : 0);
  return Buffer.from([head & 0xff, (head >>> 8) & 0xff, (head >>> 16) & 0xff]);
}

/** A ustar header for a regular file; sizes of 8 GiB and more use GNU base-256. */
function ustarHeader(name: string, size: number): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(name, 0, 100, 'utf8');
  b.write('0000644\0', 100, 'latin1');
  b.write('0000000\0', 108, 'latin1');
  b.write('0000000\0', 116, 'latin1');
  if (size < 8 * 1024 ** 3) {
    b.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  } else {
    b[124] = 0x80;
    b.writeBigUInt64BE(BigInt(size), 128);
  }
  b.write('00000000000\0', 136, 'latin1');
  b.write('0', 156, 'latin1');
  b.write('ustar\0', 257, 'latin1');
  b.write('00', 263, 'latin1');
  writeChecksum(b);
  return b;
}

function writeChecksum(block: Buffer): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i]!;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
}
