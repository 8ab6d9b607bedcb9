/**
 * @module Where each tar entry's data starts in the uncompressed stream.
 *
 * tar-stream parses names, types and links but does not report offsets, and
 * PAX (`x`, `g`) and GNU long-name (`L`, `K`) headers it consumes silently
 * shift everything after them. This tracker walks the same bytes block by
 * block, mirroring tar-stream's framing rules exactly (null blocks skipped,
 * extension bodies of at most 4 MiB, a PAX `size` record overriding the
 * header, directories never carrying data), and queues one
 * {@link TarDataLocation} per entry tar-stream will emit, in the same order.
 */
import { clairError } from '../../lib/errors.js';

const BLOCK = 512;
/** tar-stream's limit on an extension header body. */
const MAX_EXTENSION_BYTES = 4 * 1024 * 1024;
const TYPE_DIRECTORY = 5;
const TYPE_PAX = 72; // 'x' - '0'
const TYPE_PAX_GLOBAL = 55; // 'g' - '0'
const EXTENSION_TYPES = new Set([TYPE_PAX, TYPE_PAX_GLOBAL, 27 /* K */, 28 /* L */, 30 /* N */]);
const USTAR_MAGIC = Buffer.from('ustar\0', 'latin1');
const GNU_MAGIC = Buffer.from('ustar ', 'latin1');
const GNU_VERSION = Buffer.from(' \0', 'latin1');

/** Data position of one tar entry, in bytes from the start of the tar stream. */
export interface TarDataLocation {
  offset: number;
  /** Data size as tar-stream reports it (after a PAX `size` override). */
  size: number;
}

interface Extension {
  type: number;
  size: number;
  chunks: Buffer[];
  remaining: number;
}

/** Incremental tar framing walker; feed it every byte of the tar stream with {@link push}. */
export class TarOffsetTracker {
  #position = 0;
  readonly #header = Buffer.alloc(BLOCK);
  #headerFill = 0;
  /** Data and padding bytes still to pass over. */
  #skip = 0;
  #extension: Extension | undefined;
  #pax: Record<string, string> | undefined;
  #paxGlobal: Record<string, string> | undefined;
  readonly #queue: TarDataLocation[] = [];

  /** Bytes consumed so far. */
  get position(): number {
    return this.#position;
  }

  /** Consumes the next bytes of the stream; throws a LAYER_FORMAT error on a malformed header. */
  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - i);
        this.#skip -= n;
        i += n;
        this.#position += n;
        continue;
      }
      const ext = this.#extension;
      if (ext !== undefined) {
        const n = Math.min(ext.remaining, chunk.length - i);
        ext.chunks.push(Buffer.from(chunk.subarray(i, i + n)));
        ext.remaining -= n;
        i += n;
        this.#position += n;
        if (ext.remaining === 0) this.#finishExtension(ext);
        continue;
      }
      const n = Math.min(BLOCK - this.#headerFill, chunk.length - i);
      this.#header.set(chunk.subarray(i, i + n), this.#headerFill);
      this.#headerFill += n;
      i += n;
      this.#position += n;
      if (this.#headerFill === BLOCK) {
        this.#headerFill = 0;
        this.#onHeader(this.#header);
      }
    }
  }

  /** The next entry's data location, in archive order. */
  shift(): TarDataLocation | undefined {
    return this.#queue.shift();
  }

  #onHeader(b: Buffer): void {
    const sum = checksum(b);
    if (sum === 8 * 32) return; // a null block: tar-stream skips it too
    const at = this.#position - BLOCK;
    if (sum !== decodeOctal(b, 148, 8)) throw formatError(`invalid tar header checksum at offset ${at}`);
    const ustar = b.subarray(257, 263).equals(USTAR_MAGIC);
    const gnu = b.subarray(257, 263).equals(GNU_MAGIC) && b.subarray(263, 265).equals(GNU_VERSION);
    if (!ustar && !gnu) throw formatError(`unknown tar header format at offset ${at}`);

    const type = b[156] === 0 ? 0 : b[156]! - 48;
    const size = decodeOctal(b, 124, 12);
    if (EXTENSION_TYPES.has(type)) {
      if (!(size >= 0) || size > MAX_EXTENSION_BYTES) throw formatError(`tar extension header at offset ${at} has a bad size`);
      const ext: Extension = { type, size, chunks: [], remaining: size };
      if (size === 0) this.#finishExtension(ext);
      else this.#extension = ext;
      return;
    }

    // (tar-stream's trailing-slash directory rule does not change the type it
    // reports, so data framing ignores it too.)
    let effective = size;
    if (this.#pax !== undefined) {
      if (this.#pax.size) effective = parseInt(this.#pax.size, 10);
      this.#pax = undefined;
    }
    if (!(effective >= 0)) throw formatError(`tar header at offset ${at} has an invalid size`);
    this.#queue.push({ offset: this.#position, size: effective });
    if (effective > 0 && type !== TYPE_DIRECTORY) this.#skip = effective + padding(effective);
  }

  #finishExtension(ext: Extension): void {
    this.#extension = undefined;
    this.#skip = padding(ext.size);
    if (ext.type === TYPE_PAX) {
      const local = decodePax(Buffer.concat(ext.chunks));
      this.#pax = this.#paxGlobal === undefined ? local : { ...this.#paxGlobal, ...local };
    } else if (ext.type === TYPE_PAX_GLOBAL) {
      this.#paxGlobal = decodePax(Buffer.concat(ext.chunks));
    }
  }
}

function formatError(message: string): Error {
  return clairError('LAYER_FORMAT', `layer: ${message}`);
}

function padding(size: number): number {
  const rem = size % BLOCK;
  return rem === 0 ? 0 : BLOCK - rem;
}

/** The header checksum: every byte, with the checksum field read as spaces. */
function checksum(b: Buffer): number {
  let sum = 8 * 32;
  for (let i = 0; i < 148; i++) sum += b[i]!;
  for (let i = 156; i < BLOCK; i++) sum += b[i]!;
  return sum;
}

/** Octal (or GNU base-256) number field, parsed exactly as tar-stream does. */
function decodeOctal(b: Buffer, offset: number, length: number): number {
  const field = b.subarray(offset, offset + length);
  if (field[0]! & 0x80) return decodeBase256(field);
  let start = 0;
  while (start < field.length && field[start] === 32) start++;
  let end = field.indexOf(32, start);
  if (end < 0) end = field.length;
  while (start < end && field[start] === 0) start++;
  if (end === start) return 0;
  return parseInt(field.subarray(start, end).toString('latin1'), 8);
}

function decodeBase256(field: Buffer): number {
  let positive: boolean;
  if (field[0] === 0x80) positive = true;
  else if (field[0] === 0xff) positive = false;
  else return 0; // tar-stream yields null here, which its `size >= 0` check treats as 0
  let sum = 0;
  for (let i = 1; i < field.length; i++) sum = sum * 256 + (positive ? field[i]! : 0xff - field[i]!);
  return positive ? sum : -sum;
}

/** PAX records, parsed as tar-stream's `decodePax` does (stops at the first malformed record). */
function decodePax(buf: Buffer): Record<string, string> {
  const result: Record<string, string> = {};
  while (buf.length > 0) {
    let i = 0;
    while (i < buf.length && buf[i] !== 32) i++;
    const len = parseInt(buf.subarray(0, i).toString('utf8'), 10);
    if (!len) return result;
    const record = buf.subarray(i + 1, len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq === -1) return result;
    result[record.slice(0, eq)] = record.slice(eq + 1);
    buf = buf.subarray(len);
  }
  return result;
}
