/**
 * @module The spool: a layer's uncompressed tar written to a temporary file,
 * indexed in the same pass, and read back by offset.
 *
 * The file is created `0600` in the spool directory and, by default,
 * unlinked as soon as it is open (claircore does the same with O_TMPFILE):
 * the open handle keeps the data readable, nothing is left behind if the
 * process dies, and disk space returns when the handle closes. With
 * `unlinkEarly: false` the file stays visible until {@link Spool.remove}.
 */
import { randomUUID } from 'node:crypto';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { clairError } from '../../lib/errors.js';
import type { TarIndex, TarIndexWriter } from './tar-index.js';

/** Read size of spool streams. */
const READ_CHUNK = 64 * 1024;

/** Disk space shared by concurrent spools, so a burst of layers cannot fill the disk. */
export class SpoolBudget {
  readonly maxBytes: number;
  #used = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Bytes currently reserved by open spools. */
  get used(): number {
    return this.#used;
  }

  /** Reserves `bytes`; false (and nothing reserved) if that would pass the cap. */
  tryReserve(bytes: number): boolean {
    if (this.#used + bytes > this.maxBytes) return false;
    this.#used += bytes;
    return true;
  }

  /** Returns `bytes` reserved earlier. */
  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }
}

export interface SpoolOptions {
  /** Directory for spool files; default `os.tmpdir()`. */
  dir?: string;
  /** Cap on one spool file, in bytes; default none beyond the decompression cap. */
  maxBytes?: number;
  /** A cap shared with other spools. */
  budget?: SpoolBudget;
  /** Unlink the file as soon as it is open (default true). */
  unlinkEarly?: boolean;
}

/** One spool file: appended while indexing, then read by offset until removed. */
export class Spool {
  readonly path: string;
  readonly #handle: FileHandle;
  readonly #maxBytes: number;
  readonly #budget: SpoolBudget | undefined;
  #linked: boolean;
  #size = 0;
  #removed = false;

  private constructor(path: string, handle: FileHandle, linked: boolean, options: SpoolOptions) {
    this.path = path;
    this.#handle = handle;
    this.#linked = linked;
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#budget = options.budget;
  }

  /** Creates an empty spool file. */
  static async create(options: SpoolOptions = {}): Promise<Spool> {
    const path = join(options.dir ?? tmpdir(), `clair-layer-${randomUUID()}.tar`);
    const handle = await open(path, 'wx+', 0o600);
    let linked = true;
    if (options.unlinkEarly ?? true) {
      try {
        await unlink(path);
        linked = false;
      } catch {
        // Some platforms refuse to unlink open files; remove() deletes it instead.
      }
    }
    return new Spool(path, handle, linked, options);
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#size;
  }

  /** Whether {@link remove} has run. */
  get removed(): boolean {
    return this.#removed;
  }

  /** Appends `chunk`; rejects with LAYER_SPOOL_FULL when a cap would be passed. */
  async append(chunk: Uint8Array): Promise<void> {
    if (this.#size + chunk.length > this.#maxBytes) {
      throw clairError('LAYER_SPOOL_FULL', `layer: spooling needs more than the spool cap of ${this.#maxBytes} bytes`);
    }
    if (this.#budget !== undefined && !this.#budget.tryReserve(chunk.length)) {
      throw clairError('LAYER_SPOOL_FULL', `layer: spooling would pass the shared spool cap of ${this.#budget.maxBytes} bytes (indexer.limits.spool_bytes)`);
    }
    const at = this.#size;
    this.#size += chunk.length;
    let written = 0;
    while (written < chunk.length) {
      const { bytesWritten } = await this.#handle.write(chunk, written, chunk.length - written, at + written);
      written += bytesWritten;
    }
  }

  /** Reads exactly `length` bytes at `offset`. */
  async read(offset: number, length: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.#handle.read(out, filled, length - filled, offset + filled);
      if (bytesRead === 0) throw clairError('LAYER_FORMAT', 'layer: spool file is shorter than its index');
      filled += bytesRead;
    }
    return out;
  }

  /**
   * A stream of `length` bytes at `offset`. Positional reads, so streams may
   * run concurrently. (FileHandle.createReadStream would add a 'close'
   * listener to the shared handle per stream and never remove it.)
   */
  createReadStream(offset: number, length: number): Readable {
    const handle = this.#handle;
    let position = offset;
    const end = offset + length;
    return new Readable({
      highWaterMark: READ_CHUNK,
      read(size) {
        const want = Math.min(Math.max(size, 1), READ_CHUNK, end - position);
        if (want <= 0) {
          this.push(null);
          return;
        }
        handle.read(Buffer.allocUnsafe(want), 0, want, position).then(
          ({ bytesRead, buffer }) => {
            if (bytesRead === 0) {
              this.destroy(clairError('LAYER_FORMAT', 'layer: spool file is shorter than its index'));
              return;
            }
            position += bytesRead;
            this.push(buffer.subarray(0, bytesRead));
          },
          (err: Error) => this.destroy(err),
        );
      },
    });
  }

  /** Closes and deletes the file, releasing budget; idempotent. */
  async remove(): Promise<void> {
    if (this.#removed) return;
    this.#removed = true;
    this.#budget?.release(this.#size);
    await this.#handle.close().catch(() => {});
    if (this.#linked) {
      this.#linked = false;
      await unlink(this.path).catch(() => {});
    }
  }
}

/**
 * The end of a layer pipeline: every chunk is appended to the spool and fed
 * to the tar index writer; a chunk is acknowledged only when both are done,
 * which propagates backpressure to the download.
 */
export class SpoolSink extends Writable {
  readonly #spool: Spool;
  readonly #tar: TarIndexWriter;
  #index: TarIndex | undefined;

  constructor(spool: Spool, tar: TarIndexWriter) {
    super({ highWaterMark: 64 * 1024 });
    this.#spool = spool;
    this.#tar = tar;
  }

  /** The finished index, once the stream has finished. */
  get index(): TarIndex | undefined {
    return this.#index;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    Promise.all([this.#spool.append(chunk), this.#tar.write(chunk)]).then(
      () => callback(),
      (err: Error) => callback(err),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#tar.end().then(
      (index) => {
        this.#index = index;
        callback();
      },
      (err: Error) => callback(err),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#index === undefined) this.#tar.destroy();
    callback(error);
  }
}
