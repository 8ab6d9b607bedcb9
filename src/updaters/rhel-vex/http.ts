/**
 * @module HTTP for the VEX updater, on the shared client (`ctx.http`): GETs
 * whose failures become `CLAIR_ERR_UPDATER_FETCH` naming the URL, and
 * spooling bodies to files so nothing large is held in memory.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { clairError, isClairError } from '../../lib/errors.js';
import type { UpdaterContext } from '../updater.js';

function fetchFailed(url: URL, err: unknown): Error {
  if (isClairError(err)) return err;
  const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : (err as Error).message;
  return clairError('UPDATER_FETCH', `rhel-vex: fetching ${url.href} failed: ${reason}`, { cause: err });
}

/**
 * GETs `url`, resolving only for one of the `accept`ed statuses.
 *
 * @throws ClairError `CLAIR_ERR_UPDATER_FETCH` for network failures and other statuses.
 */
export async function get(ctx: UpdaterContext, url: URL, options: { headers?: Record<string, string>; accept?: readonly number[]; signal?: AbortSignal } = {}): Promise<Response> {
  const accept = options.accept ?? [200];
  let res: Response;
  try {
    res = await ctx.http.fetch(url, { headers: options.headers ?? {}, signal: options.signal ?? ctx.signal });
  } catch (err) {
    throw fetchFailed(url, err);
  }
  if (!accept.includes(res.status)) {
    await res.body?.cancel().catch(() => {});
    throw clairError('UPDATER_FETCH', `rhel-vex: unexpected status ${res.status} fetching ${url.href}`);
  }
  return res;
}

/**
 * Streams a response body into `file` (creating its directory).
 *
 * @throws ClairError `CLAIR_ERR_UPDATER_FETCH` when the body is cut short or the file cannot be written.
 */
export async function spool(res: Response, url: URL, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  try {
    if (res.body === null) throw new Error('empty response body');
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(file));
  } catch (err) {
    throw fetchFailed(url, err);
  }
}

/** Reads a small text body (e.g. `archive_latest.txt`). */
export async function text(res: Response, url: URL): Promise<string> {
  try {
    return await res.text();
  } catch (err) {
    throw fetchFailed(url, err);
  }
}
