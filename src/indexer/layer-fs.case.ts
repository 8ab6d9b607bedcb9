/**
 * @module Conformance suite for {@link LayerFS} implementations: every
 * method's contract, on layers described by a declarative entry list (in
 * archive order). An implementation's test calls {@link layerFSConformance}
 * with a factory; the tar-backed one and in-memory fakes must agree.
 *
 * Choices this suite pins down where the interface leaves room: `entries()`
 * lists archive entries only (not implicit parents, not the root);
 * implicit directories have mode 0o755; returned entries carry the
 * resolved path; `..` in a symlink target stops at the root, as in a chroot;
 * `readDir` sorts by UTF-8 bytes; a missing path's read stream errors
 * rather than throwing.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Readable } from 'node:stream';
import { isClairError } from '../lib/errors.js';
import { DIGEST_PATTERN } from '../model/digest.js';
import type { LayerEntry, LayerFS } from './layer-fs.js';

/** A regular file, an explicit directory or a symlink (target stored verbatim). */
export type CaseEntry =
  | { path: string; content: string | Uint8Array; mode?: number }
  | { path: string; type: 'dir'; mode?: number }
  | { path: string; type: 'symlink'; target: string; mode?: number };

/** Builds a layer holding `entries`; `close` (if any) is called after each test. */
export type LayerFSFactory = (entries: readonly CaseEntry[]) => Promise<LayerFS & { close?(): Promise<void> }> | (LayerFS & { close?(): Promise<void> });

/** Registers the conformance tests for one implementation. */
export function layerFSConformance(name: string, factory: LayerFSFactory): void {
  async function withLayer(entries: readonly CaseEntry[], body: (layer: LayerFS) => Promise<void> | void): Promise<void> {
    const layer = await factory(entries);
    try {
      await body(layer);
    } finally {
      await layer.close?.();
    }
  }

  const plain = (e: LayerEntry | undefined): LayerEntry | undefined => (e === undefined ? undefined : { ...e });
  const paths = (es: Iterable<LayerEntry>): string[] => [...es].map((e) => e.path);

  describe(`${name} conforms to LayerFS`, () => {
    describe('digest', () => {
      it('is a sha256 or sha512 digest', () =>
        withLayer([{ path: 'a', content: 'x' }], (layer) => {
          assert.match(layer.digest, new RegExp(DIGEST_PATTERN));
        }));
    });

    describe('entries()', () => {
      it('lists every entry once, in archive order, with cleaned paths, types, sizes and modes', () =>
        withLayer(
          [
            { path: './etc', type: 'dir', mode: 0o750 },
            { path: '/etc/passwd', content: 'root:x:0:0\n', mode: 0o600 },
            { path: 'usr/bin/sh', type: 'symlink', target: '/bin/busybox' },
            { path: 'bin/busybox', content: new Uint8Array([0x7f, 0x45, 0x4c, 0x46]), mode: 0o755 },
          ],
          (layer) => {
            assert.deepEqual([...layer.entries()].map(plain), [
              { path: 'etc', type: 'dir', size: 0, mode: 0o750 },
              { path: 'etc/passwd', type: 'file', size: 11, mode: 0o600 },
              { path: 'usr/bin/sh', type: 'symlink', size: 0, mode: 0o777, linkTarget: '/bin/busybox' },
              { path: 'bin/busybox', type: 'file', size: 4, mode: 0o755 },
            ]);
          },
        ));

      it('lets a later entry for a path replace the earlier one, at the later position', () =>
        withLayer(
          [
            { path: 'a', content: 'one' },
            { path: 'b', content: 'b' },
            { path: 'a', content: 'three' },
          ],
          async (layer) => {
            assert.deepEqual(paths(layer.entries()), ['b', 'a']);
            assert.equal(layer.lstat('a')?.size, 5);
            assert.equal((await layer.readFile('a')).toString(), 'three');
          },
        ));

      it('does not list implicit parent directories or the root', () =>
        withLayer([{ path: 'a/b/c', content: 'x' }], (layer) => {
          assert.deepEqual(paths(layer.entries()), ['a/b/c']);
        }));

      it('keeps whiteout files as ordinary entries', () =>
        withLayer(
          [
            { path: 'etc/.wh.passwd', content: '' },
            { path: 'var/cache/.wh..wh..opq', content: '' },
          ],
          (layer) => {
            assert.deepEqual(paths(layer.entries()), ['etc/.wh.passwd', 'var/cache/.wh..wh..opq']);
            assert.equal(layer.lstat('etc/.wh.passwd')?.type, 'file');
            assert.equal(layer.stat('var/cache/.wh..wh..opq')?.type, 'file');
          },
        ));

      it('can be iterated more than once', () =>
        withLayer([{ path: 'a', content: '' }, { path: 'b', content: '' }], (layer) => {
          assert.deepEqual(paths(layer.entries()), paths(layer.entries()));
        }));
    });

    describe('lstat()', () => {
      const entries: CaseEntry[] = [
        { path: 'etc/passwd', content: 'root\n' },
        { path: 'usr/lib/libc.so', content: 'elf' },
        { path: 'lib', type: 'symlink', target: 'usr/lib' },
        { path: 'usr/lib/link', type: 'symlink', target: 'libc.so' },
      ];

      it('returns files, directories and symlinks without following a final symlink', () =>
        withLayer(entries, (layer) => {
          assert.deepEqual(plain(layer.lstat('etc/passwd')), { path: 'etc/passwd', type: 'file', size: 5, mode: 0o644 });
          assert.deepEqual(plain(layer.lstat('lib')), { path: 'lib', type: 'symlink', size: 0, mode: 0o777, linkTarget: 'usr/lib' });
        }));

      it('reports implicit directories with mode 0o755, and the root as ""', () =>
        withLayer(entries, (layer) => {
          assert.deepEqual(plain(layer.lstat('usr/lib')), { path: 'usr/lib', type: 'dir', size: 0, mode: 0o755 });
          assert.deepEqual(plain(layer.lstat('')), { path: '', type: 'dir', size: 0, mode: 0o755 });
        }));

      it('cleans the path it is given', () =>
        withLayer(entries, (layer) => {
          for (const p of ['/etc/passwd', './etc/passwd', 'etc//passwd', 'etc/./passwd', 'usr/../etc/passwd']) {
            assert.equal(layer.lstat(p)?.path, 'etc/passwd', p);
          }
          assert.equal(layer.lstat('etc/')?.type, 'dir');
          assert.equal(layer.lstat('/')?.path, '');
        }));

      it('is undefined for missing paths, paths below a file and paths escaping the root', () =>
        withLayer(entries, (layer) => {
          assert.equal(layer.lstat('nope'), undefined);
          assert.equal(layer.lstat('etc/passwd/x'), undefined);
          assert.equal(layer.lstat('../etc/passwd'), undefined);
        }));

      it('follows symlinks in parent directories and reports the resolved path', () =>
        withLayer(entries, (layer) => {
          assert.equal(layer.lstat('lib/libc.so')?.path, 'usr/lib/libc.so');
          assert.deepEqual(plain(layer.lstat('lib/link')), { path: 'usr/lib/link', type: 'symlink', size: 0, mode: 0o777, linkTarget: 'libc.so' });
        }));
    });

    describe('stat()', () => {
      it('follows a final symlink to its target entry', () =>
        withLayer(
          [
            { path: 'bin/busybox', content: 'bb', mode: 0o755 },
            { path: 'bin/sh', type: 'symlink', target: 'busybox' },
            { path: 'usr/bin/env', type: 'symlink', target: '/bin/busybox' },
            { path: 'usr/sbin/x', type: 'symlink', target: '../../bin/sh' },
          ],
          (layer) => {
            assert.deepEqual(plain(layer.stat('bin/sh')), { path: 'bin/busybox', type: 'file', size: 2, mode: 0o755 });
            assert.equal(layer.stat('usr/bin/env')?.path, 'bin/busybox');
            assert.equal(layer.stat('usr/sbin/x')?.path, 'bin/busybox');
            assert.equal(layer.stat('bin/busybox')?.path, 'bin/busybox');
          },
        ));

      it('follows chains of symlinks and symlinked directories', () =>
        withLayer(
          [
            { path: 'data/file', content: 'x' },
            { path: 'a', type: 'symlink', target: 'b' },
            { path: 'b', type: 'symlink', target: 'c' },
            { path: 'c', type: 'symlink', target: 'data' },
            { path: 'd', type: 'symlink', target: 'a/file' },
          ],
          (layer) => {
            assert.equal(layer.stat('a')?.path, 'data');
            assert.equal(layer.stat('a/file')?.path, 'data/file');
            assert.equal(layer.stat('d')?.path, 'data/file');
          },
        ));

      it('stops `..` at the root, so a link cannot escape the layer', () =>
        withLayer(
          [
            { path: 'etc/passwd', content: 'root\n' },
            { path: 'usr/x', type: 'symlink', target: '../../../../etc/passwd' },
            { path: 'y', type: 'symlink', target: '/../../etc/passwd' },
            { path: 'z', type: 'symlink', target: '..' },
          ],
          (layer) => {
            assert.equal(layer.stat('usr/x')?.path, 'etc/passwd');
            assert.equal(layer.stat('y')?.path, 'etc/passwd');
            assert.equal(layer.stat('z')?.path, '');
          },
        ));

      it('is undefined for loops, dangling links and paths below a file', () =>
        withLayer(
          [
            { path: 'f', content: '' },
            { path: 'self', type: 'symlink', target: 'self' },
            { path: 'p', type: 'symlink', target: 'q' },
            { path: 'q', type: 'symlink', target: 'p' },
            { path: 'dangling', type: 'symlink', target: 'missing' },
            { path: 'below', type: 'symlink', target: 'f/x' },
          ],
          (layer) => {
            for (const p of ['self', 'p', 'q', 'dangling', 'below', 'self/x', 'f/x']) assert.equal(layer.stat(p), undefined, p);
            assert.equal(layer.lstat('self')?.type, 'symlink');
          },
        ));

      it('follows at most 40 symlinks', () => {
        const chain = (prefix: string, n: number): CaseEntry[] =>
          Array.from({ length: n }, (_, i) => ({ path: `${prefix}${i + 1}`, type: 'symlink' as const, target: i + 1 === n ? 'target' : `${prefix}${i + 2}` }));
        return withLayer([{ path: 'target', content: 't' }, ...chain('a', 40), ...chain('b', 41)], (layer) => {
          assert.equal(layer.stat('a1')?.path, 'target');
          assert.equal(layer.stat('b1'), undefined);
          assert.equal(layer.stat('b2')?.path, 'target');
        });
      });
    });

    describe('readDir()', () => {
      const entries: CaseEntry[] = [
        { path: 'd/b', content: 'b' },
        { path: 'd/a/x', content: 'x' },
        { path: 'd/C', content: 'C' },
        { path: 'd/\u00e9', content: 'e' },
        { path: 'd/z', type: 'symlink', target: 'b' },
        { path: 'top', content: '' },
        { path: 'link', type: 'symlink', target: 'd' },
      ];

      it('lists direct children, implicit directories included, sorted by name bytes', () =>
        withLayer(entries, (layer) => {
          assert.deepEqual(paths(layer.readDir('d')), ['d/C', 'd/a', 'd/b', 'd/z', 'd/\u00e9']);
          assert.deepEqual(plain(layer.readDir('d')[1]), { path: 'd/a', type: 'dir', size: 0, mode: 0o755 });
        }));

      it('lists children as lstat reports them: symlinks are not followed', () =>
        withLayer(entries, (layer) => {
          assert.deepEqual(plain(layer.readDir('d').find((e) => e.path === 'd/z')), { path: 'd/z', type: 'symlink', size: 0, mode: 0o777, linkTarget: 'b' });
        }));

      it('lists the root as "" or "/"', () =>
        withLayer(entries, (layer) => {
          assert.deepEqual(paths(layer.readDir('')), ['d', 'link', 'top']);
          assert.deepEqual(paths(layer.readDir('/')), ['d', 'link', 'top']);
        }));

      it('follows symlinks to reach the directory', () =>
        withLayer(entries, (layer) => {
          assert.deepEqual(paths(layer.readDir('link')), paths(layer.readDir('d')));
        }));

      it('returns [] for missing paths and for files', () =>
        withLayer(entries, (layer) => {
          assert.deepEqual(layer.readDir('missing'), []);
          assert.deepEqual(layer.readDir('top'), []);
          assert.deepEqual(layer.readDir('d/b'), []);
        }));
    });

    describe('readFile()', () => {
      const binary = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256);
      const entries: CaseEntry[] = [
        { path: 'etc/os-release', content: 'ID=alpine\n' },
        { path: 'bin/blob', content: binary },
        { path: 'empty', content: '' },
        { path: 'link', type: 'symlink', target: 'etc/os-release' },
        { path: 'dangling', type: 'symlink', target: 'nope' },
        { path: 'loop', type: 'symlink', target: 'loop' },
      ];

      it('reads text and binary contents, following symlinks', () =>
        withLayer(entries, async (layer) => {
          assert.equal((await layer.readFile('etc/os-release')).toString(), 'ID=alpine\n');
          assert.equal((await layer.readFile('/link')).toString(), 'ID=alpine\n');
          assert.deepEqual(new Uint8Array(await layer.readFile('bin/blob')), binary);
          assert.equal((await layer.readFile('empty')).length, 0);
        }));

      it('rejects a file larger than maxBytes with LAYER_FILE_TOO_LARGE; exactly maxBytes is read', () =>
        withLayer(entries, async (layer) => {
          await assert.rejects(layer.readFile('etc/os-release', { maxBytes: 9 }), (err) => isClairError(err, 'LAYER_FILE_TOO_LARGE'));
          await assert.rejects(layer.readFile('link', { maxBytes: 9 }), (err) => isClairError(err, 'LAYER_FILE_TOO_LARGE'));
          assert.equal((await layer.readFile('etc/os-release', { maxBytes: 10 })).length, 10);
        }));

      it('rejects missing paths, directories, dangling links and loops with LAYER_FILE_UNREADABLE', () =>
        withLayer(entries, async (layer) => {
          for (const p of ['missing', 'etc', '', 'dangling', 'loop', 'etc/os-release/x']) {
            await assert.rejects(layer.readFile(p), (err) => isClairError(err, 'LAYER_FILE_UNREADABLE'), p);
          }
        }));
    });

    describe('createReadStream()', () => {
      const big = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 8)) % 256);
      const entries: CaseEntry[] = [
        { path: 'big', content: big },
        { path: 'small', content: 'hello\n' },
        { path: 'empty', content: '' },
        { path: 'dir/link', type: 'symlink', target: '../big' },
      ];

      it('streams a file, also through symlinks', () =>
        withLayer(entries, async (layer) => {
          assert.deepEqual(new Uint8Array(await collect(layer.createReadStream('big'))), big);
          assert.deepEqual(new Uint8Array(await collect(layer.createReadStream('dir/link'))), big);
          assert.equal((await collect(layer.createReadStream('small'))).toString(), 'hello\n');
          assert.equal((await collect(layer.createReadStream('empty'))).length, 0);
        }));

      it('serves concurrent streams independently', () =>
        withLayer(entries, async (layer) => {
          const [a, b] = await Promise.all([collect(layer.createReadStream('big')), collect(layer.createReadStream('small'))]);
          assert.deepEqual(new Uint8Array(a), big);
          assert.equal(b.toString(), 'hello\n');
        }));

      it('reports a missing path or a directory as a LAYER_FILE_UNREADABLE stream error', () =>
        withLayer(entries, async (layer) => {
          await assert.rejects(collect(layer.createReadStream('missing')), (err) => isClairError(err, 'LAYER_FILE_UNREADABLE'));
          await assert.rejects(collect(layer.createReadStream('dir')), (err) => isClairError(err, 'LAYER_FILE_UNREADABLE'));
        }));
    });
  });
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
