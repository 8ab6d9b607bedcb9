/**
 * @module HTTP helpers the secdb and ALAS updaters share: a conditional GET
 * streamed to a file (hashing on the way), a HEAD probe, and a small capped
 * text read. Every failure becomes a catalogued `UPDATER_FETCH` error naming
 * the URL (and the status, for unexpected statuses), so an operator can tell
 * which upstream misbehaved from the log line alone.
 *
 * The AWS updater imports this too; it lives here only because updater
 * folders are owned separately. It belongs in a shared updaters module.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { clairError, isClairError } from '../../lib/errors.js';
import type { UpdaterContext } from '../updater.js';

/** What a conditional download produced. */
export type DownloadOutcome =
  | { status: 'not-modified' }
  | { status: 'downloaded'; etag: string | undefined; lastModified: string | undefined; digest: string; bytes: number };

export interface DownloadOptions {
  /** Prefix for error messages, e.g. the updater name. */
  component: string;
  /** Sent as `If-None-Match`. */
  etag?: string | undefined;
  /** Digest algorithm for `digest` (node:crypto name); default `sha256`. */
  algorithm?: string;
  /**
   * Called with the response's ETag before the body is read; returning true
   * skips the body (claircore treats a 200 with the previous ETag as unchanged).
   */
  skipIf?: (etag: string | undefined) => boolean;
}

/** Transform that feeds every chunk through a hash and counts bytes. */
class HashTap extends Transform {
  readonly hash: Hash;
  bytes = 0;
  constructor(algorithm: string) {
    super();
    this.hash = createHash(algorithm);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

/** What a request needs from an updater or set context. */
export type RequestContext = Pick<UpdaterContext, 'http' | 'signal'>;

/** Issues a request, turning network failures into `UPDATER_FETCH`. */
export async function request(ctx: RequestContext, url: string | URL, init: RequestInit, component: string): Promise<Response> {
  try {
    return await ctx.http.fetch(url, { ...init, signal: ctx.signal });
  } catch (err) {
    if (isClairError(err)) throw err;
    throw clairError('UPDATER_FETCH', `${component}: error requesting ${String(url)}: ${describe(err)}`, { cause: err });
  }
}

/** The catalogued error for an unexpected status; drains the body so the socket is freed. */
export async function statusError(res: Response, url: string | URL, component: string): Promise<Error> {
  await res.body?.cancel().catch(() => {});
  return clairError('UPDATER_FETCH', `${component}: unexpected status requesting ${String(url)}: ${res.status} ${res.statusText}`.trimEnd());
}

/**
 * GETs `url` into `dest`, streaming and hashing. A 304 (to `etag`) is
 * `not-modified`; any status but 200 and 304 is an error. A body cut short
 * rejects (the fetch body stream errors), and the partial file is left for
 * the manager to remove with the run directory.
 */
export async function downloadToFile(ctx: UpdaterContext, url: string | URL, dest: string, options: DownloadOptions): Promise<DownloadOutcome> {
  const headers = new Headers();
  if (options.etag) headers.set('if-none-match', options.etag);
  const res = await request(ctx, url, { headers }, options.component);
  if (res.status === 304) {
    await res.body?.cancel().catch(() => {});
    return { status: 'not-modified' };
  }
  if (res.status !== 200 || res.body === null) throw await statusError(res, url, options.component);
  const etag = res.headers.get('etag') ?? undefined;
  if (options.skipIf?.(etag)) {
    await res.body.cancel().catch(() => {});
    return { status: 'not-modified' };
  }
  const tap = new HashTap(options.algorithm ?? 'sha256');
  try {
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), tap, createWriteStream(dest));
  } catch (err) {
    throw clairError('UPDATER_FETCH', `${options.component}: download of ${String(url)} failed: ${describe(err)}`, { cause: err });
  }
  return { status: 'downloaded', etag, lastModified: res.headers.get('last-modified') ?? undefined, digest: tap.hash.digest('hex'), bytes: tap.bytes };
}

/** HEADs `url` and returns the status (the body, if any, is discarded). */
export async function headStatus(ctx: RequestContext, url: string | URL, component: string): Promise<number> {
  const res = await request(ctx, url, { method: 'HEAD' }, component);
  await res.body?.cancel().catch(() => {});
  return res.status;
}

/**
 * GETs a small text document (a `last-update` stamp, a mirror list, a
 * repomd.xml), refusing more than `limit` bytes so a misbehaving server
 * cannot make us buffer a large body.
 */
export async function fetchSmallText(
  ctx: RequestContext,
  url: string | URL,
  component: string,
  options: { etag?: string | undefined; limit?: number } = {},
): Promise<{ status: 200; text: string; etag: string | undefined } | { status: 304 }> {
  const headers = new Headers();
  if (options.etag) headers.set('if-none-match', options.etag);
  const res = await request(ctx, url, { headers }, component);
  if (res.status === 304) {
    await res.body?.cancel().catch(() => {});
    return { status: 304 };
  }
  if (res.status !== 200 || res.body === null) throw await statusError(res, url, component);
  const limit = options.limit ?? 4 * 1024 * 1024; // 4 MiB: these documents are a few KiB
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of Readable.fromWeb(res.body as WebReadableStream<Uint8Array>)) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new Error(`body larger than ${limit} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    await res.body.cancel().catch(() => {});
    throw clairError('UPDATER_FETCH', `${component}: reading ${String(url)} failed: ${describe(err)}`, { cause: err });
  }
  return { status: 200, text: Buffer.concat(chunks).toString('utf8'), etag: res.headers.get('etag') ?? undefined };
}
