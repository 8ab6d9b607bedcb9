/**
 * @module From compressed layer bytes to tar bytes: compression detection
 * by magic, the media-type policy of claircore's fetcher, digest
 * verification of the compressed bytes, and decompression under size and
 * ratio caps (decompression bombs end with LAYER_TOO_LARGE soon after the
 * first 64 MiB, not with a full disk).
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { COMPRESSION_RATIO_GRACE_BYTES, DEFAULTS } from '../../config/defaults.js';
import { clairError } from '../../lib/errors.js';
import { DEFAULT_MAX_ZSTD_WINDOW, zstdDecompressor } from './zstd.js';

/** Compressions a layer may use. */
export type Compression = 'gzip' | 'zstd' | 'none';

/** Bytes needed to recognise every supported magic number. */
export const MAGIC_BYTES = 4;

/** Default cap on a layer's uncompressed size: 8 GiB, `indexer.limits.layer_bytes`. */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = DEFAULTS.indexer.limits.layer_bytes;

/**
 * Default cap on uncompressed bytes per compressed byte: 256,
 * `indexer.limits.compression_ratio`. Real layers are 2–10; gzip tops out
 * near 1,030 and zstd RLE blocks near 32,000, the ratios of bombs.
 */
export const DEFAULT_MAX_COMPRESSION_RATIO = DEFAULTS.indexer.limits.compression_ratio;

/** The ratio cap applies past this much output (64 MiB), so small layers of zeros pass. */
export const RATIO_GRACE_BYTES = COMPRESSION_RATIO_GRACE_BYTES;

/**
 * Compression by magic number; `bzip2` is recognised only to be refused.
 * Unlike claircore, a leading zstd skippable frame also means zstd.
 */
export function detectCompression(head: Uint8Array): Compression | 'bzip2' {
  if (head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  // A zstd stream may open with a skippable frame (magic 0x184D2A5?, little-endian).
  if (head[0] !== undefined && (head[0] & 0xf0) === 0x50 && head[1] === 0x2a && head[2] === 0x4d && head[3] === 0x18) return 'zstd';
  if (head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68 && head[3] !== undefined && head[3] >= 0x31 && head[3] <= 0x39) return 'bzip2';
  return 'none';
}

/**
 * The compression a media type (an HTTP Content-Type or a declared layer
 * media type) implies, as claircore's fetcher maps them, or `neutral` when
 * it says nothing (empty, `text/plain`, `application/octet-stream`,
 * `binary/octet-stream`). `undefined` for a type it does not know.
 */
export function compressionOfMediaType(mediaType: string | undefined): Compression | 'neutral' | undefined {
  const type = (mediaType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' || type === 'text/plain' || type === 'application/octet-stream' || type === 'binary/octet-stream') return 'neutral';
  if (
    type === 'application/vnd.docker.image.rootfs.diff.tar.gzip' ||
    type === 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip' ||
    type === 'application/gzip' ||
    type === 'application/x-gzip' ||
    type.endsWith('.tar+gzip')
  ) {
    return 'gzip';
  }
  if (type === 'application/zstd' || type.endsWith('.tar+zstd')) return 'zstd';
  if (type === 'application/x-tar' || type.endsWith('.tar')) return 'none';
  return undefined;
}

export interface MediaTypeCheck {
  digest: string;
  /** The Content-Type the server answered with. */
  contentType?: string | undefined;
  /** The media type the manifest declared for the layer. */
  mediaType?: string | undefined;
}

/**
 * Checks detected compression against the Content-Type (claircore's rule:
 * unknown type or mismatch is an error) and the declared media type (same
 * rule, except that a declared plain `…tar` type is neutral: Clair defaults
 * a missing `media_type` to `application/vnd.oci.image.layer.v1.tar`, and
 * claircore never compares the declared type with the bytes).
 */
export function checkCompression(detected: Compression | 'bzip2', check: MediaTypeCheck): Compression {
  if (detected === 'bzip2') throw clairError('LAYER_FORMAT', `layer ${check.digest}: bzip2 compression is not supported`);
  const fromContentType = compressionOfMediaType(check.contentType);
  if (fromContentType === undefined) {
    throw clairError('LAYER_FORMAT', `layer ${check.digest}: unknown Content-Type ${JSON.stringify(check.contentType)}`);
  }
  if (fromContentType !== 'neutral' && fromContentType !== detected) {
    throw clairError('LAYER_FORMAT', `layer ${check.digest}: ${describe(detected)} data does not match Content-Type ${JSON.stringify(check.contentType)}`);
  }
  if (check.mediaType !== undefined && check.mediaType !== '') {
    const declared = compressionOfMediaType(check.mediaType);
    if (declared === undefined || declared === 'neutral') {
      throw clairError('LAYER_FORMAT', `layer ${check.digest}: unsupported media type ${JSON.stringify(check.mediaType)}`);
    }
    if (declared !== 'none' && declared !== detected) {
      throw clairError('LAYER_FORMAT', `layer ${check.digest}: ${describe(detected)} data does not match media type ${JSON.stringify(check.mediaType)}`);
    }
  }
  return detected;
}

function describe(compression: Compression): string {
  return compression === 'none' ? 'uncompressed' : compression;
}

/** Hashes and counts the compressed bytes passing through; {@link verify} after the last byte. */
export class DigestTap extends Transform {
  readonly expected: string;
  readonly #algorithm: 'sha256' | 'sha512';
  readonly #hash: Hash;
  #bytes = 0;

  /** `digest` must already be a valid `sha256:`/`sha512:` digest. */
  constructor(digest: string) {
    super();
    this.expected = digest;
    this.#algorithm = digest.startsWith('sha512:') ? 'sha512' : 'sha256';
    this.#hash = createHash(this.#algorithm);
  }

  /** Compressed bytes seen so far. */
  get bytes(): number {
    return this.#bytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#bytes += chunk.length;
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  /** Throws LAYER_DIGEST_MISMATCH unless the bytes seen hash to the expected digest. */
  verify(): void {
    const actual = `${this.#algorithm}:${this.#hash.digest('hex')}`;
    if (actual !== this.expected) {
      throw clairError('LAYER_DIGEST_MISMATCH', `layer: content digest is ${actual}, expected ${this.expected}`);
    }
  }
}

/** Caps on decompression; `Number.POSITIVE_INFINITY` turns one off. */
export interface DecompressLimits {
  /** Uncompressed bytes of one layer (default {@link DEFAULT_MAX_UNCOMPRESSED_BYTES}, `indexer.limits.layer_bytes`). */
  maxUncompressedBytes?: number | undefined;
  /**
   * Uncompressed bytes per compressed byte, checked once 64 MiB are out
   * (default {@link DEFAULT_MAX_COMPRESSION_RATIO}, `indexer.limits.compression_ratio`).
   */
  maxCompressionRatio?: number | undefined;
  /** Cap on a zstd frame's window, i.e. decoder memory (default 128 MiB). */
  maxZstdWindowBytes?: number | undefined;
}

/**
 * Counts uncompressed bytes and stops the stream at the size or ratio cap,
 * on the chunk that passes it: nothing beyond reaches the spool.
 */
export class SizeLimit extends Transform {
  readonly #max: number;
  readonly #ratio: number;
  readonly #compressedBytes: () => number;
  #bytes = 0;

  constructor(limits: DecompressLimits, compressedBytes: () => number) {
    super();
    this.#max = limits.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
    this.#ratio = limits.maxCompressionRatio ?? DEFAULT_MAX_COMPRESSION_RATIO;
    this.#compressedBytes = compressedBytes;
  }

  /** Uncompressed bytes seen so far. */
  get bytes(): number {
    return this.#bytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#bytes += chunk.length;
    if (this.#bytes > this.#max) {
      callback(clairError('LAYER_TOO_LARGE', `layer: more than ${this.#max} bytes uncompressed (indexer.limits.layer_bytes)`));
      return;
    }
    if (this.#bytes > RATIO_GRACE_BYTES && this.#bytes > this.#ratio * this.#compressedBytes()) {
      callback(clairError('LAYER_TOO_LARGE', `layer: decompresses to more than ${this.#ratio} times its compressed size (indexer.limits.compression_ratio)`));
      return;
    }
    callback(null, chunk);
  }
}

/** A pipeline stage for `compression`, or `undefined` when the bytes are already tar. */
export function decompressor(
  compression: Compression,
  limits: DecompressLimits = {},
): NodeJS.ReadWriteStream | ((source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer>) | undefined {
  switch (compression) {
    case 'gzip':
      return createGunzip({ chunkSize: 64 * 1024 });
    case 'zstd':
      return zstdDecompressor(limits.maxZstdWindowBytes ?? DEFAULT_MAX_ZSTD_WINDOW);
    case 'none':
      return undefined;
  }
}
