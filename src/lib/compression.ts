/**
 * @module Streaming decompression of downloaded files: gzip through
 * node:zlib, bzip2 through `unbzip2-stream` (adapted to a Transform), zstd
 * through a bounded decoder the caller supplies; plus the names a
 * configuration uses for a compression and claircore's `auto` rule for
 * choosing one per HTTP response. A truncated or corrupt stream fails the
 * pipeline; none ends silently.
 *
 * zstd is injected rather than imported because the bounded fzstd decoder
 * lives with the layer fetcher (`indexer/layer/zstd.ts`) and lib imports
 * nothing outside lib.
 */
import { Transform, type Duplex, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import unbzip2Stream from 'unbzip2-stream';

/** How a file is compressed. */
export type Compression = 'none' | 'gzip' | 'bzip2' | 'zstd';
/** A configured compression: a fixed one, or `auto` (decided per response). */
export type CompressionSetting = Compression | 'auto';

/**
 * claircore's `ovalutil.ParseCompressor`: `gz`/`gzip`, `bz2`/`bzip2`,
 * `zstd`, `none`, and `''`/`auto`; `undefined` for anything else.
 */
export function parseCompression(name: string): CompressionSetting | undefined {
  switch (name) {
    case 'gz':
    case 'gzip':
      return 'gzip';
    case 'bz2':
    case 'bzip2':
      return 'bzip2';
    case 'zstd':
      return 'zstd';
    case 'none':
      return 'none';
    case '':
    case 'auto':
      return 'auto';
    default:
      return undefined;
  }
}

/** The media type a file extension stands for (the compressed ones `auto` cares about). */
function typeByExtension(path: string): string {
  const dot = path.lastIndexOf('.');
  const ext = dot < 0 || path.lastIndexOf('/') > dot ? '' : path.slice(dot).toLowerCase();
  return ({ '.bz2': 'application/x-bzip2', '.gz': 'application/gzip', '.zst': 'application/zstd' } as Record<string, string>)[ext] ?? '';
}

/** A header's media type (`type/subtype`, lower-cased), or `undefined` when it does not parse. */
function mediaType(value: string): string | undefined {
  const type = value.split(';')[0]!.trim().toLowerCase();
  return /^[!#$%&'*+.^_`|~0-9a-z-]+(\/[!#$%&'*+.^_`|~0-9a-z-]+)?$/.test(type) ? type : undefined;
}

/**
 * What `auto` means for one response, as claircore decides it: the
 * Content-Type when it parses (whatever it says), else the extension of the
 * Content-Disposition filename, else of the URL path; bzip2, gzip and zstd
 * types select those, anything else is uncompressed.
 */
export function resolveCompression(setting: CompressionSetting, headers: Headers, url: string): Compression {
  if (setting !== 'auto') return setting;
  let kind: string | undefined;
  const contentType = headers.get('content-type');
  if (contentType !== null && contentType !== '') kind = mediaType(contentType);
  if (kind === undefined) {
    const filename = /;\s*filename\s*=\s*"?([^";]+)"?/i.exec(headers.get('content-disposition') ?? '')?.[1];
    const byName = filename === undefined ? '' : typeByExtension(filename);
    kind = byName !== '' ? byName : typeByExtension(new URL(url).pathname);
  }
  switch (kind) {
    case 'application/x-bzip2':
      return 'bzip2';
    case 'application/gzip':
    case 'application/x-gzip':
      return 'gzip';
    case 'application/zstd':
      return 'zstd';
    default:
      return 'none';
  }
}

/** The compression a file name implies: `.gz` gzip, `.bz2` bzip2, else none. */
export function compressionOf(url: string): Compression {
  const path = url.split(/[?#]/)[0] ?? url;
  if (path.endsWith('.gz')) return 'gzip';
  if (path.endsWith('.bz2')) return 'bzip2';
  return 'none';
}

/**
 * A bzip2 decompressing stage. Adapts `unbzip2-stream` (a classic "through"
 * stream, which `pipeline` cannot supervise reliably) to a Transform: errors
 * and the end of input map onto the Transform's callbacks, exactly once.
 */
export function createBunzip2(): Transform {
  const inner = unbzip2Stream();
  let finish: TransformCallback | undefined;
  let settled = false;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      inner.write(chunk);
      callback();
    },
    flush(callback) {
      finish = callback;
      inner.end();
    },
  });
  inner.on('data', (chunk: Buffer) => transform.push(chunk));
  inner.on('error', (cause: Error) => {
    if (settled) return;
    settled = true;
    // The library's own messages can be internal ("Cannot read properties of undefined").
    const err = new Error(`bzip2 data is truncated or corrupt (${cause.message})`, { cause });
    if (finish !== undefined) finish(err);
    else transform.destroy(err);
  });
  inner.on('end', () => {
    if (settled || finish === undefined) return;
    settled = true;
    finish();
  });
  return transform;
}

/** Makes a zstd decompressing stage (a bounded decoder; see the module note). */
export type ZstdStage = () => Duplex;

/** A decompressing stage for `compression`, or `undefined` for none. */
export function decompressor(compression: Compression, zstd: ZstdStage): Duplex | undefined {
  switch (compression) {
    case 'gzip':
      return createGunzip();
    case 'bzip2':
      return createBunzip2();
    case 'zstd':
      return zstd();
    case 'none':
      return undefined;
  }
}
