/**
 * @module The {@link LayerFS} of a spooled, indexed layer tar: metadata from
 * the in-memory index, file contents read from the spool by offset, so no
 * whole file or layer is ever held in memory unless `readFile` asks for it.
 */
import { Readable } from 'node:stream';
import { clairError } from '../../lib/errors.js';
import { DEFAULT_READ_LIMIT, type LayerEntry, type LayerFS } from '../layer-fs.js';
import type { Spool } from './spool.js';
import type { IndexNode, TarIndex } from './tar-index.js';

/** A layer file system over a spool file; {@link close} deletes the spool. */
export class TarLayerFS implements LayerFS {
  readonly digest: string;
  readonly #index: TarIndex;
  readonly #spool: Spool;
  #closed = false;

  constructor(digest: string, index: TarIndex, spool: Spool) {
    this.digest = digest;
    this.#index = index;
    this.#spool = spool;
  }

  /** Uncompressed tar size in bytes. */
  get tarSize(): number {
    return this.#spool.size;
  }

  /** Archive entries in order; entries are frozen objects. */
  entries(): Iterable<LayerEntry> {
    return this.#index.entries();
  }

  lstat(path: string): LayerEntry | undefined {
    return this.#index.lookup(path, false)?.entry;
  }

  stat(path: string): LayerEntry | undefined {
    return this.#index.lookup(path, true)?.entry;
  }

  readDir(dir: string): LayerEntry[] {
    return this.#index.readDir(dir);
  }

  async readFile(path: string, options: { maxBytes?: number } = {}): Promise<Buffer> {
    const node = this.#file(path);
    const max = options.maxBytes ?? DEFAULT_READ_LIMIT;
    if (node.entry.size > max) {
      throw clairError('LAYER_FILE_TOO_LARGE', `layer: ${JSON.stringify(path)} is ${node.entry.size} bytes, more than the limit of ${max}`);
    }
    return this.#spool.read(node.offset, node.entry.size);
  }

  createReadStream(path: string): Readable {
    let node: IndexNode;
    try {
      node = this.#file(path);
    } catch (err) {
      // Reported as a stream error, as fs.createReadStream reports ENOENT.
      return new Readable({
        read() {
          this.destroy(err as Error);
        },
      });
    }
    return this.#spool.createReadStream(node.offset, node.entry.size);
  }

  /** Deletes the spool file; later reads fail with LAYER_CLOSED. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#spool.remove();
  }

  #file(path: string): IndexNode {
    if (this.#closed) throw clairError('LAYER_CLOSED', `layer ${this.digest}: read of ${JSON.stringify(path)} after close`);
    const node = this.#index.lookup(path, true);
    if (node === undefined || node.entry.type !== 'file') {
      throw clairError('LAYER_FILE_UNREADABLE', `layer: ${JSON.stringify(path)} is not a regular file in the layer`);
    }
    return node;
  }
}
