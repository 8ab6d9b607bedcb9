/**
 * @module Image-building helpers for tests: tar archives from a declarative
 * entry list (with the awkward cases real layers contain: long names, PAX
 * records, hard links, whiteouts, `..` escapes, absolute names), gzip and
 * zstd compression, digests, and a loopback HTTP server for layer blobs.
 *
 * The zstd encoder only writes Raw_Block blocks (RFC 8878 §3.1.1.2.2): valid
 * frames any decoder accepts, without a zstd compressor dependency.
 *
 * @example
 * ```ts
 * const tar = buildTar([{ path: 'etc/os-release', content: 'ID=alpine\n' }]);
 * const server = await serveBlobs({ '/blob': { body: gzip(tar) } });
 * const layer = await openLayer({ uri: server.url('/blob'), digest: digestOf(gzip(tar)) });
 * ```
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** How a name longer than the 100-byte ustar field is stored. */
export type LongNameStyle = 'pax' | 'gnu' | 'ustar-prefix';

interface EntryOptions {
  /** Tar name exactly as written (may be absolute or contain `..`, on purpose). */
  path: string;
  mode?: number;
  /** Storage of a name (and link target) over 100 bytes; default `pax`. */
  longName?: LongNameStyle;
  /** Extra PAX records written in an `x` header before the entry. */
  pax?: Record<string, string>;
  /** Value written in the header's size field instead of the real size (use with a PAX `size` record). */
  headerSize?: number;
  /** Size field encoding; `base256` is GNU's binary form. */
  sizeEncoding?: 'octal' | 'base256';
}

/** A regular file (`content` as UTF-8 text or bytes). */
export interface FileSpec extends EntryOptions { type?: 'file'; content: string | Uint8Array }
/** A directory; parents of other entries need not be listed. */
export interface DirSpec extends EntryOptions { type: 'dir' }
/** A symbolic link with `target` stored verbatim. */
export interface SymlinkSpec extends EntryOptions { type: 'symlink'; target: string }
/** A hard link to the archive member named `target`. */
export interface HardlinkSpec extends EntryOptions { type: 'hardlink'; target: string }
/** An OCI whiteout for `path`: an empty file `<dir>/.wh.<name>`. */
export interface WhiteoutSpec extends EntryOptions { type: 'whiteout' }
/** An opaque-directory whiteout: `<path>/.wh..wh..opq`. */
export interface OpaqueSpec extends EntryOptions { type: 'opaque' }
/** A special file, which layer readers ignore. */
export interface SpecialSpec extends EntryOptions { type: 'fifo' | 'char-device' }

/** One entry of a test layer. File, dir and symlink specs match the in-memory LayerFS's. */
export type LayerSpecEntry = FileSpec | DirSpec | SymlinkSpec | HardlinkSpec | WhiteoutSpec | OpaqueSpec | SpecialSpec;

export interface BuildTarOptions {
  /** Header magic: POSIX `ustar\0` + `00` (default) or GNU `ustar ` + ` \0`. */
  format?: 'ustar' | 'gnu';
  /** Write the two zero blocks that end an archive (default true). */
  trailer?: boolean;
}

const BLOCK = 512;
const TYPEFLAGS = { file: '0', hardlink: '1', symlink: '2', 'char-device': '3', dir: '5', fifo: '6' } as const;

/** Builds an uncompressed tar archive from `entries`, in order. */
export function buildTar(entries: readonly LayerSpecEntry[], options: BuildTarOptions = {}): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) parts.push(...encodeEntry(entry, options.format ?? 'ustar'));
  if (options.trailer ?? true) parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

function encodeEntry(entry: LayerSpecEntry, format: 'ustar' | 'gnu'): Buffer[] {
  let name = entry.path;
  let typeflag: string;
  let linkname = '';
  let data = Buffer.alloc(0);
  let mode = entry.mode;
  switch (entry.type) {
    case undefined:
    case 'file':
      typeflag = TYPEFLAGS.file;
      data = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : Buffer.from(entry.content);
      mode ??= 0o644;
      break;
    case 'dir':
      typeflag = TYPEFLAGS.dir;
      if (!name.endsWith('/')) name += '/';
      mode ??= 0o755;
      break;
    case 'symlink':
    case 'hardlink':
      typeflag = TYPEFLAGS[entry.type];
      linkname = entry.target;
      mode ??= entry.type === 'symlink' ? 0o777 : 0o644;
      break;
    case 'whiteout': {
      const slash = name.lastIndexOf('/');
      name = `${name.slice(0, slash + 1)}.wh.${name.slice(slash + 1)}`;
      typeflag = TYPEFLAGS.file;
      mode ??= 0o644;
      break;
    }
    case 'opaque':
      name = `${name.replace(/\/$/, '')}/.wh..wh..opq`;
      typeflag = TYPEFLAGS.file;
      mode ??= 0o644;
      break;
    default:
      typeflag = TYPEFLAGS[entry.type];
      mode ??= 0o644;
  }

  const out: Buffer[] = [];
  const pax: Record<string, string> = { ...entry.pax };
  const style = entry.longName ?? 'pax';
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    if (style === 'pax') {
      pax.path = name;
      name = name.slice(-100);
    } else if (style === 'gnu') {
      out.push(...gnuLongHeader('L', name, format));
      name = name.slice(0, 100);
    } else {
      const split = splitUstarName(name);
      prefix = split.prefix;
      name = split.name;
    }
  }
  if (Buffer.byteLength(linkname) > 100) {
    if (style === 'gnu') {
      out.push(...gnuLongHeader('K', linkname, format));
    } else {
      pax.linkpath = linkname;
    }
    linkname = linkname.slice(0, 100);
  }
  if (Object.keys(pax).length > 0) {
    const body = paxBody(pax);
    out.push(header({ name: 'PaxHeader', typeflag: 'x', size: body.length, mode: 0o644, format }), pad(body));
  }
  out.push(
    header({
      name,
      prefix,
      typeflag,
      linkname,
      mode,
      size: entry.headerSize ?? data.length,
      sizeEncoding: entry.sizeEncoding ?? 'octal',
      format,
    }),
  );
  if (data.length > 0) out.push(pad(data));
  return out;
}

interface HeaderFields {
  name: string;
  typeflag: string;
  size: number;
  mode: number;
  format: 'ustar' | 'gnu';
  linkname?: string;
  prefix?: string;
  sizeEncoding?: 'octal' | 'base256';
}

/** One 512-byte header block with a valid checksum. */
function header(f: HeaderFields): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(f.name, 0, 100, 'utf8');
  b.write(octal(f.mode, 8), 100, 'ascii');
  b.write(octal(0, 8), 108, 'ascii'); // uid
  b.write(octal(0, 8), 116, 'ascii'); // gid
  if (f.sizeEncoding === 'base256') {
    b[124] = 0x80;
    b.writeBigUInt64BE(BigInt(f.size), 128);
  } else {
    b.write(octal(f.size, 12), 124, 'ascii');
  }
  b.write(octal(0, 12), 136, 'ascii'); // mtime
  b.write(f.typeflag, 156, 'ascii');
  if (f.linkname) b.write(f.linkname, 157, 100, 'utf8');
  if (f.format === 'gnu') {
    b.write('ustar  \0', 257, 'ascii');
  } else {
    b.write('ustar\0', 257, 'ascii');
    b.write('00', 263, 'ascii');
  }
  b.write('root', 265, 'ascii');
  b.write('root', 297, 'ascii');
  if (f.prefix) b.write(f.prefix, 345, 155, 'utf8');
  b.write('        ', 148, 'ascii');
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return b;
}

function gnuLongHeader(typeflag: 'L' | 'K', value: string, format: 'ustar' | 'gnu'): Buffer[] {
  const body = Buffer.from(`${value}\0`, 'utf8');
  return [header({ name: '././@LongLink', typeflag, size: body.length, mode: 0o644, format }), pad(body)];
}

function splitUstarName(name: string): { prefix: string; name: string } {
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return { prefix, name: rest };
  }
  throw new TypeError(`layer-builder: ${JSON.stringify(name)} cannot be split into a ustar prefix and name`);
}

/** PAX records: `<length> <key>=<value>\n`, where length counts itself. */
function paxBody(records: Record<string, string>): Buffer {
  const parts = Object.entries(records).map(([key, value]) => {
    const rest = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(rest) + 1;
    while (String(length).length + Buffer.byteLength(rest) !== length) length += 1;
    return `${length}${rest}`;
  });
  return Buffer.from(parts.join(''), 'utf8');
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function pad(data: Buffer): Buffer {
  const rem = data.length % BLOCK;
  return rem === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rem)]);
}

/** gzip-compresses `data` (node:zlib). */
export function gzip(data: Uint8Array): Buffer {
  return gzipSync(data);
}

export interface ZstdRawOptions {
  /** Bytes per Raw_Block, at most 128 KiB (default 128 KiB). */
  blockSize?: number;
  /** Split the input into frames of this many bytes (default: one frame). */
  frameSize?: number;
}

const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
const ZSTD_MAX_BLOCK = 128 * 1024;

/**
 * zstd frames holding `data` in Raw_Block blocks. Each frame header declares
 * a 128 KiB window (Window_Descriptor exponent 7), no content size, no
 * dictionary and no checksum.
 */
export function zstdRaw(data: Uint8Array, options: ZstdRawOptions = {}): Buffer {
  const blockSize = options.blockSize ?? ZSTD_MAX_BLOCK;
  if (blockSize < 1 || blockSize > ZSTD_MAX_BLOCK) throw new RangeError('layer-builder: zstd block size must be 1..131072');
  const frameSize = options.frameSize ?? Math.max(data.length, 1);
  const out: Buffer[] = [];
  let offset = 0;
  do {
    const frame = data.subarray(offset, offset + frameSize);
    offset += frame.length;
    out.push(ZSTD_MAGIC, Buffer.from([0x00, 7 << 3]));
    let pos = 0;
    do {
      const block = frame.subarray(pos, pos + blockSize);
      pos += block.length;
      const last = pos >= frame.length ? 1 : 0;
      const head = (block.length << 3) | last; // Block_Type 0 = Raw_Block
      out.push(Buffer.from([head & 0xff, (head >> 8) & 0xff, (head >> 16) & 0xff]), Buffer.from(block));
    } while (pos < frame.length);
  } while (offset < data.length);
  return Buffer.concat(out);
}

/** A zstd skippable frame (magic 0x184D2A50) carrying `payload`; decoders skip it. */
export function zstdSkippable(payload: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(0x184d2a50, 0);
  head.writeUInt32LE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

/** `algorithm:hex` digest of `data`. */
export function digestOf(data: Uint8Array, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/**
 * How one request to a route is answered: an HTTP status (with an empty
 * body), `truncate` (full Content-Length, half the body, then the socket is
 * destroyed) or `stall` (half the body, then nothing until the server closes).
 */
export type BlobStep = number | 'truncate' | 'stall';

export interface BlobRoute {
  body?: Uint8Array;
  /** Content-Type header; default `application/octet-stream`, `''` sends none. */
  contentType?: string;
  /** Per-request behaviour, consumed in order; afterwards requests get the body with 200. */
  script?: BlobStep[];
  /** Requests without exactly this Authorization value get 401. */
  authorization?: string;
  /** Answer 302 with this Location (a path on this server, or a URL). */
  redirectTo?: string;
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface BlobServer {
  /** Absolute URL of `path` on this server. */
  url(path: string): string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** How many requests `path` received. */
  count(path: string): number;
  /** Stops the server, cutting stalled connections. */
  close(): Promise<void>;
}

/** Serves `routes` (by path) from a loopback `node:http` server on port 0. */
export async function serveBlobs(routes: Record<string, BlobRoute>): Promise<BlobServer> {
  const requests: RecordedRequest[] = [];
  const scripts = new Map(Object.entries(routes).map(([path, route]) => [path, [...(route.script ?? [])]]));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push({ path, headers: req.headers });
    const route = routes[path];
    if (route === undefined) return end(res, 404);
    if (route.redirectTo !== undefined) {
      res.writeHead(302, { location: route.redirectTo });
      return res.end();
    }
    if (route.authorization !== undefined && req.headers.authorization !== route.authorization) return end(res, 401);
    const step = scripts.get(path)?.shift();
    const headers: Record<string, string> = { ...route.headers };
    if (route.contentType !== '') headers['content-type'] = route.contentType ?? 'application/octet-stream';
    if (typeof step === 'number') return end(res, step, headers);
    const body = Buffer.from(route.body ?? new Uint8Array());
    res.writeHead(200, { ...headers, 'content-length': String(body.length) });
    if (step === undefined) return res.end(body);
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
      if (step === 'truncate') res.socket?.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    count: (path) => requests.filter((r) => r.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function end(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}
