/**
 * @module HTTP helpers the Debian and Ubuntu updaters share: a conditional
 * GET streamed to a file (hashing on the way), a HEAD probe and a capped text
 * read. Every failure becomes a catalogued `UPDATER_FETCH` error naming the
 * URL (and the status, for unexpected statuses), so the log line alone tells
 * an operator which upstream misbehaved.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { clairError, isClairError } from '../../lib/errors.js';
import type { HttpClient } from '../../lib/http-client.js';
import { conditionalHeaders, fingerprintOf, type FingerprintPreference } from './fingerprint.js';

/** The part of an updater or set context the helpers need. */
export interface FetchContext {
  http: HttpClient;
  signal: AbortSignal;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error && err.cause.message !== err.message ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

/** Rethrows a cancellation as is (the manager is stopping), else wraps as `UPDATER_FETCH`. */
function fetchFailure(ctx: FetchContext, err: unknown, message: string): unknown {
  if (ctx.signal.aborted || isClairError(err)) return err;
  return clairError('UPDATER_FETCH', `${message}: ${describe(err)}`, { cause: err });
}

/** Issues one request, turning network failures into `UPDATER_FETCH`. */
export async function request(ctx: FetchContext, url: string, init: RequestInit, component: string): Promise<Response> {
  try {
    return await ctx.http.fetch(url, { ...init, signal: ctx.signal });
  } catch (err) {
    throw fetchFailure(ctx, err, `${component}: error requesting ${url}`);
  }
}

/** The catalogued error for an unexpected status; cancels the body so the socket is freed. */
export async function statusError(res: Response, url: string, component: string): Promise<Error> {
  await res.body?.cancel().catch(() => {});
  return clairError('UPDATER_FETCH', `${component}: unexpected status requesting ${url}: ${`${res.status} ${res.statusText}`.trim()}`);
}

/** Counts and hashes the bytes passing through. */
class HashTap extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/** A conditional download's result: unchanged, or the new fingerprint and size. */
export type DownloadOutcome = { unchanged: true } | { unchanged: false; fingerprint: string; bytes: number };

/** How `downloadToFile` names errors and builds the fingerprint. */
export interface DownloadOptions {
  /** Prefix for error messages, e.g. `debian`. */
  component: string;
  /** The fingerprint of the previous run, if any. */
  previous: string | undefined;
  /** Which validator becomes the fingerprint (claircore: Last-Modified for Debian, ETag for Ubuntu). */
  prefer: FingerprintPreference;
  headers?: Record<string, string>;
}

/**
 * GETs `url` into `dest`, streaming. A 304 to the conditional request built
 * from `previous`, or a 200 whose validators give the same fingerprint, is
 * `unchanged` (the body is not read). Any other status but 200 is an error.
 * A body cut short rejects: the fetch body stream errors, and a shorter
 * Content-Length is checked too. The partial file is left for the manager to
 * remove with the run directory.
 */
export async function downloadToFile(ctx: FetchContext, url: string, dest: string, options: DownloadOptions): Promise<DownloadOutcome> {
  const { component, previous } = options;
  const res = await request(ctx, url, { headers: { ...options.headers, ...conditionalHeaders(previous) } }, component);
  if (res.status === 304 && previous !== undefined) {
    await res.body?.cancel().catch(() => {});
    return { unchanged: true };
  }
  if (res.status !== 200 || res.body === null) throw await statusError(res, url, component);
  const etag = res.headers.get('etag') ?? undefined;
  const lastModified = res.headers.get('last-modified') ?? undefined;
  const early = fingerprintOf(options.prefer, { etag, lastModified });
  if (early !== undefined && early === previous) {
    await res.body.cancel().catch(() => {});
    return { unchanged: true };
  }
  const tap = new HashTap();
  try {
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), tap, createWriteStream(dest));
  } catch (err) {
    throw fetchFailure(ctx, err, `${component}: download of ${url} failed after ${tap.bytes} bytes`);
  }
  // undici already rejects a body shorter than Content-Length; this guards other transports.
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (!res.headers.has('content-encoding') && Number.isFinite(declared) && declared !== tap.bytes) {
    throw clairError('UPDATER_FETCH', `${component}: download of ${url} is truncated: got ${tap.bytes} of ${declared} bytes`);
  }
  const fingerprint = early ?? fingerprintOf(options.prefer, { etag, lastModified, sha256: tap.hash.digest('hex') })!;
  if (fingerprint === previous) return { unchanged: true };
  return { unchanged: false, fingerprint, bytes: tap.bytes };
}

/** How `fetchText` names errors, what it tolerates and how much it reads. */
export interface TextOptions {
  component: string;
  headers?: Record<string, string>;
  /** Statuses returned to the caller instead of raising (e.g. 404 to skip). */
  tolerate?: readonly number[];
  /** Bytes kept at most; the rest of the body is cancelled. */
  maxBytes: number;
}

/**
 * GETs `url` and returns up to `maxBytes` of its body as UTF-8 text. 200 and
 * 206 are success; a tolerated status returns with empty text; anything else
 * raises. Used for small documents (indexes, Release heads, series lists).
 */
export async function fetchText(ctx: FetchContext, url: string, options: TextOptions): Promise<{ status: number; text: string; truncated: boolean; url: string }> {
  const res = await request(ctx, url, { headers: options.headers ?? {} }, options.component);
  const finalUrl = res.url || url;
  if (options.tolerate?.includes(res.status)) {
    await res.body?.cancel().catch(() => {});
    return { status: res.status, text: '', truncated: false, url: finalUrl };
  }
  if ((res.status !== 200 && res.status !== 206) || res.body === null) throw await statusError(res, url, options.component);
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      size += value.length;
      if (size >= options.maxBytes) {
        truncated = true;
        break;
      }
    }
  } catch (err) {
    throw fetchFailure(ctx, err, `${options.component}: reading ${url} failed after ${size} bytes`);
  } finally {
    if (truncated) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  const text = Buffer.concat(chunks).subarray(0, options.maxBytes).toString('utf8');
  return { status: res.status, text, truncated, url: finalUrl };
}

/** HEADs `url`: the status and headers, or the network error (a probe never throws for those). */
export async function probe(ctx: FetchContext, url: string, component: string): Promise<{ status: number; headers: Headers } | { error: Error }> {
  try {
    const res = await request(ctx, url, { method: 'HEAD' }, component);
    await res.body?.cancel().catch(() => {});
    return { status: res.status, headers: res.headers };
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return { error: err as Error };
  }
}
