import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it, type TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isClairError, type ErrorName } from '../../lib/errors.js';
import { buildTar, digestOf, gzip, serveBlobs, zstdRaw, zstdSkippable, type BlobServer, type LayerSpecEntry } from '../../test-support/layer-builder.js';
import { gzipBomb } from '../../test-support/hostile-layers.js';
import { openLayer, openLayerFromFile, openLayerFromStream, SpoolBudget, type OpenLayerOptions, type TarLayerFS } from './index.js';

const TESTDATA = new URL('./testdata/', import.meta.url);
const FAST = { baseDelayMs: 1, maxDelayMs: 5 } satisfies OpenLayerOptions;
const TOKEN = 'Bearer s3cr3t-t0ken';

const ENTRIES: LayerSpecEntry[] = [
  { path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' },
  { path: 'usr/lib/os-release', type: 'symlink', target: '../../etc/os-release' },
  { path: 'bin/busybox', content: Buffer.alloc(200_000, 0x5a), mode: 0o755 },
  { path: 'bin/sh', type: 'hardlink', target: 'bin/busybox' },
  { path: `opt/${'long/'.repeat(30)}name.txt`, content: 'pax path' },
  { path: 'etc/apk', type: 'opaque' },
];
const TAR = buildTar(ENTRIES);

/** Keep in sync with testdata/README.md: the archive the real zstd fixtures hold. */
const REAL_ZSTD_TAR = buildTar([
  { path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' },
  { path: 'usr/share/doc/lorem.txt', content: 'lorem ipsum dolor sit amet '.repeat(2000) },
  { path: 'usr/lib/os-release', type: 'symlink', target: '../../etc/os-release' },
]);

function spoolDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'clair-layer-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A pattern matching exactly `text`. */
function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

function expectError(name: ErrorName, ...patterns: RegExp[]): (err: unknown) => boolean {
  return (err) => {
    assert.ok(isClairError(err, name), `expected ${name}, got ${String(err)}`);
    for (const p of patterns) assert.match((err as Error).message, p);
    return true;
  };
}

/** Every entry and every file's content hash, to compare layers. */
async function snapshot(layer: TarLayerFS): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const entry of layer.entries()) {
    const hash = entry.type === 'file' ? createHash('sha256').update(await layer.readFile(entry.path)).digest('hex') : undefined;
    out.push({ ...entry, hash });
  }
  return out;
}

let server: BlobServer;
const blobs = {
  tar: TAR,
  gzip: gzip(TAR),
  zstd: zstdRaw(TAR, { blockSize: 7000 }),
  zstdFrames: Buffer.concat([zstdSkippable(Buffer.from('chunked metadata')), zstdRaw(TAR, { frameSize: 50_000 }), zstdSkippable(Buffer.alloc(0))]),
};

before(async () => {
  server = await serveBlobs({
    '/tar': { body: blobs.tar, contentType: 'application/vnd.oci.image.layer.v1.tar' },
    '/gzip': { body: blobs.gzip, contentType: 'application/vnd.oci.image.layer.v1.tar+gzip' },
    '/zstd': { body: blobs.zstd, contentType: 'application/zstd' },
    '/zstd-frames': { body: blobs.zstdFrames, contentType: '' },
    '/private': { body: blobs.gzip, authorization: TOKEN },
    '/redirect': { redirectTo: '/private' },
    '/flaky': { body: blobs.gzip, script: [500, 503] },
    '/cut-once': { body: blobs.gzip, script: ['truncate'] },
    '/cut-always': { body: blobs.gzip, script: ['truncate', 'truncate', 'truncate', 'truncate'] },
    '/stall': { body: blobs.gzip, script: ['stall'] },
    '/missing': { body: blobs.gzip, script: [404] },
    '/unauthorized': { body: blobs.gzip, script: [401] },
    '/gzip-as-zstd': { body: blobs.gzip, contentType: 'application/zstd' },
    '/html': { body: blobs.tar, contentType: 'text/html' },
    '/octet-params': { body: blobs.gzip, contentType: 'application/octet-stream; charset=binary' },
    '/bzip2': { body: Buffer.from('BZh91AY&SY fake bzip2 payload') },
    '/always-500': { body: blobs.gzip, script: [500, 500, 500, 500, 500, 500] },
  });
});
after(() => server.close());

describe('openLayer over HTTP', () => {
  it('gives identical layers for uncompressed, gzip and zstd blobs', async (t) => {
    const dir = spoolDir(t);
    const snapshots: unknown[][] = [];
    for (const [path, blob] of [['/tar', blobs.tar], ['/gzip', blobs.gzip], ['/zstd', blobs.zstd], ['/zstd-frames', blobs.zstdFrames]] as const) {
      const layer = await openLayer({ uri: server.url(path), digest: digestOf(blob) }, { spool: { dir } });
      assert.equal(layer.digest, digestOf(blob));
      assert.equal(layer.tarSize, TAR.length);
      snapshots.push(await snapshot(layer));
      await layer.close();
    }
    assert.equal((snapshots[0] as unknown[]).length, 6);
    for (const s of snapshots.slice(1)) assert.deepEqual(s, snapshots[0]);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('verifies sha512 digests too', async (t) => {
    const layer = await openLayer({ uri: server.url('/gzip'), digest: digestOf(blobs.gzip, 'sha512') }, { spool: { dir: spoolDir(t) } });
    await layer.close();
  });

  it('rejects a digest mismatch naming both digests, leaving no spool file', async (t) => {
    const dir = spoolDir(t);
    const wrong = digestOf(Buffer.from('something else'));
    await assert.rejects(
      openLayer({ uri: server.url('/gzip'), digest: wrong }, { spool: { dir, unlinkEarly: false } }),
      expectError('LAYER_DIGEST_MISMATCH', new RegExp(wrong), new RegExp(digestOf(blobs.gzip))),
    );
    assert.deepEqual(readdirSync(dir), []);
  });

  it('rejects a malformed digest before any request', async () => {
    const before = server.requests.length;
    await assert.rejects(openLayer({ uri: server.url('/gzip'), digest: 'sha256:abc' }), expectError('LAYER_FETCH', /digest/));
    assert.equal(server.requests.length, before);
  });

  it('sends the manifest headers (a bearer token) and follows redirects', async (t) => {
    const dir = spoolDir(t);
    const headers = { Authorization: [TOKEN] };
    const direct = await openLayer({ uri: server.url('/private'), digest: digestOf(blobs.gzip), headers }, { spool: { dir } });
    await direct.close();
    const redirected = await openLayer({ uri: server.url('/redirect'), digest: digestOf(blobs.gzip), headers }, { spool: { dir } });
    assert.equal((await redirected.readFile('usr/lib/os-release')).toString(), 'ID=alpine\nVERSION_ID=3.19.1\n');
    await redirected.close();
    assert.equal(server.requests.at(-1)?.path, '/private');
    assert.equal(server.requests.at(-1)?.headers.authorization, TOKEN);
  });

  it('fails at once on 401 without retrying, naming status and digest but not the token', async () => {
    const before = server.count('/private');
    const digest = digestOf(blobs.gzip);
    const err = await openLayer({ uri: server.url('/private'), digest, headers: { Authorization: ['Bearer wrong'] } }, FAST).catch((e: unknown) => e);
    expectError('LAYER_FETCH', /401/, new RegExp(digest))(err);
    assert.doesNotMatch((err as Error).message, /wrong|s3cr3t/);
    assert.equal(server.count('/private'), before + 1);
  });

  it('fails at once on 404 without retrying', async () => {
    await assert.rejects(openLayer({ uri: server.url('/missing'), digest: digestOf(blobs.gzip) }, FAST), expectError('LAYER_FETCH', /404/));
    assert.equal(server.count('/missing'), 1);
  });

  it('retries 5xx answers, then succeeds', async (t) => {
    const layer = await openLayer({ uri: server.url('/flaky'), digest: digestOf(blobs.gzip) }, { ...FAST, spool: { dir: spoolDir(t) } });
    await layer.close();
    assert.equal(server.count('/flaky'), 3);
  });

  it('gives up after the configured attempts', async () => {
    await assert.rejects(
      openLayer({ uri: server.url('/always-500'), digest: digestOf(blobs.gzip) }, { ...FAST, attempts: 3 }),
      expectError('LAYER_FETCH', /500/, /3 attempt/),
    );
    assert.equal(server.count('/always-500'), 3);
  });

  it('restarts a download cut mid-body', async (t) => {
    const dir = spoolDir(t);
    const layer = await openLayer({ uri: server.url('/cut-once'), digest: digestOf(blobs.gzip) }, { ...FAST, spool: { dir } });
    assert.equal(layer.stat('bin/sh')?.size, 200_000);
    await layer.close();
    assert.equal(server.count('/cut-once'), 2);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('reports a body that keeps breaking, leaving no spool file', { timeout: 10_000 }, async (t) => {
    const dir = spoolDir(t);
    await assert.rejects(
      openLayer({ uri: server.url('/cut-always'), digest: digestOf(blobs.gzip) }, { ...FAST, attempts: 2, spool: { dir, unlinkEarly: false } }),
      expectError('LAYER_FETCH'),
    );
    assert.equal(server.count('/cut-always'), 2);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('stops on abort mid-download, leaving no spool file', { timeout: 10_000 }, async (t) => {
    const dir = spoolDir(t);
    const controller = new AbortController();
    const pending = openLayer({ uri: server.url('/stall'), digest: digestOf(blobs.gzip) }, { ...FAST, signal: controller.signal, spool: { dir, unlinkEarly: false } });
    while (server.count('/stall') === 0 || readdirSync(dir).length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    assert.deepEqual(readdirSync(dir), []);
  });

  it('rejects at once when already aborted', async () => {
    await assert.rejects(openLayer({ uri: server.url('/gzip'), digest: digestOf(blobs.gzip) }, { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });
});

describe('openLayer compression and media types', () => {
  it('rejects bzip2 as unsupported', async () => {
    await assert.rejects(openLayer({ uri: server.url('/bzip2'), digest: digestOf(Buffer.from('BZh91AY&SY fake bzip2 payload')) }), expectError('LAYER_FORMAT', /bzip2/));
  });

  it('rejects a Content-Type that contradicts the bytes, or that it does not know', async () => {
    await assert.rejects(openLayer({ uri: server.url('/gzip-as-zstd'), digest: digestOf(blobs.gzip) }), expectError('LAYER_FORMAT', /gzip data does not match Content-Type "application\/zstd"/));
    await assert.rejects(openLayer({ uri: server.url('/html'), digest: digestOf(blobs.tar) }), expectError('LAYER_FORMAT', /unknown Content-Type "text\/html"/));
  });

  it('treats octet-stream (with parameters) and a missing Content-Type as neutral', async (t) => {
    const dir = spoolDir(t);
    for (const [path, blob] of [['/octet-params', blobs.gzip], ['/zstd-frames', blobs.zstdFrames]] as const) {
      const layer = await openLayer({ uri: server.url(path), digest: digestOf(blob) }, { spool: { dir } });
      await layer.close();
    }
  });

  it('checks the declared media type: compression suffixes must match, plain tar is neutral', async (t) => {
    const dir = spoolDir(t);
    const digest = digestOf(blobs.gzip);
    await assert.rejects(
      openLayer({ uri: server.url('/gzip'), digest, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' }),
      expectError('LAYER_FORMAT', /does not match media type/),
    );
    await assert.rejects(openLayer({ uri: server.url('/gzip'), digest, mediaType: 'application/json' }), expectError('LAYER_FORMAT', /unsupported media type/));
    for (const mediaType of ['application/vnd.oci.image.layer.v1.tar', 'application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.docker.image.rootfs.diff.tar.gzip']) {
      const layer = await openLayer({ uri: server.url('/gzip'), digest, mediaType }, { spool: { dir } });
      await layer.close();
    }
  });
});

describe('openLayerFromFile', () => {
  function writeBlob(t: TestContext, name: string, bytes: Uint8Array): string {
    const dir = spoolDir(t);
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  it('reads tar, tar.gz and tar.zst files', async (t) => {
    const dir = spoolDir(t);
    for (const [name, blob] of [['l.tar', blobs.tar], ['l.tar.gz', blobs.gzip], ['l.tar.zst', blobs.zstd]] as const) {
      const layer = await openLayerFromFile(writeBlob(t, name, blob), digestOf(blob), { spool: { dir } });
      assert.equal(layer.lstat('bin/sh')?.type, 'file');
      await layer.close();
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  it('reads real zstd output: compressed blocks, checksums, several frames', async (t) => {
    const dir = spoolDir(t);
    const expected = await openLayerFromFile(writeBlob(t, 'plain.tar', REAL_ZSTD_TAR), digestOf(REAL_ZSTD_TAR), { spool: { dir } });
    const want = await snapshot(expected);
    await expected.close();
    for (const name of ['real-zstd.tar.zst', 'real-zstd-2frames.tar.zst']) {
      const path = new URL(name, TESTDATA);
      const layer = await openLayerFromFile(path.pathname, digestOf(readFileSync(path)), { spool: { dir } });
      assert.deepEqual(await snapshot(layer), want, name);
      await layer.close();
    }
  });

  it('reports a missing file as LAYER_FETCH', async () => {
    await assert.rejects(openLayerFromFile('/nonexistent/layer.tar', digestOf(Buffer.alloc(0))), expectError('LAYER_FETCH', /ENOENT/));
  });

  describe('corrupt and truncated data', () => {
    const gz = blobs.gzip;
    const corruptGzip = Buffer.from(gz);
    const middle = Math.floor(gz.length / 2);
    corruptGzip[middle] = corruptGzip[middle]! ^ 0xff;
    const cases: Array<[string, Buffer]> = [
      ['truncated gzip', gz.subarray(0, Math.floor(gz.length / 2))],
      ['gzip cut before its trailer', gz.subarray(0, gz.length - 4)],
      ['corrupt gzip', corruptGzip],
      ['gzip holding a truncated tar', gzipSync(TAR.subarray(0, 5000))],
      ['truncated zstd', blobs.zstd.subarray(0, 10_000)],
      ['zstd with a reserved block type', Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]), Buffer.from([0x07, 0x00, 0x00])])],
      ['zstd followed by garbage', Buffer.concat([zstdRaw(TAR), Buffer.from('garbage!')])],
      ['a truncated tar', TAR.subarray(0, 3000)],
    ];
    for (const [what, bytes] of cases) {
      it(`rejects ${what} with LAYER_FORMAT, leaving no spool file`, { timeout: 10_000 }, async (t) => {
        const dir = spoolDir(t);
        const path = writeBlob(t, 'blob', bytes);
        await assert.rejects(openLayerFromFile(path, digestOf(bytes), { spool: { dir, unlinkEarly: false } }), expectError('LAYER_FORMAT'));
        assert.deepEqual(readdirSync(dir), []);
      });
    }
  });
});

describe('openLayer size caps', () => {
  const zeros = buildTar([{ path: 'zeros', content: Buffer.alloc(20 * 1024 * 1024) }]);
  const bomb = gzip(zeros);

  it('stops a gzip bomb at the uncompressed size cap, leaving no spool file', { timeout: 20_000 }, async (t) => {
    const dir = spoolDir(t);
    const path = join(dir, 'bomb.tar.gz');
    writeFileSync(path, bomb);
    const digest = digestOf(bomb);
    await assert.rejects(
      openLayerFromFile(path, digest, { maxUncompressedBytes: 1024 * 1024, spool: { dir, unlinkEarly: false } }),
      expectError('LAYER_TOO_LARGE', exactly(`layer ${digest}: more than 1048576 bytes uncompressed (indexer.limits.layer_bytes)`)),
    );
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('clair-layer-')), []);
  });

  it('lets a small layer of zeros through the ratio cap: it applies past 64 MiB only', { timeout: 20_000 }, async (t) => {
    const dir = spoolDir(t);
    assert.ok(zeros.length / bomb.length > 500);
    const layer = await openLayerFromStream(Readable.from([bomb]), digestOf(bomb), { maxCompressionRatio: 100, spool: { dir } });
    assert.equal(layer.stat('zeros')?.size, 20 * 1024 * 1024);
    await layer.close();
  });

  it('stops a layer at the compression ratio cap once past 64 MiB, leaving no spool file', { timeout: 20_000 }, async (t) => {
    const dir = spoolDir(t);
    const big = gzipBomb(256 * 1024 * 1024);
    const path = join(dir, 'bomb.tar.gz');
    writeFileSync(path, big);
    const digest = digestOf(big);
    await assert.rejects(
      openLayerFromFile(path, digest, { maxCompressionRatio: 100, spool: { dir, unlinkEarly: false } }),
      expectError('LAYER_TOO_LARGE', exactly(`layer ${digest}: decompresses to more than 100 times its compressed size (indexer.limits.compression_ratio)`)),
    );
    assert.deepEqual(readdirSync(dir), ['bomb.tar.gz']);
  });

  it('stops a zstd RLE bomb at the size cap', { timeout: 20_000 }, async (t) => {
    const dir = spoolDir(t);
    // 400 RLE blocks of 128 KiB zeros: 50 MiB from 1.6 KB.
    const rle = Buffer.from([((128 * 1024) << 3) | 0x2, ((128 * 1024) << 3) >> 8, ((128 * 1024) << 3) >> 16, 0x00]);
    const last = Buffer.from([((128 * 1024) << 3) | 0x3, ((128 * 1024) << 3) >> 8, ((128 * 1024) << 3) >> 16, 0x00]);
    const blob = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]), ...Array.from({ length: 399 }, () => rle), last]);
    const path = join(dir, 'bomb.tar.zst');
    writeFileSync(path, blob);
    const digest = digestOf(blob);
    await assert.rejects(
      openLayerFromFile(path, digest, { maxUncompressedBytes: 4 * 1024 * 1024, spool: { dir, unlinkEarly: false } }),
      expectError('LAYER_TOO_LARGE', exactly(`layer ${digest}: more than 4194304 bytes uncompressed (indexer.limits.layer_bytes)`)),
    );
    assert.deepEqual(readdirSync(dir), ['bomb.tar.zst']);
  });

  it('refuses a zstd frame whose window passes the limit', async (t) => {
    const dir = spoolDir(t);
    const blob = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 20 << 3]), Buffer.from([0x01, 0x00, 0x00])]); // 1 GiB window
    const path = join(dir, 'wide.tar.zst');
    writeFileSync(path, blob);
    await assert.rejects(openLayerFromFile(path, digestOf(blob), { spool: { dir, unlinkEarly: false } }), expectError('LAYER_TOO_LARGE', /window/));
    assert.deepEqual(readdirSync(dir), ['wide.tar.zst']);
  });

  it('stops at the per-spool cap and at a shared budget', async (t) => {
    const dir = spoolDir(t);
    const digest = digestOf(blobs.gzip);
    await assert.rejects(openLayer({ uri: server.url('/gzip'), digest }, { spool: { dir, maxBytes: 64 * 1024, unlinkEarly: false } }), expectError('LAYER_SPOOL_FULL'));
    assert.deepEqual(readdirSync(dir), []);

    const budget = new SpoolBudget(TAR.length + TAR.length / 2);
    const first = await openLayer({ uri: server.url('/gzip'), digest }, { spool: { dir, budget } });
    assert.equal(budget.used, TAR.length);
    await assert.rejects(openLayer({ uri: server.url('/gzip'), digest }, { spool: { dir, budget, unlinkEarly: false } }), expectError('LAYER_SPOOL_FULL', /shared spool cap of \d+ bytes \(indexer\.limits\.spool_bytes\)$/));
    assert.deepEqual(readdirSync(dir), []);
    assert.equal(budget.used, TAR.length);
    await first.close();
    assert.equal(budget.used, 0);
    const second = await openLayer({ uri: server.url('/gzip'), digest }, { spool: { dir, budget } });
    await second.close();
  });
});

describe('spool files', () => {
  it('are unlinked while open by default, and kept visible until close with unlinkEarly: false', async (t) => {
    const dir = spoolDir(t);
    const digest = digestOf(blobs.gzip);
    const hidden = await openLayer({ uri: server.url('/gzip'), digest }, { spool: { dir } });
    assert.deepEqual(readdirSync(dir), []);
    assert.equal((await hidden.readFile('etc/os-release')).toString(), 'ID=alpine\nVERSION_ID=3.19.1\n');
    await hidden.close();

    const visible = await openLayer({ uri: server.url('/gzip'), digest }, { spool: { dir, unlinkEarly: false } });
    assert.equal(readdirSync(dir).length, 1);
    await visible.close();
    assert.deepEqual(readdirSync(dir), []);
  });
});
