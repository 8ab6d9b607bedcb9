/**
 * @module Bundle compression: zstd (through `zstd-napi`, built from source
 * at install, so nothing is downloaded at run time; Node 20 has no zstd) and
 * gzip (node:zlib), or none.
 *
 * - **Import** decides by the data's magic bytes, not the file name
 *   (upstream trusts the `.gz`/`.zst` suffix and the `-g`/`-z` flags, and
 *   fails on a mislabelled file). A flag that contradicts the data is a clear
 *   error rather than a decoder's complaint. Concatenated zstd frames and
 *   gzip members read as one stream, as Go's decoders read them.
 * - **Export** takes `-z`/`-g` first (`-z` wins when both are given, as
 *   upstream), then the suffix (`.zst`, `.gz`; `.json`, `.jsonl`, `.ndjson`
 *   mean uncompressed), else zstd, the compact default; standard output gets
 *   zstd too unless it is a terminal, which gets readable JSON.
 *
 * Decoder failures (truncated or corrupt data) become `BUNDLE_FORMAT`
 * errors naming the compression.
 */
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { CompressStream, DecompressStream } from 'zstd-napi';
import { clairError } from '../../lib/errors.js';

export type BundleCompression = 'none' | 'gzip' | 'zstd';

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;
const GZIP_MAGIC = [0x1f, 0x8b] as const;
/** Bytes needed to tell the compressions apart. */
export const MAGIC_BYTES = ZSTD_MAGIC.length;

const startsWith = (head: Uint8Array, magic: readonly number[]) => magic.every((b, i) => head[i] === b);

/** The compression the first bytes of a stream show. */
export function detectCompression(head: Uint8Array): BundleCompression {
  if (startsWith(head, ZSTD_MAGIC)) return 'zstd';
  if (startsWith(head, GZIP_MAGIC)) return 'gzip';
  return 'none';
}

export interface CompressionFlags {
  gzip?: boolean | undefined;
  zstd?: boolean | undefined;
}

/** Export's choice for `target` (a path, or `-` for standard output); see the module note. */
export function exportCompression(flags: CompressionFlags, target: string, stdoutIsTerminal = false): BundleCompression {
  if (flags.zstd) return 'zstd';
  if (flags.gzip) return 'gzip';
  if (target === '-') return stdoutIsTerminal ? 'none' : 'zstd';
  if (target.endsWith('.zst')) return 'zstd';
  if (target.endsWith('.gz')) return 'gzip';
  if (/\.(json|jsonl|ndjson)$/.test(target)) return 'none';
  return 'zstd';
}

/** A compressing stage, or `undefined` for none. zstd frames carry a checksum, as klauspost's encoder writes them. */
export function compressor(compression: BundleCompression): Transform | undefined {
  switch (compression) {
    case 'zstd':
      return new CompressStream({ compressionLevel: 3, checksumFlag: true });
    case 'gzip':
      return createGzip();
    case 'none':
      return undefined;
  }
}

/** A chunk as a Buffer without copying (a string, which a stream in text mode yields, is encoded). */
function asBuffer(chunk: Uint8Array | string): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  return typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

const FLAG: Record<Exclude<BundleCompression, 'none'>, string> = { zstd: '-z/--zstd', gzip: '-g/--gzip' };

/**
 * The decompressed bytes of `source`, its compression found from its magic
 * bytes. `expected` (from a flag) must agree with the data.
 *
 * @throws ClairError `BUNDLE_FORMAT` for a flag the data contradicts, or
 *   compressed data that is truncated or corrupt; the source's own errors
 *   pass through unchanged.
 */
export async function* decompressedBundle(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, expected?: BundleCompression): AsyncGenerator<Buffer> {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (async function* () { yield* source; })();
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < MAGIC_BYTES) {
    const step = await iterator.next();
    if (step.done) {
      ended = true;
      break;
    }
    const chunk = asBuffer(step.value);
    head.push(chunk);
    headBytes += chunk.length;
  }
  const first = Buffer.concat(head);
  const compression = detectCompression(first);
  if (expected !== undefined && expected !== 'none' && expected !== compression) {
    const found = compression === 'none' ? `not ${expected}-compressed (it starts with ${JSON.stringify(first.subarray(0, 16).toString('latin1'))})` : `${compression}-compressed`;
    throw clairError('BUNDLE_FORMAT', `${FLAG[expected]} was given but the data is ${found}`);
  }
  let sourceError: unknown;
  const whole = async function* (): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    if (ended) return;
    for (;;) {
      let step: IteratorResult<Uint8Array>;
      try {
        step = await iterator.next();
      } catch (err) {
        // Only the source's own failures; a decoder error is thrown in at the yield below.
        sourceError = err;
        throw err;
      }
      if (step.done) return;
      yield asBuffer(step.value);
    }
  };
  if (compression === 'none') {
    yield* whole();
    return;
  }
  const decoder = compression === 'zstd' ? new DecompressStream() : createGunzip();
  const feeding = pipeline(Readable.from(whole()), decoder);
  feeding.catch(() => {}); // observed through the decoder below
  try {
    for await (const chunk of decoder) yield chunk as Buffer;
    await feeding;
  } catch (err) {
    if (sourceError !== undefined) throw sourceError;
    throw clairError('BUNDLE_FORMAT', `${compression} data is truncated or corrupt (${(err as Error).message})`, { cause: err });
  } finally {
    decoder.destroy();
  }
}
