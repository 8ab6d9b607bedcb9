/**
 * @module HTTP client for Clair node-to-node calls: signs each request with
 * the PSK (issuer `clair-intraservice`) when auth is configured, sends the
 * `clair/<version>` User-Agent, and turns unexpected answers into catalogued
 * errors naming the call.
 */
import { clairError } from '../../lib/errors.js';
import { decodePskKey, INTRASERVICE_ISSUER, signToken } from '../auth.js';
import type { PskConfig } from '../../config/types.js';
import { CLAIR_VERSION } from '../../lib/version.js';

export interface RemoteOptions {
  /** Base URL of the other node, e.g. `http://clair-indexer:6060/`. */
  baseUrl: string;
  psk?: PskConfig | undefined;
  /** The JWT `iss`; nodes use `clair-intraservice`, clairctl its `--issuer`. */
  issuer?: string;
  /** Per-call timeout in milliseconds. */
  timeoutMs?: number;
}

export interface RemoteResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export class RemoteClient {
  readonly #base: URL;
  readonly #key: Uint8Array | undefined;
  readonly #timeoutMs: number;
  readonly #issuer: string;

  constructor(options: RemoteOptions) {
    this.#base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.#key = options.psk ? decodePskKey(options.psk.key) : undefined;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#issuer = options.issuer ?? INTRASERVICE_ISSUER;
  }

  /** Sends a request; resolves for the statuses in `expect`, throws otherwise. */
  async call(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; expect: readonly number[]; signal?: AbortSignal | undefined },
  ): Promise<RemoteResponse> {
    const url = new URL(path.replace(/^\//, ''), this.#base);
    const headers: Record<string, string> = { 'user-agent': `clair/${CLAIR_VERSION}`, accept: 'application/json', ...options.headers };
    if (this.#key) headers.authorization = `Bearer ${await signToken(this.#key, this.#issuer)}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, signal, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
    } catch (cause) {
      throw clairError('REMOTE_CALL', `remote: ${method} ${url.href} failed: ${(cause as Error).message}`, { cause });
    }
    const text = await response.text();
    if (!options.expect.includes(response.status)) {
      throw clairError('REMOTE_CALL', `remote: ${method} ${url.href} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch (cause) {
        throw clairError('REMOTE_CALL', `remote: ${method} ${url.href} answered invalid JSON`, { cause });
      }
    }
    return { status: response.status, headers: response.headers, body };
  }
}
