/**
 * @module Decompression of downloaded feeds: gzip (SUSE, optionally Photon)
 * through node:zlib, bzip2 (Oracle) through `unbzip2-stream`, both streaming.
 * A truncated or corrupt stream fails the pipeline; neither ends silently.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import unbzip2Stream from 'unbzip2-stream';

/** How a feed file is compressed. */
export type Compression = 'none' | 'gzip' | 'bzip2';

/** The compression a file name implies: `.gz` gzip, `.bz2` bzip2, else none. */
export function compressionOf(url: string): Compression {
  const path = url.split(/[?#]/)[0] ?? url;
  if (path.endsWith('.gz')) return 'gzip';
  if (path.endsWith('.bz2')) return 'bzip2';
  return 'none';
}

/**
 * Adapts `unbzip2-stream` (a classic "through" stream, which `pipeline`
 * cannot supervise reliably) to a Transform: errors and the end of input map
 * onto the Transform's callbacks, exactly once.
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

/** A decompressing Transform for `compression`, or `undefined` for none. */
export function decompressor(compression: Compression): Transform | undefined {
  switch (compression) {
    case 'gzip':
      return createGunzip();
    case 'bzip2':
      return createBunzip2();
    case 'none':
      return undefined;
  }
}
