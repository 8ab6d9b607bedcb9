/**
 * @module Red Hat's mapping files, kept in memory and refreshed (claircore
 * `rhel/internal/common.Updater`): the repository-to-CPE map the RHEL
 * repository scanner needs and the container-name-to-repositories map the
 * container scanner needs. Both are JSON documents Red Hat publishes, read
 * from a URL, a local file, or a local file refreshed from a URL.
 *
 * Behaviour, as claircore's:
 * - the first use fetches the URL; later uses refetch once the refresh
 *   interval (24 h) has passed, conditionally (`If-Modified-Since`, plus
 *   `If-None-Match` here), so an unchanged file costs a 304;
 * - a failed fetch keeps the copy held (from an earlier fetch or the file)
 *   and the caller goes on with it;
 * - with no copy at all the caller gets an error, so the layer's scan fails
 *   rather than silently reporting no repositories (which would hide every
 *   RHEL vulnerability of the image).
 *
 * Unlike claircore, which after a failed first fetch waits the whole 24 h
 * interval (failing every scan meanwhile), a failed fetch with no copy held
 * is retried after {@link MappingOptions.retryAfterFailureMs} (1 min).
 * Every fetch is bounded by the configured timeout, body included, and
 * concurrent callers share one request.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { parseDurationNanos } from '../../config/duration.js';
import type { Lint } from '../../lib/config-lint.js';
import { clairError, isClairError, type ClairError } from '../../lib/errors.js';

/** The fetch function used, shaped like the global `fetch` (so a shared HTTP client can be injected). */
export type FetchLike = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<Response>;

/** Default refresh interval of a fetched mapping, as claircore's `interval` (24 h). */
export const DEFAULT_REFRESH_INTERVAL_MS = 24 * 60 * 60 * 1000; // 24 h
/** Default wait before retrying a failed fetch when no copy is held (1 min). */
export const DEFAULT_RETRY_AFTER_FAILURE_MS = 60 * 1000; // 1 min
/** Default timeout of a mapping fetch, claircore's `Timeout` default (10 s). */
export const DEFAULT_MAPPING_TIMEOUT_MS = 10 * 1000; // 10 s
/** Largest mapping document accepted, fetched or read (64 MiB; Red Hat's are a few MiB). */
export const MAPPING_SIZE_LIMIT = 64 * 1024 * 1024; // 64 MiB

/** Where and how one mapping document is obtained. */
export interface MappingOptions<T> {
  /** What the errors name, e.g. `rhel: repository-to-CPE mapping`. */
  what: string;
  /** URL to fetch and refresh from; `''` or absent for none. */
  url?: string;
  /** Local file (plain or gzip JSON) holding the initial copy. */
  file?: string;
  /** Bound on each fetch, headers and body, in ms. */
  timeoutMs: number;
  /** Turns the parsed JSON into the mapping; throws on a document of the wrong shape. */
  decode: (json: unknown) => T;
  /** Refetch interval after a successful fetch, in ms (default 24 h). */
  refreshIntervalMs?: number;
  /** Refetch interval after a failed fetch while no copy is held, in ms (default 1 min). */
  retryAfterFailureMs?: number;
  /** The fetch to use (default the global `fetch`). */
  fetch?: FetchLike;
  /** Clock, in ms (default `Date.now`); for tests. */
  now?: () => number;
}

/** A mapping document kept current from a URL and/or a file. */
export class UpdatingMapping<T> {
  readonly #o: MappingOptions<T>;
  #value: T | undefined;
  #fileLoaded = false;
  #etag = '';
  #lastModified = '';
  #lastAttempt: number | undefined;
  #lastOk = false;
  #lastError: unknown;
  #inflight: Promise<void> | undefined;

  constructor(options: MappingOptions<T>) {
    this.#o = options;
  }

  /**
   * The current mapping, refreshing it first when due. Resolves with a stale
   * copy when a refresh fails; rejects only when no copy can be had.
   *
   * @throws {ClairError} `RHEL_MAPPING_UNAVAILABLE` when neither the file nor
   *   the URL yields a mapping; the cause is the underlying failure.
   */
  async get(signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.#o.file && !this.#fileLoaded) await this.#loadFile();
    // A fetch under way is joined even when, having started, it no longer looks due.
    if (this.#o.url && (this.#inflight !== undefined || this.#due())) {
      this.#inflight ??= this.#refresh().finally(() => {
        this.#inflight = undefined;
      });
      await waitFor(this.#inflight, signal);
    }
    if (this.#value !== undefined) return this.#value;
    throw unavailable(`${this.#o.what}: no mapping available`, this.#lastError);
  }

  #due(): boolean {
    if (this.#lastAttempt === undefined) return true;
    const elapsed = (this.#o.now ?? Date.now)() - this.#lastAttempt;
    const wait =
      this.#lastOk || this.#value !== undefined
        ? (this.#o.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS)
        : (this.#o.retryAfterFailureMs ?? DEFAULT_RETRY_AFTER_FAILURE_MS);
    return elapsed >= wait;
  }

  async #loadFile(): Promise<void> {
    const path = this.#o.file!;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (cause) {
      throw unavailable(`${this.#o.what}: unable to read ${JSON.stringify(path)}`, cause);
    }
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = gunzipSync(bytes, { maxOutputLength: MAPPING_SIZE_LIMIT });
      } catch (cause) {
        throw unavailable(`${this.#o.what}: unable to decompress ${JSON.stringify(path)}`, cause);
      }
    } else if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0xfd2fb528) {
      // claircore also reads zstd; Node 20's zlib has no zstd decoder.
      throw unavailable(`${this.#o.what}: ${JSON.stringify(path)} is zstd-compressed; use plain or gzip JSON`);
    }
    this.#value = this.#decode(bytes.toString('utf8'), path);
    this.#fileLoaded = true;
  }

  async #refresh(): Promise<void> {
    this.#lastAttempt = (this.#o.now ?? Date.now)();
    try {
      await this.#fetch();
      this.#lastOk = true;
      this.#lastError = undefined;
    } catch (err) {
      this.#lastOk = false;
      this.#lastError = err;
    }
  }

  async #fetch(): Promise<void> {
    const url = this.#o.url!;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#etag !== '') headers['if-none-match'] = this.#etag;
    if (this.#lastModified !== '') headers['if-modified-since'] = this.#lastModified;
    const signal = AbortSignal.timeout(this.#o.timeoutMs);
    let res: Response;
    try {
      res = await (this.#o.fetch ?? fetch)(url, { headers, signal });
    } catch (cause) {
      throw unavailable(`${this.#o.what}: unable to fetch ${url}`, cause);
    }
    if (res.status === 304 && this.#value !== undefined) {
      await res.body?.cancel();
      return;
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => {});
      throw unavailable(`${this.#o.what}: unexpected status ${res.status} fetching ${url}`);
    }
    let text: string;
    try {
      text = await readBody(res, MAPPING_SIZE_LIMIT);
    } catch (cause) {
      throw isClairError(cause) ? cause : unavailable(`${this.#o.what}: unable to read ${url}`, cause);
    }
    this.#value = this.#decode(text, url);
    this.#etag = res.headers.get('etag') ?? '';
    this.#lastModified = res.headers.get('last-modified') ?? '';
  }

  #decode(text: string, from: string): T {
    try {
      return this.#o.decode(JSON.parse(text));
    } catch (cause) {
      throw unavailable(`${this.#o.what}: failed to decode mapping file ${JSON.stringify(from)}`, cause);
    }
  }
}

function unavailable(message: string, cause?: unknown): ClairError {
  return clairError('RHEL_MAPPING_UNAVAILABLE', message, cause === undefined ? {} : { cause });
}

/** Waits for `p`, but gives up as soon as the caller's scan is cancelled (the shared fetch goes on). */
function waitFor(p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return p;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Reads a response body as UTF-8, refusing more than `limit` bytes. */
async function readBody(res: Response, limit: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await res.body?.cancel();
    throw unavailable(`mapping: response of ${declared} bytes exceeds the limit of ${limit}`);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw unavailable(`mapping: response exceeds the limit of ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A scanner's mapping settings, read from its `indexer.scanner.*.<name>` config entry. */
export interface MappingConfig {
  url: string;
  file: string;
  timeoutMs: number;
}

/**
 * Reads a scanner config object the way claircore's `Configure` does: with
 * neither URL nor file the default URL is used; a file alone is consulted
 * exclusively; a file and a URL seed from the file and refresh from the URL.
 * `timeout` is a Go duration string (`"10s"`) or, as Go's JSON decoding of a
 * `time.Duration`, integer nanoseconds; 0 or absent means 10 s. `path` is the
 * block's dotted config path, which errors name.
 *
 * @throws {ClairError} `CONFIG_INVALID` when a key has the wrong type.
 */
export function mappingConfig(path: string, raw: unknown, keys: { url: string; file: string }, defaultUrl: string): MappingConfig {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw clairError('CONFIG_INVALID', `config: ${path}: must be a mapping`);
  }
  const cfg = (raw ?? {}) as Record<string, unknown>;
  const str = (key: string): string => {
    const v = cfg[key];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw clairError('CONFIG_INVALID', `config: ${path}.${key}: must be a string`);
    return v;
  };
  let url = str(keys.url);
  const file = str(keys.file);
  if (url === '' && file === '') url = defaultUrl;
  return { url, file, timeoutMs: timeoutMs(path, cfg['timeout']) };
}

/**
 * The checks `clair -check` and start-up run on a mapping scanner's block:
 * {@link mappingConfig}'s errors, and a lint for each key it does not read
 * (`disable_api` is accepted and ignored, as claircore does).
 */
export function checkMappingConfig(path: string, raw: unknown, keys: { url: string; file: string }): Lint[] {
  mappingConfig(path, raw, keys, '');
  const known = new Set([keys.url, keys.file, 'timeout', 'disable_api']);
  return Object.keys((raw ?? {}) as object)
    .filter((k) => !known.has(k))
    .map((k) => ({ path: `${path}.${k}`, message: 'unknown key; ignored' }));
}

function timeoutMs(path: string, v: unknown): number {
  let ns: bigint;
  if (v === undefined || v === null) return DEFAULT_MAPPING_TIMEOUT_MS;
  if (typeof v === 'number' && Number.isSafeInteger(v)) ns = BigInt(v);
  else if (typeof v === 'string') {
    try {
      ns = parseDurationNanos(v);
    } catch (err) {
      throw clairError('CONFIG_INVALID', `config: ${path}.timeout: ${(err as Error).message}`, { cause: err });
    }
  }
  else throw clairError('CONFIG_INVALID', `config: ${path}.timeout: must be a duration`);
  if (ns < 0n) throw clairError('CONFIG_INVALID', `config: ${path}.timeout: must not be negative`);
  if (ns === 0n) return DEFAULT_MAPPING_TIMEOUT_MS;
  // Sub-millisecond timeouts round up so a configured timeout never means "none".
  return Number((ns + 999_999n) / 1_000_000n);
}

/**
 * Mappings by configuration, so every scan with the same settings shares one
 * cached copy (claircore configures each scanner once; here the config comes
 * with every scan).
 */
export class MappingRegistry<T> {
  readonly #byConfig = new Map<string, UpdatingMapping<T>>();
  readonly #make: (config: MappingConfig) => UpdatingMapping<T>;

  constructor(make: (config: MappingConfig) => UpdatingMapping<T>) {
    this.#make = make;
  }

  /** The shared mapping for `config`, created on first use. */
  for(config: MappingConfig): UpdatingMapping<T> {
    const key = `${config.url}\0${config.file}\0${config.timeoutMs}`;
    let m = this.#byConfig.get(key);
    if (m === undefined) this.#byConfig.set(key, (m = this.#make(config)));
    return m;
  }
}

/** A JSON object's own entries, or a decode error naming `what`. */
export function objectEntries(v: unknown, what: string): Array<[string, unknown]> {
  if (v === null || v === undefined) return [];
  if (typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`${what} must be an object`);
  return Object.entries(v);
}

/** A JSON array of strings (null counts as empty, as in Go), or a decode error naming `what`. */
export function stringArray(v: unknown, what: string): string[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new TypeError(`${what} must be an array of strings`);
  return v as string[];
}
