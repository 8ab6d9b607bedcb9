/**
 * @module Downloading one OVAL file into the updater's directory (claircore
 * `ovalutil.Fetcher`): a conditional GET with the previous fingerprint, 304
 * or an unchanged ETag → unchanged, any other non-200 → error, else the body
 * is decompressed as it streams to disk, so parsing reads plain XML (twice:
 * see `rpm.ts`) without holding it in memory.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { clairError, isClairError } from '../../lib/errors.js';
import type { FetchOutcome, UpdaterContext } from '../updater.js';
import { decompressor, resolveCompression, type CompressionSetting } from './decompress.js';
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

/** The error's message, plus its cause's when that adds something (undici's "fetch failed" hides the reason in `cause`). */
function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
  return cause === '' || message.includes(cause) ? message : `${message}: ${cause}`;
}

/** Fetches `options.url` into `ctx.dir/oval.xml`, or reports it unchanged. */
export async function fetchOval(ctx: UpdaterContext, previous: string | undefined, options: OvalFetchOptions): Promise<FetchOutcome> {
  const { url, component } = options;
  const before = parseFingerprint(previous);
  ctx.log.debug({ url }, 'oval fetch start');
  let res: Response;
  try {
    res = await ctx.http.fetch(url, { headers: conditionalHeaders(before), signal: ctx.signal });
  } catch (err) {
    if (isClairError(err)) throw err;
    throw clairError('UPDATER_FETCH', `${component}: GET ${url} failed: ${reason(err)}`, { cause: err });
  }
  const etag = res.headers.get('etag') ?? '';
  if (res.status === 304 || (res.status === 200 && before.etag !== '' && etag === before.etag)) {
    await res.body?.cancel().catch(() => {});
    ctx.log.debug({ url }, 'oval fetch unchanged');
    return { unchanged: true };
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => {});
    const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    throw clairError('UPDATER_FETCH', `${component}: GET ${url} answered ${status}`);
  }
  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream | Transform> = [
    res.body === null ? Readable.from([]) : Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
  ];
  const compression = resolveCompression(options.compression, res.headers, res.url || url);
  const inflate = decompressor(compression);
  if (inflate !== undefined) stages.push(inflate);
  stages.push(createWriteStream(join(ctx.dir, OVAL_FILE)));
  try {
    await pipeline(stages, { signal: ctx.signal });
  } catch (err) {
    throw clairError('UPDATER_FETCH', `${component}: GET ${url}: download failed (${compression} body): ${reason(err)}`, { cause: err });
  }
  const fingerprint = formatFingerprint(nextFingerprint(before, res.headers));
  ctx.log.debug({ url, fingerprint }, 'oval fetch done');
  return { unchanged: false, fingerprint };
}
