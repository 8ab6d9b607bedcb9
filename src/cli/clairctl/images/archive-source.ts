/**
 * @module Where a local image's files live: a directory (an OCI layout, or
 * an unpacked `docker save`) or a tar file of one. Both answer the same few
 * questions by member name, so the docker-archive and OCI readers never care
 * which they have.
 *
 * A tar is indexed once ({@link indexTar}) and members are then streamed
 * with ranged reads of the file, so a layer is never held in memory. A
 * gzip-compressed tar cannot be read at an offset: it is first decompressed
 * to a temporary file (as containers/image does for `docker-archive:`),
 * which {@link ArchiveSource.close} removes.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { clairError, isClairError } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/logger.js';
import { indexTar, normalizeEntryName, resolveEntry, type TarEntry } from './tar-index.js';

/** An inclusive byte range, as HTTP `Range` counts. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ArchiveSource {
  /** The path as given, for messages. */
  readonly location: string;
  readonly kind: 'directory' | 'tar';
  /** The size of the regular file a member name stands for, or `undefined` when there is none. */
  size(name: string): Promise<number | undefined>;
  /** A small member (a JSON document) whole; missing or larger than `limit` is an error naming it. */
  read(name: string, limit?: number): Promise<Buffer>;
  /** Streams a member, or a range of it. */
  stream(name: string, range?: ByteRange): Promise<Readable>;
  close(): Promise<void>;
}

/** JSON members above this are refused: manifests and configs are kilobytes. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024; // 16 MiB

/** Opens a directory or (possibly gzip-compressed) tar file. */
export async function openArchiveSource(path: string, options: { signal?: AbortSignal | undefined; log?: Logger | undefined } = {}): Promise<ArchiveSource> {
  const info = await stat(path);
  if (info.isDirectory()) return new DirectorySource(path);
  const compression = await sniffCompression(path);
  if (compression === 'none') return new TarSource(path, path, await indexTar(path, options.signal));
  if (compression !== 'gzip') {
    throw clairError('IMAGE_INVALID', `${path}: ${compression}-compressed archives are not supported; decompress it first`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'clairctl-image-'));
  const file = join(dir, 'archive.tar');
  try {
    options.log?.debug({ path }, 'image archive decompress');
    await pipeline(createReadStream(path), createGunzip(), createWriteStream(file), { signal: options.signal });
    return new TarSource(path, file, await indexTar(file, options.signal), dir);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (isClairError(err)) throw clairError('IMAGE_INVALID', err.message.replace(file, path), { cause: err });
    if ((err as Error).name === 'AbortError') throw err;
    throw clairError('IMAGE_INVALID', `${path}: corrupt gzip data: ${(err as Error).message}`, { cause: err });
  }
}

async function sniffCompression(path: string): Promise<'none' | 'gzip' | 'zstd' | 'bzip2' | 'xz'> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(6);
    const { bytesRead } = await handle.read(head, 0, 6, 0);
    const b = head.subarray(0, bytesRead);
    if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
    if (b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return 'zstd';
    if (b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68) return 'bzip2';
    if (b[0] === 0xfd && b.subarray(1, 6).toString('latin1') === '7zXZ\0') return 'xz';
    return 'none';
  } finally {
    await handle.close();
  }
}

abstract class BaseSource implements ArchiveSource {
  abstract readonly kind: 'directory' | 'tar';
  #closed = false;

  constructor(readonly location: string) {}

  abstract size(name: string): Promise<number | undefined>;
  protected abstract streamFile(name: string, size: number, range: ByteRange): Readable;

  async read(name: string, limit = MAX_DOCUMENT_BYTES): Promise<Buffer> {
    const size = await this.size(name);
    if (size === undefined) throw clairError('IMAGE_INVALID', `${this.location}: ${normalizeEntryName(name)} is missing`);
    if (size > limit) throw clairError('IMAGE_INVALID', `${this.location}: ${normalizeEntryName(name)} is ${size} bytes, more than the ${limit} allowed for a document`);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.stream(name)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async stream(name: string, range?: ByteRange): Promise<Readable> {
    if (this.#closed) throw clairError('IMAGE_SERVE', `${this.location} was closed`);
    const size = await this.size(name);
    if (size === undefined) throw clairError('IMAGE_INVALID', `${this.location}: ${normalizeEntryName(name)} is missing`);
    const wanted = range ?? { start: 0, end: size - 1 };
    if (wanted.start < 0 || wanted.end >= size) throw clairError('IMAGE_SERVE', `${this.location}: range ${wanted.start}-${wanted.end} lies outside ${normalizeEntryName(name)} (${size} bytes)`);
    if (wanted.end < wanted.start) return Readable.from([]);
    return this.streamFile(name, size, wanted);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

class DirectorySource extends BaseSource {
  readonly kind = 'directory' as const;

  #path(name: string): string {
    // normalizeEntryName drops any "..", so the result stays inside the directory.
    return resolve(this.location, normalizeEntryName(name));
  }

  async size(name: string): Promise<number | undefined> {
    try {
      const info = await stat(this.#path(name));
      return info.isFile() ? info.size : undefined;
    } catch {
      return undefined;
    }
  }

  protected streamFile(name: string, _size: number, range: ByteRange): Readable {
    return createReadStream(this.#path(name), { start: range.start, end: range.end });
  }
}

class TarSource extends BaseSource {
  readonly kind = 'tar' as const;
  readonly #file: string;
  readonly #entries: ReadonlyMap<string, TarEntry>;
  readonly #tempDir: string | undefined;

  constructor(location: string, file: string, entries: ReadonlyMap<string, TarEntry>, tempDir?: string) {
    super(location);
    this.#file = file;
    this.#entries = entries;
    this.#tempDir = tempDir;
  }

  async size(name: string): Promise<number | undefined> {
    return resolveEntry(this.#entries, name)?.size;
  }

  protected streamFile(name: string, _size: number, range: ByteRange): Readable {
    const entry = resolveEntry(this.#entries, name)!;
    return createReadStream(this.#file, { start: entry.offset + range.start, end: entry.offset + range.end });
  }

  override async close(): Promise<void> {
    await super.close();
    if (this.#tempDir !== undefined) await rm(this.#tempDir, { recursive: true, force: true });
  }
}
