/**
 * Regression tests for the availability issue, item 4 ("safe resource limits
 * by default"): one per hostile layer of the issue's table, built here
 * (scaled down where the full size would be slow), opened with the default
 * limits, and refused early with the error naming the limit and its config
 * key. `bench/hostile-layers.bench.ts` measures the full-size layers.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULTS } from '../../config/defaults.js';
import { isClairError, type ErrorName } from '../../lib/errors.js';
import { deepDirectoryTar, emptyFilesTar, gzipBomb, nestedNodeModulesTar, zstdRleBomb } from '../../test-support/hostile-layers.js';
import { buildTar, digestOf, gzip, type LayerSpecEntry } from '../../test-support/layer-builder.js';
import {
  DEFAULT_MAX_COMPRESSION_RATIO,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_PATH_DEPTH,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  layerLimitsFrom,
  openLayerFromStream,
  RATIO_GRACE_BYTES,
  SpoolBudget,
  type OpenLocalLayerOptions,
  type TarLayerFS,
} from './index.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;
const CHUNK = 64 * KIB;

const spoolDir = mkdtempSync(join(tmpdir(), 'clair-hostile-test-'));
after(() => {
  // Every refused layer must have left nothing behind.
  assert.deepEqual(readdirSync(spoolDir), []);
  rmSync(spoolDir, { recursive: true, force: true });
});

/** `blob` in 64 KiB chunks, counting the bytes handed to the reader. */
function countingSource(blob: Buffer): { stream: Readable; bytesRead: () => number } {
  let bytesRead = 0;
  function* chunks(): Generator<Buffer> {
    for (let at = 0; at < blob.length; at += CHUNK) {
      const chunk = blob.subarray(at, at + CHUNK);
      bytesRead += chunk.length;
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks(), { objectMode: false }), bytesRead: () => bytesRead };
}

/** A spool budget without a cap that records the most bytes ever spooled at once. */
class PeakBudget extends SpoolBudget {
  peak = 0;

  constructor() {
    super(Number.POSITIVE_INFINITY);
  }

  override tryReserve(bytes: number): boolean {
    const ok = super.tryReserve(bytes);
    this.peak = Math.max(this.peak, this.used);
    return ok;
  }
}

interface Attempt {
  error: unknown;
  bytesRead: number;
  peakSpool: number;
}

/** Opens `blob` with the default limits (plus `options`); the layer must be refused. */
async function refuse(blob: Buffer, options: OpenLocalLayerOptions = {}): Promise<Attempt> {
  const source = countingSource(blob);
  const budget = new PeakBudget();
  try {
    const layer = await openLayerFromStream(source.stream, digestOf(blob), { ...options, spool: { dir: spoolDir, unlinkEarly: false, budget } });
    await layer.close();
  } catch (error) {
    return { error, bytesRead: source.bytesRead(), peakSpool: budget.peak };
  }
  assert.fail('the layer was accepted');
}

function open(blob: Buffer, options: OpenLocalLayerOptions = {}): Promise<TarLayerFS> {
  return openLayerFromStream(Readable.from([blob]), digestOf(blob), { ...options, spool: { dir: spoolDir } });
}

function assertError(err: unknown, name: ErrorName, message: string): void {
  assert.ok(isClairError(err, name), `expected ${name}, got ${String(err)}`);
  assert.equal((err as Error).message, message);
}

/** The name an error message shows: quoted, cut after 200 characters. */
function shown(name: string): string {
  return JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);
}

/** Heap and buffer memory after a full collection. */
function memoryInUse(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

describe('hostile layers of the availability issue, with the default limits', () => {
  it('refuses 2,000 nested node_modules at the 257th path component, having spooled under 2% of it', async () => {
    const tar = nestedNodeModulesTar(2000);
    const blob = gzip(tar);
    const { error, peakSpool } = await refuse(blob);
    const deepest = `${'node_modules/a/'.repeat(128)}package.json`;
    assertError(error, 'LAYER_TOO_LARGE', `layer ${digestOf(blob)}: tar entry ${shown(deepest)} is more than 256 path components deep (indexer.limits.path_depth)`);
    assert.ok(peakSpool < tar.length / 50, `spooled ${peakSpool} of ${tar.length} bytes`);
  });

  it('refuses a 10,000-deep directory at the 257th level, having spooled under 1% of it', async () => {
    const tar = deepDirectoryTar(10_000);
    const blob = gzip(tar);
    const { error, peakSpool, bytesRead } = await refuse(blob);
    assertError(error, 'LAYER_TOO_LARGE', `layer ${digestOf(blob)}: tar entry ${shown(`${'d/'.repeat(257)}`)} is more than 256 path components deep (indexer.limits.path_depth)`);
    assert.ok(peakSpool < tar.length / 100, `spooled ${peakSpool} of ${tar.length} bytes`);
    assert.ok(bytesRead < blob.length, `read all ${blob.length} bytes`);
  });

  it('refuses 200,000 empty files over a 100,000-entry limit halfway, spooling no more than those entries', { timeout: 60_000 }, async () => {
    // The issue's layer holds 3M entries against the default 1M; scaled down 15 times.
    const blob = gzip(Buffer.concat([...emptyFilesTar(200_000)]));
    const { error, bytesRead, peakSpool } = await refuse(blob, { maxEntries: 100_000 });
    assertError(error, 'LAYER_TOO_LARGE', `layer ${digestOf(blob)}: more than 100000 entries (indexer.limits.layer_entries)`);
    assert.ok(bytesRead < 0.7 * blob.length, `read ${bytesRead} of ${blob.length} bytes`);
    assert.ok(peakSpool <= 100_000 * 512 + MIB, `spooled ${peakSpool} bytes`);
  });

  const bombs: Array<[string, () => Buffer]> = [
    ['a 20 MB gzip bomb (20 GiB of zeros)', () => gzipBomb(20 * GIB)],
    ['a 4 MB gzip bomb (4 GiB)', () => gzipBomb(4 * GIB)],
    ['a 132 KB zstd bomb (4 GiB)', () => zstdRleBomb(4 * GIB)],
  ];
  for (const [what, build] of bombs) {
    it(`stops ${what} at the ratio cap after 64 MiB, having read a sliver of it`, { timeout: 60_000 }, async () => {
      const blob = build();
      const { error, bytesRead, peakSpool } = await refuse(blob);
      assertError(error, 'LAYER_TOO_LARGE', `layer ${digestOf(blob)}: decompresses to more than 256 times its compressed size (indexer.limits.compression_ratio)`);
      assert.ok(bytesRead <= 4 * CHUNK, `read ${bytesRead} of ${blob.length} bytes`);
      assert.ok(Math.abs(peakSpool - RATIO_GRACE_BYTES) <= MIB, `spooled ${peakSpool} bytes`);
    });
  }

  it('stops a bomb at the byte cap when the ratio cap is off', { timeout: 60_000 }, async () => {
    const blob = gzipBomb(4 * GIB);
    const { error, peakSpool } = await refuse(blob, { maxCompressionRatio: Number.POSITIVE_INFINITY, maxUncompressedBytes: 128 * MIB });
    assertError(error, 'LAYER_TOO_LARGE', `layer ${digestOf(blob)}: more than 134217728 bytes uncompressed (indexer.limits.layer_bytes)`);
    assert.ok(peakSpool <= 128 * MIB, `spooled ${peakSpool} bytes`);
  });

  it('defaults every limit to its indexer.limits default, and maps the config onto the options', () => {
    const limits = DEFAULTS.indexer.limits;
    assert.deepEqual(
      [DEFAULT_MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_COMPRESSION_RATIO, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_PATH_DEPTH, RATIO_GRACE_BYTES],
      [8 * GIB, 256, 1_000_000, 256, 64 * MIB],
    );
    assert.deepEqual(layerLimitsFrom(limits), { maxUncompressedBytes: 8 * GIB, maxCompressionRatio: 256, maxEntries: 1_000_000, maxPathDepth: 256 });
  });
});

describe('layer index cost', () => {
  it('keeps 200,000 entries in under 100 bytes each, and frees them on close', { timeout: 60_000 }, async () => {
    const count = 200_000;
    const blob = gzip(Buffer.concat([...emptyFilesTar(count)]));
    const before = memoryInUse();
    const layer = await open(blob);
    const held = memoryInUse() - before;
    assert.equal(layer.lstat('d199/f199999')?.type, 'file');
    assert.ok(held / count < 100, `${(held / count).toFixed(1)} bytes per entry`);
    assert.ok(layer.indexBytes / count < 100, `index of ${(layer.indexBytes / count).toFixed(1)} bytes per entry`);
    await layer.close();
    const left = memoryInUse() - before;
    assert.ok(left < 4 * MIB, `${left} bytes still held after close`);
  });

  it('resolves a 10,000-deep path in linear time when path_depth is off, never stalling the event loop for long', { timeout: 60_000 }, async () => {
    const blob = gzip(deepDirectoryTar(10_000));
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    // 113 MB of names compress 320 times: the ratio cap alone would refuse it too.
    const layer = await open(blob, { maxPathDepth: Number.POSITIVE_INFINITY, maxCompressionRatio: Number.POSITIVE_INFINITY });
    try {
      const bottom = `${'d/'.repeat(10_000)}bottom.txt`;
      // Each lookup used to rebuild every prefix: 10,000² characters, 0.1 s or more.
      for (let i = 0; i < 100; i++) assert.equal(layer.stat(`/${bottom}`)?.path, bottom);
      assert.equal((await layer.readFile(bottom)).toString(), 'deep\n');
      assert.equal([...layer.entries()].length, 10_001);
      assert.deepEqual(layer.readDir('d/d').map((e) => e.path), ['d/d/d']);
    } finally {
      await layer.close();
      delay.disable();
    }
    assert.ok(delay.max / 1e6 < 1000, `the event loop stalled for ${Math.round(delay.max / 1e6)} ms`);
  });

  it('indexes a tar handed over in one large chunk (tar-stream recursed once per entry)', { timeout: 60_000 }, async () => {
    const tar = Buffer.concat([...emptyFilesTar(50_000)]);
    const layer = await open(tar);
    assert.equal([...layer.entries()].length, 50_000);
    await layer.close();
  });
});

describe('layer limits', () => {
  const file = (path: string): LayerSpecEntry => ({ path, content: 'x' });

  it('counts the directories an entry implies towards layer_entries', async () => {
    const tar = buildTar([file('a/b/c/d/e/f')]);
    assertError((await refuse(tar, { maxEntries: 5 })).error, 'LAYER_TOO_LARGE', `layer ${digestOf(tar)}: more than 5 entries (indexer.limits.layer_entries)`);
    const layer = await open(tar, { maxEntries: 6 });
    assert.equal(layer.stat('a/b/c/d/e/f')?.size, 1);
    await layer.close();
  });

  it('counts path components after cleaning, up to path_depth inclusive', async () => {
    const layer = await open(buildTar([file('a/b/c/d'), file('./a/./b/x/../c/y')]), { maxPathDepth: 4 });
    assert.deepEqual([...layer.entries()].map((e) => e.path), ['a/b/c/d', 'a/b/c/y']);
    await layer.close();
    const tar = buildTar([file('a/b/c/d/e')]);
    assertError((await refuse(tar, { maxPathDepth: 4 })).error, 'LAYER_TOO_LARGE', `layer ${digestOf(tar)}: tar entry "a/b/c/d/e" is more than 4 path components deep (indexer.limits.path_depth)`);
  });

  it('refuses names and symlink targets longer than 16 bytes per allowed component (4,096 by default, as PATH_MAX)', async () => {
    const longest = `a/${'b'.repeat(4094)}`;
    const layer = await open(buildTar([file(longest), { path: 'link', type: 'symlink', target: `/${longest.slice(1)}` }]));
    assert.equal(layer.stat(longest)?.size, 1);
    await layer.close();

    const tooLong = buildTar([file(`${longest}b`)]);
    assertError(
      (await refuse(tooLong)).error,
      'LAYER_TOO_LARGE',
      `layer ${digestOf(tooLong)}: tar entry ${shown(`${longest}b`)} has a name longer than 4096 bytes (16 per component of indexer.limits.path_depth)`,
    );
    const farLink = buildTar([{ path: 'link', type: 'symlink', target: `/${longest}` }]);
    assertError(
      (await refuse(farLink)).error,
      'LAYER_TOO_LARGE',
      `layer ${digestOf(farLink)}: symlink "link" has a target longer than 4096 bytes (16 per component of indexer.limits.path_depth)`,
    );
  });

  it('caps the bytes of names the index holds at 128 per allowed entry', async () => {
    // 400 names of ~4,000 bytes: 1.6 MB, over the 1.28 MB that 10,000 entries allow.
    const tar = buildTar(Array.from({ length: 400 }, (_, i) => file(`${i}-${'n'.repeat(4000)}`)));
    assertError(
      (await refuse(tar, { maxEntries: 10_000 })).error,
      'LAYER_TOO_LARGE',
      `layer ${digestOf(tar)}: names and symlink targets take more than 1280000 bytes (128 per entry of indexer.limits.layer_entries)`,
    );
  });

  it('turns a limit off with Infinity', async () => {
    const tar = buildTar([file(`${'d/'.repeat(300)}f`)]);
    const layer = await open(tar, { maxPathDepth: Number.POSITIVE_INFINITY, maxEntries: Number.POSITIVE_INFINITY });
    assert.equal(layer.stat(`${'d/'.repeat(300)}f`)?.size, 1);
    await layer.close();
  });
});
