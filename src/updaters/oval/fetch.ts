/**
 * @module Downloading one OVAL file into the updater's directory (claircore
 * `ovalutil.Fetcher`): a conditional GET with the previous fingerprint, 304
 * or an unchanged ETag → unchanged, any other non-200 → error, else the body
 * is decompressed as it streams to disk, so parsing reads plain XML (twice:
 * see `rpm.ts`) without holding it in memory.
 */
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { zstdDecompressor } from '../../indexer/layer/zstd.js';
import { decompressor, resolveCompression, type Compression, type CompressionSetting } from '../../lib/compression.js';
import { downloadToFile, type Wording } from '../download.js';
import type { FetchOutcome, UpdaterContext } from '../updater.js';
import { conditionalHeaders, formatFingerprint, nextFingerprint, parseFingerprint } from './fingerprint.js';

/** The decompressed document's name inside `ctx.dir`. */
export const OVAL_FILE = 'oval.xml';

/** What to fetch, and how it is compressed. */
export interface OvalFetchOptions {
  url: string;
  /** `auto` decides per response (Content-Type, then file name), as claircore. */
  compression: CompressionSetting;
  /** Prefix for error messages, e.g. the updater name. */
  component: string;
}

/**
 * How OVAL fetch errors read: `<component>: GET <url> failed: …`,
 * `… answered <status>`, `…: download failed (<compression> body): …`.
 */
export function ovalWording(component: string, compression: () => Compression = () => 'none'): Partial<Wording> {
  return {
    failed: (url, reason) => `${component}: GET ${url} failed: ${reason}`,
    status: (url, status, statusText) => `${component}: GET ${url} answered ${status}${statusText ? ` ${statusText}` : ''}`,
    download: (url, reason) => `${component}: GET ${url}: download failed (${compression()} body): ${reason}`,
    read: (url, reason) => `${component}: GET ${url} failed: ${reason}`,
  };
}

/** The bounded zstd decoder the layer fetcher uses. */
const zstd = (): Duplex => Duplex.from(zstdDecompressor());

/** Fetches `options.url` into `ctx.dir/oval.xml`, or reports it unchanged. */
export async function fetchOval(ctx: UpdaterContext, previous: string | undefined, options: OvalFetchOptions): Promise<FetchOutcome> {
  const { url, component } = options;
  const before = parseFingerprint(previous);
  ctx.log.debug({ url }, 'oval fetch start');
  let compression: Compression = 'none';
  const got = await downloadToFile(ctx, url, join(ctx.dir, OVAL_FILE), {
    component,
    wording: ovalWording(component, () => compression),
    headers: conditionalHeaders(before),
    // Some servers ignore the conditional request; the same ETag means the same as a 304.
    unchangedIf: ({ etag }) => before.etag !== '' && (etag ?? '') === before.etag,
    through: (res) => {
      compression = resolveCompression(options.compression, res.headers, res.url || url);
      return decompressor(compression, zstd);
    },
  });
  if (got.unchanged) {
    ctx.log.debug({ url }, 'oval fetch unchanged');
    return { unchanged: true };
  }
  const fingerprint = formatFingerprint(nextFingerprint(before, got.headers));
  ctx.log.debug({ url, fingerprint }, 'oval fetch done');
  return { unchanged: false, fingerprint };
}
