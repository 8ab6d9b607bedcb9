/**
 * @module The one outbound HTTP client updaters (and other fetchers) share:
 * the `clair/<version>` User-Agent, a per-request timeout, cancellation, and
 * the air-gap policy. Policy lives here so no updater re-implements it.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { clairError } from './errors.js';
import { CLAIR_VERSION } from './version.js';

export interface HttpClientOptions {
  /** Milliseconds per request, headers and body (default 5 minutes). */
  timeoutMs?: number;
  /** Only allow private, loopback and link-local destinations (`indexer.airgap`). */
  airgap?: boolean;
}

export interface HttpClient {
  fetch(url: string | URL, init?: RequestInit & { signal?: AbortSignal }): Promise<Response>;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000; // 5 minutes: feeds are large

/** True for loopback, RFC 1918, link-local, ULA and CGNAT addresses. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const lower = address.toLowerCase();
  return lower === '::1' || lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('fe80:') || lower.startsWith('::ffff:127.') || lower.startsWith('::ffff:10.') || lower.startsWith('::ffff:192.168.');
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async fetch(url, init = {}) {
      const target = new URL(url);
      if (options.airgap) {
        const host = target.hostname.replace(/^\[|\]$/g, '');
        const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
        if (addresses.length === 0 || !addresses.every(isPrivateAddress)) {
          throw clairError('REMOTE_CALL', `http: ${target.host} disallowed by policy (airgap)`);
        }
      }
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
      const headers = new Headers(init.headers);
      if (!headers.has('user-agent')) headers.set('user-agent', `clair/${CLAIR_VERSION}`);
      return fetch(target, { ...init, headers, signal, redirect: init.redirect ?? 'follow' });
    },
  };
}
