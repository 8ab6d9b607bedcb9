import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { isClairError } from '../../lib/errors.js';
import { zstdRaw, zstdSkippable } from '../../test-support/layer-builder.js';
import { zstdDecompressor } from './zstd.js';

/** Runs the decompressor over `input`, delivered in chunks of `chunk` bytes. */
async function decompress(input: Uint8Array, chunk = 64 * 1024, maxWindow?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunk) chunks.push(Buffer.from(input.subarray(i, i + chunk)));
  const out: Buffer[] = [];
  for await (const piece of zstdDecompressor(maxWindow)(Readable.from(chunks))) out.push(piece);
  return Buffer.concat(out);
}

const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 13) % 251));
const fixture = readFileSync(new URL('./testdata/real-zstd-2frames.tar.zst', import.meta.url));

describe('zstdDecompressor', () => {
  it('decodes raw-block frames whatever the input chunking', async () => {
    const small = data.subarray(0, 30_000);
    assert.deepEqual(await decompress(zstdRaw(small, { blockSize: 1000, frameSize: 12_000 }), 1), small);
    for (const chunk of [7, 4096, 1 << 20]) {
      assert.deepEqual(await decompress(zstdRaw(data, { blockSize: 10_000, frameSize: 120_000 }), chunk), data, `chunk ${chunk}`);
    }
  });

  it('decodes an empty frame and skips skippable frames', async () => {
    assert.equal((await decompress(zstdRaw(Buffer.alloc(0)))).length, 0);
    const input = Buffer.concat([zstdSkippable(Buffer.from('head')), zstdRaw(data), zstdSkippable(Buffer.alloc(100_000)), zstdRaw(Buffer.from('tail'))]);
    assert.deepEqual(await decompress(input, 333), Buffer.concat([data, Buffer.from('tail')]));
  });

  it('decodes real zstd output (compressed blocks, checksum, two frames) in small chunks', async () => {
    const whole = await decompress(fixture);
    assert.equal(whole.length, 57344);
    assert.deepEqual(await decompress(fixture, 3), whole);
  });

  it('yields RLE output block by block instead of all at once', async () => {
    const rle = (last: number): Buffer => {
      const head = ((128 * 1024) << 3) | (1 << 1) | last;
      return Buffer.from([head & 0xff, (head >> 8) & 0xff, (head >> 16) & 0xff, 0x61]);
    };
    const input = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]), ...Array.from({ length: 63 }, () => rle(0)), rle(1)]);
    const sizes: number[] = [];
    for await (const piece of zstdDecompressor()(Readable.from([input]))) sizes.push(piece.length);
    assert.equal(sizes.length, 64);
    assert.ok(sizes.every((s) => s === 128 * 1024));
  });

  it('does not pin decoded blocks while a frame is long (fzstd buffer-list workaround)', { timeout: 30_000 }, async () => {
    const body = Buffer.alloc(128 * 1024, 0x61);
    const blocks = 1000; // 125 MiB out; pinning each unit would hold as much
    async function* input(): AsyncGenerator<Buffer> {
      yield Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3]);
      for (let i = 0; i < blocks; i++) {
        const head = (body.length << 3) | (i === blocks - 1 ? 1 : 0);
        yield Buffer.from([head & 0xff, (head >> 8) & 0xff, (head >> 16) & 0xff]);
        yield body;
      }
    }
    const base = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let total = 0;
    for await (const piece of zstdDecompressor()(input())) {
      total += piece.length;
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
    }
    assert.equal(total, blocks * body.length);
    assert.ok(peak < 64 * 1024 * 1024, `peak ${peak}`);
  });

  it('fails cleanly, never hangs, wherever the input is cut', { timeout: 20_000 }, async () => {
    const full = await decompress(fixture);
    let complete = 0;
    for (let cut = 1; cut < fixture.length; cut++) {
      try {
        const partial = await decompress(fixture.subarray(0, cut), 16);
        // Only a cut between the two frames is a valid (shorter) stream.
        assert.deepEqual(partial, full.subarray(0, partial.length));
        complete++;
      } catch (err) {
        assert.ok(isClairError(err, 'LAYER_FORMAT'), `cut ${cut}: ${String(err)}`);
      }
    }
    assert.equal(complete, 1);
  });

  it('refuses frames whose window passes the limit', async () => {
    await assert.rejects(decompress(zstdRaw(data), 64 * 1024, 64 * 1024), (err) => isClairError(err, 'LAYER_TOO_LARGE'));
    assert.deepEqual(await decompress(zstdRaw(data), 64 * 1024, 128 * 1024), data);
  });

  it('refuses trailing garbage, reserved block types and oversized blocks', async () => {
    const header = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]);
    const bad = [
      Buffer.concat([zstdRaw(data), Buffer.from('junk')]),
      Buffer.concat([header, Buffer.from([0x07, 0x00, 0x00])]),
      Buffer.concat([header, Buffer.from([0x01 | ((200_000 << 3) & 0xff), (200_000 << 3) >> 8, (200_000 << 3) >> 16])]),
    ];
    for (const input of bad) await assert.rejects(decompress(input), (err) => isClairError(err, 'LAYER_FORMAT'));
  });
});
