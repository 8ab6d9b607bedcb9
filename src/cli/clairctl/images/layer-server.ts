/**
 * @module The LayerServer: a temporary HTTP server through which a Clair
 * indexer downloads the layers of local images (docker-archive, OCI
 * layouts), which no registry holds.
 *
 * Each blob is served at `<advertise>/<token>/blobs/<digest>`, where the
 * token is 192 random bits made per server: the URLs are unguessable, so the
 * server may listen on a reachable address without exposing other files, and
 * a Clair manifest needs no headers to fetch them. Bodies stream from the
 * archive (single `Range` requests are honoured), and a blob that yields
 * fewer or more bytes than its recorded size is cut off rather than served
 * whole-looking; the indexer checks each blob's digest itself.
 *
 * `listen` is `host:port` (default `127.0.0.1:0`, a free loopback port).
 * `advertise` is the base URL the indexer should use, for a Clair that runs
 * elsewhere (another host, a container): by default `http://<host>:<port>/`
 * of the listening socket; listening on all interfaces (`0.0.0.0`, `::`,
 * `:port`) has no such default, so it must be given.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { clairError } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/logger.js';
import type { Digest } from '../../../model/digest.js';
import type { ByteRange } from './archive-source.js';
import { localBlobsOf, type BlobServer, type LocalBlob, type OpenedImage } from './types.js';

export interface LayerServerOptions {
  /** `host:port` to listen on; default `127.0.0.1:0`. */
  listen?: string | undefined;
  /** The base URL the indexer reaches this server at; default from the listening address. */
  advertise?: string | undefined;
  log?: Logger | undefined;
}

export const DEFAULT_LISTEN = '127.0.0.1:0';

export class LayerServer implements BlobServer {
  /** The advertised base URL, ending in `/`. */
  readonly url: string;
  /** The address actually listened on, as `host:port`. */
  readonly listening: string;
  readonly #server: Server;
  readonly #token = randomBytes(24).toString('base64url');
  readonly #blobs = new Map<string, LocalBlob[]>();
  readonly #log: Logger | undefined;

  private constructor(server: Server, url: string, listening: string, log: Logger | undefined) {
    this.#server = server;
    this.url = url;
    this.listening = listening;
    this.#log = log;
    server.on('request', (req, res) => void this.#handle(req, res));
  }

  /** Listens, and resolves once the server accepts connections. */
  static async start(options: LayerServerOptions = {}): Promise<LayerServer> {
    const listen = options.listen ?? DEFAULT_LISTEN;
    const { host, port } = parseListen(listen);
    const advertised = options.advertise !== undefined ? parseAdvertise(options.advertise) : undefined;
    if (advertised === undefined && isWildcard(host)) {
      throw clairError('IMAGE_SERVE', `listening on all interfaces (${JSON.stringify(listen)}) needs an advertised URL the Clair indexer can reach, such as http://<this host's name>:<port>/`);
    }
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(clairError('IMAGE_SERVE', `cannot listen on ${listen} to serve local layers: ${err.code ?? err.message}`, { cause: err }));
      });
      server.listen({ host: host === '' ? undefined : host, port }, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const bracketed = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = advertised ?? `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`;
    options.log?.debug({ listen: `${bracketed}:${address.port}`, url }, 'layer server start');
    return new LayerServer(server, url, `${bracketed}:${address.port}`, options.log);
  }

  /** Registers the layers of a local image; an image with none to serve (a registry image) is ignored. */
  add(image: OpenedImage): void {
    for (const blob of localBlobsOf(image) ?? []) {
      const known = this.#blobs.get(blob.digest) ?? [];
      if (!known.includes(blob)) known.push(blob);
      this.#blobs.set(blob.digest, known);
    }
  }

  /** The URL of a registered blob. */
  uriOf(digest: Digest): string {
    if (!this.#blobs.has(digest)) throw clairError('IMAGE_SERVE', `layer ${digest} is not served here: add its image to the layer server first`);
    return new URL(`${this.#token}/blobs/${digest}`, this.url).href;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
    this.#log?.debug({}, 'layer server stop');
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const digest = this.#digestOf(req.url ?? '');
    const candidates = digest === undefined ? undefined : this.#blobs.get(digest);
    if (candidates === undefined) return void res.writeHead(404, { 'content-length': 0 }).end();
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD', 'content-length': 0 }).end();
    const size = candidates[0]!.size;
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') return void res.writeHead(416, { 'content-range': `bytes */${size}`, 'content-length': 0 }).end();
    const wanted = range ?? { start: 0, end: size - 1 };
    const length = wanted.end - wanted.start + 1;
    const headers: Record<string, string | number> = {
      'content-type': 'application/octet-stream',
      'content-length': length,
      'accept-ranges': 'bytes',
      'docker-content-digest': digest!,
      etag: `"${digest}"`,
    };
    if (range !== undefined) headers['content-range'] = `bytes ${wanted.start}-${wanted.end}/${size}`;
    if (req.method === 'HEAD' || length === 0) return void res.writeHead(range ? 206 : 200, headers).end();
    const body = await openFirst(candidates, range);
    if (body === undefined) {
      this.#log?.warn({ digest }, 'layer server blob unavailable');
      return void res.writeHead(410, { 'content-length': 0 }).end();
    }
    res.writeHead(range ? 206 : 200, headers);
    try {
      await pipeline(body, new ExactLength(length), res);
      this.#log?.debug({ digest, bytes: length, ranged: range !== undefined }, 'layer server sent');
    } catch (err) {
      // The status line is out: all that is left is to cut the body short, so the client sees a failure.
      res.destroy();
      this.#log?.warn({ digest, reason: (err as Error).message }, 'layer server send failed');
    }
  }

  /** The digest a request path names, when it carries this server's token (after any proxy prefix). */
  #digestOf(url: string): Digest | undefined {
    const path = url.split('?')[0]!;
    const marker = `/${this.#token}/blobs/`;
    const at = path.indexOf(marker);
    if (at < 0) return undefined;
    const digest = decodeURIComponent(path.slice(at + marker.length));
    return /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/.test(digest) ? (digest as Digest) : undefined;
  }
}

/** Opens the first copy of a blob whose image is still open. */
async function openFirst(candidates: readonly LocalBlob[], range: ByteRange | undefined): Promise<Readable | undefined> {
  for (const blob of candidates) {
    try {
      return await blob.open(range);
    } catch {
      // Closed or unreadable: another image may hold the same blob.
    }
  }
  return undefined;
}

/** Passes bytes through, failing when the source yields more or fewer than promised. */
class ExactLength extends Transform {
  #left: number;

  constructor(length: number) {
    super();
    this.#left = length;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#left -= chunk.length;
    if (this.#left < 0) return callback(new Error('blob is longer than its recorded size'));
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.#left === 0 ? null : new Error(`blob ended ${this.#left} bytes short of its recorded size`));
  }
}

/**
 * A single `bytes=` range, clamped to the blob; `undefined` for no header,
 * several ranges or a malformed one (answered with the whole blob, as HTTP
 * allows); `unsatisfiable` for a range that starts past the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (match === null || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? Infinity : Number(match[2]);
  if (end < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = match === null ? NaN : Number(match[3]);
  if (match === null || port > 65535) {
    throw clairError('IMAGE_SERVE', `listen address ${JSON.stringify(text)} is not host:port (e.g. 127.0.0.1:0, 0.0.0.0:8089, [::1]:8089)`);
  }
  return { host: match[1] ?? match[2] ?? '', port };
}

function isWildcard(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::' || /^[0:]+$/.test(host);
}

function parseAdvertise(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw clairError('IMAGE_SERVE', `advertised layer URL ${JSON.stringify(text)} is not a URL (e.g. http://10.0.0.5:8089/)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw clairError('IMAGE_SERVE', `advertised layer URL ${JSON.stringify(text)} must be http or https`);
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw clairError('IMAGE_SERVE', `advertised layer URL ${JSON.stringify(text)} may not carry credentials, a query or a fragment`);
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url.href;
}
