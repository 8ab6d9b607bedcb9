import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { isClairError, type ErrorName } from '../../lib/errors.js';
import { buildTar, digestOf, type BuildTarOptions, type LayerSpecEntry } from '../../test-support/layer-builder.js';
import { layerFSConformance } from '../layer-fs.case.js';
import type { LayerEntry } from '../layer-fs.js';
import { openLayerFromStream, type TarLayerFS } from './index.js';

const spoolDir = mkdtempSync(join(tmpdir(), 'clair-tarfs-test-'));
after(() => {
  // Every test closes its layer (or fails to open one): nothing may remain.
  assert.deepEqual(readdirSync(spoolDir), []);
  rmSync(spoolDir, { recursive: true, force: true });
});

function open(bytes: Buffer): Promise<TarLayerFS> {
  return openLayerFromStream(Readable.from([bytes]), digestOf(bytes), { spool: { dir: spoolDir, unlinkEarly: false } });
}

async function layerOf(entries: readonly LayerSpecEntry[], options?: BuildTarOptions): Promise<TarLayerFS> {
  return open(buildTar(entries, options));
}

async function withTar(entries: readonly LayerSpecEntry[], body: (layer: TarLayerFS) => Promise<void> | void, options?: BuildTarOptions): Promise<void> {
  const layer = await layerOf(entries, options);
  try {
    await body(layer);
  } finally {
    await layer.close();
  }
}

function rejectsWith(name: ErrorName, pattern?: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(isClairError(err, name), `expected ${name}, got ${String(err)}`);
    if (pattern) assert.match((err as Error).message, pattern);
    return true;
  };
}

const plain = (e: LayerEntry | undefined): LayerEntry | undefined => (e === undefined ? undefined : { ...e });
const paths = (es: Iterable<LayerEntry>): string[] => [...es].map((e) => e.path);

layerFSConformance('TarLayerFS', (entries) => layerOf(entries));

describe('TarLayerFS entry names', () => {
  it('re-roots plain absolute names and drops ./ prefixes', () =>
    withTar(
      [
        { path: '/etc/passwd', content: 'a' },
        { path: './usr/bin/x', content: 'b' },
        { path: 'opt/../srv/y', content: 'c' },
      ],
      (layer) => {
        assert.deepEqual(paths(layer.entries()), ['etc/passwd', 'usr/bin/x', 'srv/y']);
      },
    ));

  for (const name of ['../evil', 'a/../../evil', 'a/b/../../../evil', '/../evil', '/a/../b']) {
    it(`refuses the layer when an entry is named ${JSON.stringify(name)}`, async () => {
      await assert.rejects(layerOf([{ path: 'ok', content: '' }, { path: name, content: 'x' }]), rejectsWith('LAYER_PATH_TRAVERSAL', new RegExp(JSON.stringify(name).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))));
    });
  }

  it('refuses a hard link whose target escapes the root', async () => {
    await assert.rejects(layerOf([{ path: 'h', type: 'hardlink', target: '../../etc/shadow' }]), rejectsWith('LAYER_PATH_TRAVERSAL', /hard link "h"/));
  });

  it('accepts symlinks whose targets climb above the root (they resolve inside it)', () =>
    withTar([{ path: 'etc/passwd', content: 'p' }, { path: 'x', type: 'symlink', target: '../../../etc/passwd' }], async (layer) => {
      assert.equal((await layer.readFile('x')).toString(), 'p');
    }));

  it('treats a "./" directory entry as the root: its mode is kept, it is not listed', () =>
    withTar([{ path: './', type: 'dir', mode: 0o700 }, { path: 'a', content: '' }], (layer) => {
      assert.equal(layer.lstat('')?.mode, 0o700);
      assert.deepEqual(paths(layer.entries()), ['a']);
    }));

  it('rejects a regular file naming the root', async () => {
    await assert.rejects(layerOf([{ path: '.', content: 'x' }]), rejectsWith('LAYER_FORMAT'));
  });
});

describe('TarLayerFS long names and extension headers', () => {
  const longDir = `deep/${'d'.repeat(120)}/${'e'.repeat(90)}`;

  for (const style of ['pax', 'gnu', 'ustar-prefix'] as const) {
    it(`reads names over 100 bytes stored as ${style}`, () =>
      withTar(
        [
          { path: `${longDir}/file`, content: 'long', longName: style },
          { path: 'after', content: 'next entry still at the right offset', longName: style },
        ],
        async (layer) => {
          assert.deepEqual(paths(layer.entries()), [`${longDir}/file`, 'after']);
          assert.equal((await layer.readFile(`${longDir}/file`)).toString(), 'long');
          assert.equal((await layer.readFile('after')).toString(), 'next entry still at the right offset');
        },
      ));
  }

  for (const style of ['pax', 'gnu'] as const) {
    it(`reads symlink targets over 100 bytes stored as ${style}`, () =>
      withTar(
        [
          { path: `${longDir}/file`, content: 'long' },
          { path: 'link', type: 'symlink', target: `/${longDir}/file`, longName: style },
          { path: 'after', content: 'ok' },
        ],
        async (layer) => {
          assert.equal(layer.lstat('link')?.linkTarget, `/${longDir}/file`);
          assert.equal((await layer.readFile('link')).toString(), 'long');
          assert.equal((await layer.readFile('after')).toString(), 'ok');
        },
      ));
  }

  it('takes a file size from a PAX size record over the header field', () =>
    withTar(
      [
        { path: 'sized', content: 'pax knows the size', headerSize: 0, pax: { size: '18' } },
        { path: 'after', content: 'ok' },
      ],
      async (layer) => {
        assert.equal(layer.stat('sized')?.size, 18);
        assert.equal((await layer.readFile('sized')).toString(), 'pax knows the size');
        assert.equal((await layer.readFile('after')).toString(), 'ok');
      },
    ));

  it('reads GNU base-256 size fields and GNU-magic headers', () =>
    withTar(
      [
        { path: 'b256', content: 'binary size', sizeEncoding: 'base256' },
        { path: 'after', content: 'ok' },
      ],
      async (layer) => {
        assert.equal((await layer.readFile('b256')).toString(), 'binary size');
        assert.equal((await layer.readFile('after')).toString(), 'ok');
      },
      { format: 'gnu' },
    ));

  it('locates every file among hundreds of mixed headers and sizes', async () => {
    const entries: LayerSpecEntry[] = [];
    const contents: Buffer[] = [];
    const styles = ['pax', 'gnu', 'ustar-prefix'] as const;
    for (let i = 0; i < 300; i++) {
      const long = i % 3 === 0;
      const path = long ? `dir${i % 7}/${'n'.repeat(100 + (i % 50))}/f${i}` : `dir${i % 7}/f${i}`;
      const size = (i * 977) % 3000;
      const content = Buffer.alloc(size, i % 251);
      contents.push(content);
      entries.push({ path, content, longName: styles[i % 3]!, ...(i % 5 === 0 ? { pax: { comment: 'x'.repeat(i) } } : {}) });
    }
    await withTar(entries, async (layer) => {
      for (const [i, entry] of entries.entries()) {
        assert.deepEqual(await layer.readFile(entry.path), contents[i], entry.path);
      }
    });
  });
});

describe('TarLayerFS hard links', () => {
  it('makes a hard link a regular file sharing its target data and mode', () =>
    withTar(
      [
        { path: 'bin/busybox', content: 'bb-binary', mode: 0o4755 },
        { path: 'bin/ls', type: 'hardlink', target: 'bin/busybox', mode: 0o644 },
        { path: 'bin/cat', type: 'hardlink', target: '/bin/busybox' },
      ],
      async (layer) => {
        assert.deepEqual(plain(layer.lstat('bin/ls')), { path: 'bin/ls', type: 'file', size: 9, mode: 0o4755 });
        assert.equal((await layer.readFile('bin/ls')).toString(), 'bb-binary');
        assert.equal((await layer.readFile('bin/cat')).toString(), 'bb-binary');
        assert.deepEqual(paths(layer.entries()), ['bin/busybox', 'bin/ls', 'bin/cat']);
      },
    ));

  it('drops links appearing before their target, dangling links and links to directories', () =>
    withTar(
      [
        { path: 'early', type: 'hardlink', target: 'file' },
        { path: 'file', content: 'f' },
        { path: 'dangling', type: 'hardlink', target: 'nowhere' },
        { path: 'dir', type: 'dir' },
        { path: 'todir', type: 'hardlink', target: 'dir' },
        { path: 'toimplicit', type: 'hardlink', target: 'x' },
        { path: 'x/y', content: '' },
      ],
      (layer) => {
        assert.deepEqual(paths(layer.entries()), ['file', 'dir', 'x/y']);
        for (const p of ['early', 'dangling', 'todir', 'toimplicit']) assert.equal(layer.lstat(p), undefined, p);
      },
    ));

  it('turns a hard link to a symlink into a symlink resolved from its own directory', () =>
    withTar(
      [
        { path: 'a/target', content: 'in a' },
        { path: 'b/target', content: 'in b' },
        { path: 'a/sym', type: 'symlink', target: 'target' },
        { path: 'b/sym', type: 'hardlink', target: 'a/sym' },
      ],
      async (layer) => {
        assert.deepEqual(plain(layer.lstat('b/sym')), { path: 'b/sym', type: 'symlink', size: 0, mode: 0o777, linkTarget: 'target' });
        assert.equal((await layer.readFile('b/sym')).toString(), 'in b');
      },
    ));

  it('keeps the linked data when the target path is replaced later', () =>
    withTar(
      [
        { path: 'f', content: 'first' },
        { path: 'h', type: 'hardlink', target: 'f' },
        { path: 'f', content: 'second!' },
      ],
      async (layer) => {
        assert.equal((await layer.readFile('h')).toString(), 'first');
        assert.equal((await layer.readFile('f')).toString(), 'second!');
      },
    ));
});

describe('TarLayerFS replacement and special entries', () => {
  it('keeps the children of a directory re-declared as a directory, with the new mode', () =>
    withTar(
      [
        { path: 'd', type: 'dir', mode: 0o755 },
        { path: 'd/child', content: 'c' },
        { path: 'd', type: 'dir', mode: 0o700 },
      ],
      (layer) => {
        assert.equal(layer.lstat('d')?.mode, 0o700);
        assert.deepEqual(paths(layer.readDir('d')), ['d/child']);
        assert.deepEqual(paths(layer.entries()), ['d/child', 'd']);
      },
    ));

  it('drops the subtree of a directory replaced by a file or symlink', () =>
    withTar(
      [
        { path: 'd/sub/deep', content: 'x' },
        { path: 'd/other', content: 'y' },
        { path: 'd', content: 'now a file' },
        { path: 'e/k', content: 'z' },
        { path: 'e', type: 'symlink', target: 'd' },
      ],
      async (layer) => {
        assert.deepEqual(paths(layer.entries()), ['d', 'e']);
        assert.equal(layer.lstat('d/sub'), undefined);
        assert.equal(layer.lstat('e/k'), undefined);
        assert.equal((await layer.readFile('e')).toString(), 'now a file');
      },
    ));

  it('turns a file into an implicit directory when entries appear below it', () =>
    withTar(
      [
        { path: 'p', content: 'file' },
        { path: 'p/q', content: 'q' },
      ],
      (layer) => {
        assert.deepEqual(plain(layer.lstat('p')), { path: 'p', type: 'dir', size: 0, mode: 0o755 });
        assert.deepEqual(paths(layer.entries()), ['p/q']);
      },
    ));

  it('ignores FIFOs and devices, which replace what was at their path', () =>
    withTar(
      [
        { path: 'dev/null', content: 'not really' },
        { path: 'dev/null', type: 'char-device' },
        { path: 'run/fifo', type: 'fifo' },
      ],
      (layer) => {
        assert.equal(layer.lstat('dev/null'), undefined);
        assert.equal(layer.lstat('run/fifo'), undefined);
        assert.equal(layer.lstat('dev')?.type, 'dir');
        assert.deepEqual(paths(layer.entries()), []);
      },
    ));

  it('keeps whiteout and opaque markers as files', () =>
    withTar(
      [
        { path: 'etc/passwd', type: 'whiteout' },
        { path: 'var/lib/apt', type: 'opaque' },
      ],
      (layer) => {
        assert.deepEqual(paths(layer.entries()), ['etc/.wh.passwd', 'var/lib/apt/.wh..wh..opq']);
        assert.deepEqual(paths(layer.readDir('var/lib/apt')), ['var/lib/apt/.wh..wh..opq']);
      },
    ));

  it('reads an old-style directory (regular type, trailing slash)', () =>
    withTar([{ path: 'olddir/', content: '' }, { path: 'olddir/f', content: 'f' }], (layer) => {
      assert.equal(layer.lstat('olddir')?.type, 'dir');
      assert.deepEqual(paths(layer.entries()), ['olddir', 'olddir/f']);
    }));
});

describe('TarLayerFS malformed archives', () => {
  const good = buildTar([
    { path: 'a', content: 'x'.repeat(1000) },
    { path: 'b', content: 'y'.repeat(1000) },
  ]);

  it('accepts an empty stream and an archive without the end-of-archive blocks', async () => {
    const empty = await open(Buffer.alloc(0));
    assert.deepEqual(paths(empty.entries()), []);
    await empty.close();
    await withTar([{ path: 'a', content: 'x' }], (layer) => assert.deepEqual(paths(layer.entries()), ['a']), { trailer: false });
  });

  it('rejects an archive cut inside a file, a header or padding', { timeout: 10_000 }, async () => {
    for (const cut of [100, 512 + 500, 1536 + 10, 2048 + 200]) {
      await assert.rejects(open(good.subarray(0, cut)), rejectsWith('LAYER_FORMAT'), `cut at ${cut}`);
    }
  });

  it('rejects bytes that are not a tar, a bad checksum and headers without ustar magic', { timeout: 10_000 }, async () => {
    await assert.rejects(open(Buffer.from('this is not a tar archive, only text'.repeat(20))), rejectsWith('LAYER_FORMAT'));
    const badSum = Buffer.from(good);
    badSum[10] = 0x41;
    await assert.rejects(open(badSum), rejectsWith('LAYER_FORMAT', /checksum/));
    const v7 = Buffer.from(good);
    v7.fill(0, 257, 265);
    let sum = 0;
    v7.fill(0x20, 148, 156);
    for (let i = 0; i < 512; i++) sum += v7[i]!;
    v7.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    await assert.rejects(open(v7), rejectsWith('LAYER_FORMAT', /format/));
  });
});

describe('TarLayerFS lifecycle', () => {
  it('keeps the spool file while open; close deletes it and releases the index, so every later call fails', async () => {
    const layer = await layerOf([{ path: 'a', content: 'data' }]);
    assert.equal(readdirSync(spoolDir).length, 1);
    assert.equal(layer.tarSize, 2048);
    assert.ok(layer.indexBytes > 0);
    await layer.close();
    assert.deepEqual(readdirSync(spoolDir), []);
    assert.equal(layer.indexBytes, 0);
    await assert.rejects(layer.readFile('a'), rejectsWith('LAYER_CLOSED', /read of "a" after close$/));
    await assert.rejects(collect(layer.createReadStream('a')), rejectsWith('LAYER_CLOSED'));
    assert.throws(() => layer.stat('a'), rejectsWith('LAYER_CLOSED', /stat "a" after close$/));
    assert.throws(() => layer.lstat('a'), rejectsWith('LAYER_CLOSED'));
    assert.throws(() => layer.readDir(''), rejectsWith('LAYER_CLOSED', /list "" after close$/));
    assert.throws(() => [...layer.entries()], rejectsWith('LAYER_CLOSED', /list the entries after close$/));
    await layer.close();
  });

  it('returns frozen entries', () =>
    withTar([{ path: 'a', content: '' }], (layer) => {
      assert.ok(Object.isFrozen(layer.lstat('a')));
    }));
});

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
