/**
 * @module The {@link LayerFS} of a spooled, indexed layer tar: metadata from
 * the in-memory index, file contents read from the spool by offset, so no
 * whole file or layer is ever held in memory unless `readFile` asks for it.
 */
import { Readable } from 'node:stream';
import { clairError } from '../../lib/errors.js';
import { DEFAULT_READ_LIMIT, type LayerEntry, type LayerFS } from '../layer-fs.js';
import type { Spool } from './spool.js';
import type { TarIndex } from './tar-index.js';

/**
 * A layer file system over a spool file. {@link close} deletes the spool and
 * drops the index, so a closed layer holds no memory however long it is
 * referenced; every method then fails with LAYER_CLOSED.
 */
export class TarLayerFS implements LayerFS {
  readonly digest: string;
  #index: TarIndex | undefined;
  readonly #spool: Spool;

  constructor(digest: string, index: TarIndex, spool: Spool) {
    this.digest = digest;
    this.#index = index;
    this.#spool = spool;
  }

  /** Uncompressed tar size in bytes. */
  get tarSize(): number {
    return this.#spool.size;
  }

  /** Bytes of memory the index holds (0 once closed). */
  get indexBytes(): number {
    return this.#index?.byteLength ?? 0;
  }

  /** Archive entries in order; entries are frozen objects. */
  entries(): Iterable<LayerEntry> {
    return this.#open('list the entries').entries();
  }

  lstat(path: string): LayerEntry | undefined {
    return this.#open(`stat ${JSON.stringify(path)}`).lookup(path, false);
  }

  stat(path: string): LayerEntry | undefined {
    return this.#open(`stat ${JSON.stringify(path)}`).lookup(path, true);
  }

  readDir(dir: string): LayerEntry[] {
    return this.#open(`list ${JSON.stringify(dir)}`).readDir(dir);
  }

  async readFile(path: string, options: { maxBytes?: number } = {}): Promise<Buffer> {
    const { entry, offset } = this.#file(path);
    const max = options.maxBytes ?? DEFAULT_READ_LIMIT;
    if (entry.size > max) {
      throw clairError('LAYER_FILE_TOO_LARGE', `layer: ${JSON.stringify(path)} is ${entry.size} bytes, more than the limit of ${max}`);
    }
    return this.#spool.read(offset, entry.size);
  }

  createReadStream(path: string): Readable {
    let file: { entry: LayerEntry; offset: number };
    try {
      file = this.#file(path);
    } catch (err) {
      // Reported as a stream error, as fs.createReadStream reports ENOENT.
      return new Readable({
        read() {
          this.destroy(err as Error);
        },
      });
    }
    return this.#spool.createReadStream(file.offset, file.entry.size);
  }

  /** Deletes the spool file and releases the index. Idempotent. */
  async close(): Promise<void> {
    this.#index = undefined;
    await this.#spool.remove();
  }

  #open(what: string): TarIndex {
    if (this.#index === undefined) throw clairError('LAYER_CLOSED', `layer ${this.digest}: ${what} after close`);
    return this.#index;
  }

  #file(path: string): { entry: LayerEntry; offset: number } {
    const file = this.#open(`read of ${JSON.stringify(path)}`).file(path);
    if (file === undefined) {
      throw clairError('LAYER_FILE_UNREADABLE', `layer: ${JSON.stringify(path)} is not a regular file in the layer`);
    }
    return file;
  }
}
