/**
 * @module Downloading one layer blob over HTTP(S), as claircore's fetcher:
 * a GET with the manifest's headers, redirects followed, 200 required.
 *
 * Transient failures (network errors, timeouts, 408, 429, 5xx) are retried
 * with backoff; other statuses fail at once with an error naming the status
 * and the layer digest. A destination the fetch policy denies fails at once
 * too, with the one message the policy gives whatever listens there. The
 * body is handed over wrapped so that a server sending it slower than the
 * minimum rate is abandoned. Messages never include header values, and URLs
 * are shown without query string or credentials (pre-signed blob URLs carry
 * secrets there). On a cross-origin redirect fetch drops Authorization, as
 * Go's http.Client does, which is what blob stores behind registries expect.
 */
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import type { Logger } from '../../lib/logger.js';
import { clairError, isClairError } from '../../lib/errors.js';
import { minRateBody } from './min-rate.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, sleep, type RetryPolicy } from './retry.js';

/** What the indexer knows about a layer: claircore's LayerDescription. */
export interface LayerDescription {
  /** `sha256:…` or `sha512:…` of the (compressed) blob. */
  digest: string;
  uri: string;
  /** Request headers, as in the Manifest (several values per name allowed). */
  headers?: Record<string, string[]> | undefined;
  /** The media type the manifest declares for the layer. */
  mediaType?: string | undefined;
}

export interface FetchLayerOptions {
  signal?: AbortSignal | undefined;
  /** Total tries per download, including the first (default 4). */
  attempts?: number | undefined;
  /** Delay before the first retry in ms, doubled each time, with jitter (default 1000). */
  baseDelayMs?: number | undefined;
  /** Ceiling of a retry delay in ms (default 30 000). */
  maxDelayMs?: number | undefined;
  /** A fetch implementation to use instead of the global one. */
  fetch?: typeof globalThis.fetch | undefined;
  /** A body slower than this many bytes per second over any window is abandoned (default: no minimum). */
  minBytesPerSecond?: number | undefined;
  /** That window in ms of waiting on the server (default 30 000). */
  rateWindowMs?: number | undefined;
  logger?: Logger | undefined;
}

/** A 200 response whose body is ready to stream. */
export interface LayerResponse {
  body: Readable;
  /** The Content-Type header, if any. */
  contentType: string | undefined;
  /** The Content-Length header, if any. */
  contentLength: number | undefined;
  /** The final URL after redirects, redacted. */
  url: string;
}

/** Retry settings from options, with defaults. */
export function retryPolicy(options: FetchLayerOptions): RetryPolicy {
  return {
    attempts: Math.max(1, options.attempts ?? DEFAULT_RETRY_POLICY.attempts),
    baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  };
}

/** GETs the layer blob, retrying transient failures; resolves with the 200 response. */
export async function fetchLayer(description: LayerDescription, options: FetchLayerOptions = {}): Promise<LayerResponse> {
  const { digest } = description;
  const { signal, logger } = options;
  const url = parseUri(description);
  const shown = redactUrl(url);
  const headers = toHeaders(description);
  const credentials = basicAuth(url);
  if (credentials !== undefined && !headers.has('authorization')) headers.set('authorization', credentials);
  const policy = retryPolicy(options);
  const doFetch = options.fetch ?? globalThis.fetch;

  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    let response: Response;
    try {
      response = await doFetch(url, { headers, redirect: 'follow', ...(signal === undefined ? {} : { signal }) });
    } catch (err) {
      signal?.throwIfAborted();
      const denied = deniedCause(err);
      if (denied !== undefined) {
        throw clairError('FETCH_DESTINATION_DENIED', `layer ${digest}: ${denied.message}`, { cause: denied });
      }
      if (err instanceof TypeError && err.cause === undefined) {
        // The request itself is invalid; its message may quote the URL, so it is not echoed.
        throw clairError('LAYER_FETCH', `layer ${digest}: GET ${shown} could not be sent (${err.name})`, { cause: err });
      }
      const reason = describeNetworkError(err);
      if (attempt >= policy.attempts) {
        throw clairError('LAYER_FETCH', `layer ${digest}: GET ${shown} failed after ${attempt} attempt(s): ${reason}`, { cause: err });
      }
      logger?.warn({ digest, attempt, reason }, 'layer fetch retry');
      await sleep(backoffDelay(attempt, policy), signal);
      continue;
    }

    if (response.status === 200) {
      const length = Number(response.headers.get('content-length') ?? Number.NaN);
      return {
        body: bodyOf(response.body as ReadableStream<Uint8Array> | null, options),
        contentType: response.headers.get('content-type') ?? undefined,
        contentLength: Number.isFinite(length) ? length : undefined,
        url: redactUrl(response.url === '' ? url : new URL(response.url)),
      };
    }

    await response.body?.cancel().catch(() => {});
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    if (!isTransient(response.status)) {
      throw clairError('LAYER_FETCH', `layer ${digest}: GET ${shown} answered ${status}${hint(response.status)}`);
    }
    if (attempt >= policy.attempts) {
      throw clairError('LAYER_FETCH', `layer ${digest}: GET ${shown} answered ${status} after ${attempt} attempt(s)`);
    }
    logger?.warn({ digest, attempt, status: response.status }, 'layer fetch retry');
    await sleep(backoffDelay(attempt, policy, parseRetryAfter(response.headers.get('retry-after'))), signal);
  }
}

function bodyOf(body: ReadableStream<Uint8Array> | null, options: FetchLayerOptions): Readable {
  if (body === null) return Readable.from([]);
  const min = options.minBytesPerSecond ?? 0;
  if (min <= 0) return Readable.fromWeb(body);
  return minRateBody(body, { minBytesPerSecond: min, windowMs: options.rateWindowMs });
}

/** The policy's denial behind a failed fetch: the connection was never made. */
function deniedCause(err: unknown): Error | undefined {
  if (isClairError(err, 'FETCH_DESTINATION_DENIED')) return err;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  return isClairError(cause, 'FETCH_DESTINATION_DENIED') ? cause : undefined;
}

/** Statuses worth another try: timeouts, rate limiting and server errors. */
export function isTransient(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

function hint(status: number): string {
  switch (status) {
    case 401:
      return ' (credentials missing or refused)';
    case 403:
      return ' (access denied)';
    case 404:
      return ' (no such blob)';
    default:
      return '';
  }
}

/**
 * Parses the URI. Userinfo becomes Basic credentials (as Go's http.Client
 * does with it) unless the headers already carry Authorization, since fetch
 * refuses URLs with credentials.
 */
function parseUri(description: LayerDescription): URL {
  let url: URL;
  try {
    url = new URL(description.uri);
  } catch (err) {
    throw clairError('LAYER_FETCH', `layer ${description.digest}: URI is not a valid URL`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw clairError('LAYER_FETCH', `layer ${description.digest}: URI scheme ${JSON.stringify(url.protocol)} is not supported`);
  }
  return url;
}

function basicAuth(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/** Manifest headers as fetch Headers: repeated values joined with ", " (Cookie with "; "). */
function toHeaders(description: LayerDescription): Headers {
  const headers = new Headers();
  for (const [name, values] of Object.entries(description.headers ?? {})) {
    if (values.length === 0) continue;
    try {
      if (name.toLowerCase() === 'cookie') headers.set(name, values.join('; '));
      else for (const value of values) headers.append(name, value);
    } catch (err) {
      // The value may be a secret: name only the header.
      throw clairError('LAYER_FETCH', `layer ${description.digest}: request header ${JSON.stringify(name)} is invalid`, { cause: err });
    }
  }
  return headers;
}

/** Scheme, host and path only: query strings and userinfo often hold credentials. */
export function redactUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** What the per-attempt deadlines' errors mean, naming the setting. */
const TIMEOUTS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout: no connection in time (indexer.layer_fetch.connect_timeout)',
  UND_ERR_HEADERS_TIMEOUT: 'response timeout: no response headers in time (indexer.layer_fetch.response_timeout)',
  UND_ERR_BODY_TIMEOUT: 'body timeout: the body stopped arriving (indexer.layer_fetch.min_bytes_per_second)',
};

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return TIMEOUTS[cause.code] ?? cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
