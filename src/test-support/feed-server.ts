/**
 * @module A loopback HTTP server that plays an upstream feed at its real URL
 * layout, for updater tests: static bodies (or files) per path, ETag and
 * Last-Modified with conditional requests, scripted failures (a status
 * sequence per path, or a body cut short), and a request log.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedRoute {
  /** Body text/bytes, or `{ file }` to stream a file. */
  body: string | Uint8Array | { file: string };
  contentType?: string;
  /** Defaults to a hash of the body; `null` sends none. */
  etag?: string | null;
  lastModified?: Date;
  /** Statuses to answer, in order, before serving normally (e.g. [500] then success). */
  failFirst?: number[];
  /** Send only the first N bytes then drop the connection. */
  truncateAt?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export interface FeedServer {
  /** Base URL ending in `/`. */
  url: string;
  routes: Map<string, FeedRoute>;
  requests: Array<{ method: string; path: string; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

function bodyBytes(route: FeedRoute): Buffer | undefined {
  if (typeof route.body === 'string') return Buffer.from(route.body);
  if (route.body instanceof Uint8Array) return Buffer.from(route.body);
  return undefined;
}

export async function startFeedServer(routes: Record<string, FeedRoute> = {}): Promise<FeedServer> {
  const table = new Map(Object.entries(routes));
  const requests: FeedServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const route = table.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const fail = route.failFirst?.shift();
    if (fail !== undefined) {
      res.writeHead(fail, { 'content-type': 'text/plain' }).end(`scripted ${fail}`);
      return;
    }
    const bytes = bodyBytes(route);
    const etag = route.etag === null ? undefined : (route.etag ?? `"${createHash('sha256').update(bytes ?? JSON.stringify(route.body)).digest('hex').slice(0, 16)}"`);
    const headers: Record<string, string> = { 'content-type': route.contentType ?? 'application/octet-stream', ...route.headers };
    if (etag) headers.etag = etag;
    if (route.lastModified) headers['last-modified'] = route.lastModified.toUTCString();
    const notModified =
      (etag !== undefined && req.headers['if-none-match'] === etag) ||
      (route.lastModified !== undefined && req.headers['if-modified-since'] !== undefined && new Date(req.headers['if-modified-since']).getTime() >= Math.floor(route.lastModified.getTime() / 1000) * 1000);
    if (notModified) {
      res.writeHead(304, headers).end();
      return;
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, headers).end();
      return;
    }
    if (bytes) {
      if (route.truncateAt !== undefined) {
        res.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
        res.write(bytes.subarray(0, route.truncateAt));
        res.destroy();
        return;
      }
      res.writeHead(200, { ...headers, 'content-length': String(bytes.length) }).end(bytes);
      return;
    }
    const file = (route.body as { file: string }).file;
    res.writeHead(200, { ...headers, 'content-length': String(statSync(file).size) });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    routes: table,
    requests,
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** Drains an async iterable into an array (tests only: real code streams). */
export async function collect<T>(items: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
