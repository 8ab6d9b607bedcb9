/**
 * @module The one outbound HTTP client updaters (and other fetchers) share:
 * the `clair/<version>` User-Agent, a per-request timeout, cancellation, and
 * the air-gap policy. Policy lives here so no updater re-implements it.
 *
 * A guarded client (`guard`, used for layer blobs) goes further: its own
 * undici dispatcher checks every connection it opens (redirect hops
 * included) against a {@link DestinationPolicy}, on the address actually
 * connected to after name resolution, so DNS answers cannot route around it;
 * and it bounds each attempt with a connect deadline (DNS included) and a
 * response-header deadline.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { clairError } from './errors.js';
import { DestinationPolicy, isPrivateAddress } from './destination-policy.js';
import { CLAIR_VERSION } from './version.js';

export { isPrivateAddress } from './destination-policy.js';

export interface HttpClientOptions {
  /** Milliseconds per request, headers and body (default 5 minutes); 0 for none. */
  timeoutMs?: number;
  /** Only allow private, loopback and link-local destinations (`indexer.airgap`). A guard's policy carries its own. */
  airgap?: boolean;
  /** Check every connection and bound every attempt: see {@link HttpGuard}. */
  guard?: HttpGuard;
}

/** What a guarded client checks and bounds. */
export interface HttpGuard {
  /** Where connections may go (air gap included). */
  policy: DestinationPolicy;
  /** Milliseconds to connect, name resolution included. */
  connectTimeoutMs: number;
  /** Milliseconds from sending a request to its response headers. */
  responseTimeoutMs: number;
  /** Milliseconds without a body byte while reading (0: none; a paused reader does not count). */
  bodyTimeoutMs?: number | undefined;
  /** Name resolution (default: the system resolver, as `dns.lookup`). */
  lookup?: LookupFunction | undefined;
}

export interface HttpClient {
  fetch(url: string | URL, init?: RequestInit & { signal?: AbortSignal }): Promise<Response>;
}

/** A client made here; `close` ends the connections a guarded client pools itself. */
export interface ClosableHttpClient extends HttpClient {
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000; // 5 minutes: feeds are large

export function createHttpClient(options: HttpClientOptions = {}): ClosableHttpClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent = options.guard ? guardedAgent(options.guard) : undefined;
  return {
    async fetch(url, init = {}) {
      const target = new URL(url);
      if (options.airgap && agent === undefined) {
        const host = target.hostname.replace(/^\[|\]$/g, '');
        const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
        if (addresses.length === 0 || !addresses.every(isPrivateAddress)) {
          throw clairError('REMOTE_CALL', `http: ${target.host} disallowed by policy (airgap)`);
        }
      }
      const signals = [init.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
      const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
      const headers = new Headers(init.headers);
      if (!headers.has('user-agent')) headers.set('user-agent', `clair/${CLAIR_VERSION}`);
      const request = { ...init, headers, redirect: init.redirect ?? 'follow', ...(signal ? { signal } : {}) };
      if (agent === undefined) return fetch(target, request);
      // undici's own fetch with its own dispatcher: the global fetch may be a different undici.
      const response = await undiciFetch(target, { ...request, dispatcher: agent } as unknown as Parameters<typeof undiciFetch>[1]);
      return response as unknown as Response;
    },
    async close() {
      await agent?.close();
    },
  };
}

/** An undici Agent whose every connection passes the policy and the deadlines. */
function guardedAgent(guard: HttpGuard): Agent {
  return new Agent({
    connect: guardedConnector(guard),
    headersTimeout: guard.responseTimeoutMs,
    bodyTimeout: guard.bodyTimeoutMs ?? 0,
  });
}

/**
 * Connects through the policy: an address in the URL is checked before the
 * socket is made; a name is resolved and only its allowed addresses are
 * handed to the socket, so the address connected to is always one that was
 * checked (a name resolving to nothing allowed fails with the denial).
 */
function guardedConnector(guard: HttpGuard): buildConnector.connector {
  const resolve = guard.lookup ?? (dnsLookup as unknown as LookupFunction);
  const refusal = (host: string, address: string, port: number): Error | undefined => {
    const destination = { host, address, port };
    const denial = guard.policy.check(destination);
    return denial && guard.policy.deniedError(destination, denial);
  };
  // The port is part of the check, and a socket's lookup function is fixed per connector.
  const byPort = new Map<number, buildConnector.connector>();
  return (options, callback) => {
    const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
    if (isIP(options.hostname) !== 0) {
      const denied = refusal(options.hostname, options.hostname, port);
      if (denied) {
        callback(denied, null);
        return;
      }
    }
    let connect = byPort.get(port);
    if (connect === undefined) {
      connect = buildConnector({ timeout: guard.connectTimeoutMs, lookup: checkedLookup(resolve, (host, address) => refusal(host, address, port)) });
      byPort.set(port, connect);
    }
    connect(options, callback);
  };
}

type Refusal = (host: string, address: string) => Error | undefined;

/** A `lookup` for sockets that passes on only the addresses the policy allows. */
function checkedLookup(resolve: LookupFunction, refusal: Refusal): LookupFunction {
  const checked = (hostname: string, options: { all?: boolean }, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void): void => {
    const all = (resolve as unknown as (h: string, o: object, cb: (err: Error | null, addresses: LookupAddress[]) => void) => void);
    all(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      let denied: Error | undefined;
      const allowed = addresses.filter((a) => {
        const why = refusal(hostname, a.address);
        denied ??= why;
        return why === undefined;
      });
      const first = allowed[0];
      if (first === undefined) return callback(denied ?? Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
      if (options.all) callback(null, allowed);
      else callback(null, first.address, first.family);
    });
  };
  return checked as unknown as LookupFunction;
}
