/** Fuzzing the air-gap bundle reader (claircore jsonblob lines; plain, gzip or zstd), from the claircore bundle fixture. */
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { compress as zstdCompress } from 'zstd-napi';
import { fuzz } from '../../test-support/fuzz.js';
import { unmasked } from '../fuzz.case.js';
import { decompressedBundle } from './compression.js';
import { readBundle } from './reader.js';

const BUNDLE = readFileSync(new URL('./testdata/claircore-bundle.jsonl', import.meta.url));

/** `bytes` in small chunks, so lines and magic bytes straddle chunk boundaries. */
function* chunks(bytes: Buffer, size = 61): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('updater bundle: fuzz', () => {
  it('answers every mutated bundle, plain, gzip or zstd, with operations or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [BUNDLE, gzipSync(BUNDLE), zstdCompress(BUNDLE)],
      parse: (input) =>
        unmasked(async () => {
          let records = 0;
          for await (const op of readBundle(decompressedBundle(chunks(input)))) {
            for await (const _ of op.records) records++;
          }
          return records;
        }),
    });
  });
});
