/**
 * @module The updaters' one download kit, on the shared HTTP client
 * (`ctx.http`): a request whose failures and unexpected statuses become
 * catalogued `UPDATER_FETCH` errors naming the URL (without its query string
 * or credentials) and the status; conditional downloads streamed to a file
 * (If-None-Match / If-Modified-Since, a 304 or an unchanged validator →
 * unchanged) with a hashing tap and an optional size cap; small text
 * documents read under a byte cap; and a HEAD probe.
 *
 * Messages read `<component>: error requesting <url>: <reason>`,
 * `<component>: unexpected status requesting <url>: <status>` and so on; a
 * caller whose operators (and tests) know other wording passes its own
 * {@link Wording}. A cancellation of the context's signal (the manager is
 * stopping) is rethrown as is, never dressed up as a fetch failure.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform, type Duplex, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { clairError, isClairError } from '../lib/errors.js';
import type { HttpClient } from '../lib/http-client.js';
import { conditionalHeaders, fingerprintOf, type FingerprintPreference } from './fingerprint.js';

/** What the kit needs of an updater or set context. */
export interface FetchContext {
  http: HttpClient;
  signal: AbortSignal;
}

/** The messages of a caller's `UPDATER_FETCH` errors; every URL given is already stripped of query and credentials. */
export interface Wording {
  /** No response: a network failure, a timeout, a refused destination. */
  failed(url: string, reason: string): string;
  /** A status the caller did not accept. */
  status(url: string, status: number, statusText: string): string;
  /** A download to a file that broke off (or was refused) after `bytes` bytes. */
  download(url: string, reason: string, bytes: number): string;
  /** A text body that broke off (or was refused) after `bytes` bytes. */
  read(url: string, reason: string, bytes: number): string;
}

/** The default wording for `component`, with any of its messages replaced. */
export function wording(component: string, overrides: Partial<Wording> = {}): Wording {
  return {
    failed: (url, reason) => `${component}: error requesting ${url}: ${reason}`,
    status: (url, status, statusText) => `${component}: unexpected status requesting ${url}: ${`${status} ${statusText}`.trim()}`,
    download: (url, reason, bytes) => `${component}: download of ${url} failed after ${bytes} bytes: ${reason}`,
    read: (url, reason, bytes) => `${component}: reading ${url} failed after ${bytes} bytes: ${reason}`,
    ...overrides,
  };
}

/** How every helper names its errors. */
export interface Naming {
  /** Prefix for error messages, e.g. the updater name. */
  component: string;
  /** Messages replacing the default {@link wording}. */
  wording?: Partial<Wording> | undefined;
}

/** The URL as error messages show it: no credentials, query string or fragment. */
export function displayUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return String(url).split(/[?#]/)[0] ?? '';
  }
  u.username = '';
  u.password = '';
  u.search = '';
  u.hash = '';
  return u.href;
}

/** The error's message, plus its cause's when that adds something (undici's "fetch failed" hides the reason in `cause`). */
function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
  return cause === '' || message.includes(cause) ? message : `${message}: ${cause}`;
}

/** A cancellation of the run as is; anything else as `UPDATER_FETCH` with `message`. */
function failure(ctx: FetchContext, err: unknown, message: string): unknown {
  if (ctx.signal.aborted) return err;
  return clairError('UPDATER_FETCH', message, { cause: err });
}

/** How {@link request} sends and what it accepts. */
export interface RequestOptions extends Naming {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string> | undefined;
  /** Statuses that resolve (default 200 only); any other is an `UPDATER_FETCH` error. */
  accept?: readonly number[] | undefined;
  /** Replaces the context's signal for this request, e.g. with a tighter deadline. */
  signal?: AbortSignal | undefined;
}

/** Sends one request; a network failure becomes `UPDATER_FETCH` (catalogued errors, such as a refused destination, pass as they are). */
async function send(ctx: FetchContext, url: string | URL, options: RequestOptions): Promise<Response> {
  try {
    return await ctx.http.fetch(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, signal: options.signal ?? ctx.signal });
  } catch (err) {
    if (isClairError(err)) throw err;
    throw failure(ctx, err, wording(options.component, options.wording).failed(displayUrl(url), reason(err)));
  }
}

/** The catalogued error for an unexpected status; cancels the body so the socket is freed. */
async function statusError(res: Response, url: string | URL, naming: Naming): Promise<Error> {
  await res.body?.cancel().catch(() => {});
  return clairError('UPDATER_FETCH', wording(naming.component, naming.wording).status(displayUrl(url), res.status, res.statusText));
}

/**
 * Issues one request and resolves with the response when its status is
 * accepted.
 *
 * @throws ClairError `CLAIR_ERR_UPDATER_FETCH` for network failures and other statuses.
 */
export async function request(ctx: FetchContext, url: string | URL, options: RequestOptions): Promise<Response> {
  const res = await send(ctx, url, options);
  if (!(options.accept ?? [200]).includes(res.status)) throw await statusError(res, url, options);
  return res;
}

/** HEADs `url`: the status and headers, or the network error (a probe throws only when the run is cancelled). */
export async function probe(ctx: FetchContext, url: string | URL, naming: Naming): Promise<{ status: number; headers: Headers } | { error: Error }> {
  try {
    const res = await send(ctx, url, { ...naming, method: 'HEAD' });
    await res.body?.cancel().catch(() => {});
    return { status: res.status, headers: res.headers };
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return { error: err as Error };
  }
}

/** Counts and hashes the bytes passing through, refusing more than a cap. */
export class HashTap extends Transform {
  readonly hash: Hash;
  readonly #maxBytes: number;
  bytes = 0;

  /** `algorithm` is a node:crypto name (default sha256); `maxBytes` defaults to no cap. */
  constructor(algorithm = 'sha256', maxBytes = Infinity) {
    super();
    this.hash = createHash(algorithm);
    this.#maxBytes = maxBytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.bytes + chunk.length > this.#maxBytes) {
      done(new Error(`body larger than ${this.#maxBytes} bytes`));
      return;
    }
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/** A response's validators. */
export interface Validators {
  etag: string | undefined;
  lastModified: string | undefined;
}

/** How a body is stored: hashed, capped, perhaps transformed. */
export interface SaveOptions extends Naming {
  /** Extra request headers. */
  headers?: Record<string, string> | undefined;
  /** Digest algorithm for `digest` (node:crypto name); default sha256. */
  algorithm?: string | undefined;
  /** Bytes of body refused past this (default: no cap). */
  maxBytes?: number | undefined;
  /** A stage between the hashed body and the file (e.g. a decompressor), chosen once the response is in. */
  through?: ((res: Response) => Duplex | undefined) | undefined;
  /** Replaces the context's signal for this download, e.g. with a tighter deadline. */
  signal?: AbortSignal | undefined;
}

/** A body stored in a file. */
export interface Downloaded extends Validators {
  /** Hex digest of the body as it came (before any `through` stage). */
  digest: string;
  bytes: number;
  headers: Headers;
  /** The URL answered from, after redirects. */
  url: string;
}

/**
 * Streams a 200's body into `dest`, hashing it. A body cut short rejects
 * (the fetch body stream errors, and a Content-Length the body falls short
 * of is checked too); the partial file is left for the manager to remove
 * with the run directory.
 */
async function save(ctx: FetchContext, res: Response, url: string | URL, dest: string, options: SaveOptions): Promise<Downloaded> {
  const words = wording(options.component, options.wording);
  const shown = displayUrl(url);
  const tap = new HashTap(options.algorithm, options.maxBytes);
  try {
    const body = res.body === null ? Readable.from([]) : Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
    const through = options.through?.(res);
    const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream> = [body, tap, ...(through ? [through] : []), createWriteStream(dest)];
    await pipeline(stages, { signal: options.signal ?? ctx.signal });
  } catch (err) {
    throw failure(ctx, err, words.download(shown, reason(err), tap.bytes));
  }
  // undici already rejects a body shorter than Content-Length; this guards other transports.
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (!res.headers.has('content-encoding') && Number.isFinite(declared) && declared !== tap.bytes) {
    throw clairError('UPDATER_FETCH', words.download(shown, `truncated: got ${tap.bytes} of ${declared} bytes`, tap.bytes));
  }
  const validators: Validators = { etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined };
  return { ...validators, digest: tap.hash.digest('hex'), bytes: tap.bytes, headers: res.headers, url: res.url || String(url) };
}

/**
 * GETs `url` into `dest`, streaming and hashing; any status but 200 is an
 * error.
 *
 * @throws ClairError `CLAIR_ERR_UPDATER_FETCH` for network failures, other statuses and broken or oversized bodies.
 */
export async function download(ctx: FetchContext, url: string | URL, dest: string, options: SaveOptions): Promise<Downloaded> {
  return save(ctx, await request(ctx, url, options), url, dest, options);
}

/** How {@link downloadToFile} asks and decides "unchanged". */
export interface ConditionalOptions extends SaveOptions {
  /** Sent as If-None-Match. */
  etag?: string | undefined;
  /** Sent as If-Modified-Since. */
  lastModified?: string | undefined;
  /** A 304 means `unchanged` (the default) or, when nothing conditional was asked, is an unexpected status. */
  notModified?: 'unchanged' | 'error' | undefined;
  /**
   * Called with a 200's validators before its body is read; true means
   * unchanged (a server ignoring the conditional request, as claircore
   * treats a 200 with the previous ETag).
   */
  unchangedIf?: ((validators: Validators) => boolean) | undefined;
}

/** A conditional download's result. */
export type DownloadOutcome = { unchanged: true } | ({ unchanged: false } & Downloaded);

/**
 * {@link download}, conditionally: a 304, or a 200 that `unchangedIf`
 * recognises, is `unchanged` (the body is not read).
 *
 * @throws ClairError `CLAIR_ERR_UPDATER_FETCH` for network failures, other statuses and broken or oversized bodies.
 */
export async function downloadToFile(ctx: FetchContext, url: string | URL, dest: string, options: ConditionalOptions): Promise<DownloadOutcome> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  const res = await request(ctx, url, { ...options, headers, accept: options.notModified === 'error' ? [200] : [200, 304] });
  if (res.status === 304 || options.unchangedIf?.({ etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined })) {
    await res.body?.cancel().catch(() => {});
    return { unchanged: true };
  }
  return { unchanged: false, ...(await save(ctx, res, url, dest, options)) };
}

/** How {@link downloadFingerprinted} names errors and builds the fingerprint. */
export interface FingerprintedOptions extends Naming {
  /** The fingerprint of the previous run, if any. */
  previous: string | undefined;
  /** Which validator becomes the fingerprint (claircore: Last-Modified for Debian, ETag for Ubuntu). */
  prefer: FingerprintPreference;
}

/**
 * {@link downloadToFile} fingerprinted by the response's validators (see
 * `fingerprint.ts`): conditional on `previous`, unchanged on a 304 to it or
 * when the validators (or, lacking them, the body digest) give the same
 * fingerprint again. A 304 when there is no previous fingerprint is an error.
 */
export async function downloadFingerprinted(
  ctx: FetchContext,
  url: string | URL,
  dest: string,
  options: FingerprintedOptions,
): Promise<{ unchanged: true } | { unchanged: false; fingerprint: string; bytes: number }> {
  const { previous, prefer } = options;
  const got = await downloadToFile(ctx, url, dest, {
    component: options.component,
    wording: options.wording,
    headers: conditionalHeaders(previous),
    notModified: previous === undefined ? 'error' : 'unchanged',
    unchangedIf: (v) => {
      const early = fingerprintOf(prefer, v);
      return early !== undefined && early === previous;
    },
  });
  if (got.unchanged) return got;
  const fingerprint = fingerprintOf(prefer, { etag: got.etag, lastModified: got.lastModified, sha256: got.digest })!;
  if (fingerprint === previous) return { unchanged: true };
  return { unchanged: false, fingerprint, bytes: got.bytes };
}

/** How {@link fetchText} asks, what it tolerates and how much it reads. */
export interface TextOptions extends Naming {
  headers?: Record<string, string> | undefined;
  /** Sent as If-None-Match. */
  etag?: string | undefined;
  /** Statuses read as text (default 200 only; add 206 for a range request). */
  accept?: readonly number[] | undefined;
  /** Statuses returned to the caller with empty text instead of raising (a 304, a 404 to skip). */
  tolerate?: readonly number[] | undefined;
  /** Bytes of body read at most. */
  maxBytes: number;
  /** Past `maxBytes`: reject (the default), or keep the first `maxBytes` and flag `truncated`. */
  overflow?: 'fail' | 'truncate' | undefined;
}

/** A text document as {@link fetchText} read it. */
export interface TextResult {
  status: number;
  text: string;
  /** The body reached `maxBytes` and the rest was not read (`overflow: 'truncate'`). */
  truncated: boolean;
  /** The URL answered from, after redirects. */
  url: string;
  etag: string | undefined;
}

/**
 * GETs a small text document (an index, a stamp, a mirror list), reading at
 * most `maxBytes` of it as UTF-8 so a misbehaving server cannot make us
 * buffer a large body.
 *
 * @throws ClairError `CLAIR_ERR_UPDATER_FETCH` for network failures, statuses neither accepted nor tolerated, and broken (or, with `overflow: 'fail'`, oversized) bodies.
 */
export async function fetchText(ctx: FetchContext, url: string | URL, options: TextOptions): Promise<TextResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.etag) headers['if-none-match'] = options.etag;
  const tolerate = options.tolerate ?? [];
  const res = await request(ctx, url, { ...options, headers, accept: [...(options.accept ?? [200]), ...tolerate] });
  const finalUrl = res.url || String(url);
  const etag = res.headers.get('etag') ?? undefined;
  if (tolerate.includes(res.status) || res.body === null) {
    await res.body?.cancel().catch(() => {});
    return { status: res.status, text: '', truncated: false, url: finalUrl, etag };
  }
  const { maxBytes } = options;
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (options.overflow !== 'truncate' && size > maxBytes) throw new Error(`body larger than ${maxBytes} bytes`);
      chunks.push(Buffer.from(value));
      if (options.overflow === 'truncate' && size >= maxBytes) {
        truncated = true;
        break;
      }
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw failure(ctx, err, wording(options.component, options.wording).read(displayUrl(url), reason(err), size));
  } finally {
    if (truncated) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  const text = Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
  return { status: res.status, text, truncated, url: finalUrl, etag };
}
