/**
 * @module An in-memory {@link LayerFS} built from a declarative list of
 * entries, so scanner tests need no tar files. It follows the interface's
 * documented semantics: cleaned paths, implicit parent directories, symlinks
 * followed (also in parent directories) within the layer for at most 40 hops,
 * `readFile` capped by `maxBytes` with a catalogued error, `readDir` sorted.
 *
 * @example
 * ```ts
 * const layer = memoryLayer([
 *   { path: '/etc/os-release', content: 'ID=alpine\n' },
 *   { path: 'usr/lib/os-release', type: 'symlink', target: '../../etc/os-release' },
 * ]);
 * await layer.readFile('usr/lib/os-release'); // follows the link
 * ```
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { cleanLayerPath, DEFAULT_READ_LIMIT, type LayerEntry, type LayerFS } from '../indexer/layer-fs.js';
import { clairError } from '../lib/errors.js';

/** A regular file: `content` as text (UTF-8) or bytes. */
export interface MemoryFileSpec {
  path: string;
  content: string | Uint8Array;
  mode?: number;
}

/** An explicit directory. Parents of other entries need not be listed. */
export interface MemoryDirSpec {
  path: string;
  type: 'dir';
  mode?: number;
}

/** A symbolic link; `target` is stored as given (relative to the link's directory, or absolute from the layer root). */
export interface MemorySymlinkSpec {
  path: string;
  type: 'symlink';
  target: string;
  mode?: number;
}

/** One declared entry of a {@link MemoryLayerFS}. */
export type MemoryEntrySpec = MemoryFileSpec | MemoryDirSpec | MemorySymlinkSpec;

/** Options of {@link MemoryLayerFS}. */
export interface MemoryLayerOptions {
  /** The layer digest; by default a sha256 of the entry list. */
  digest?: string;
  /** Size of the chunks `createReadStream` emits, so line splitting across chunks is exercised (default 16 KiB). */
  chunkSize?: number;
}

/** The symlink hop limit of the interface (as Linux's `MAXSYMLINKS`). */
export const MAX_SYMLINK_HOPS = 40;

const DEFAULT_MODES = { file: 0o644, dir: 0o755, symlink: 0o777 } as const;

interface Node {
  entry: LayerEntry;
  content?: Buffer;
}

/** An in-memory, read-only layer file system for tests. */
export class MemoryLayerFS implements LayerFS {
  readonly digest: string;
  /** Declared entries by cleaned path, in archive order (a re-declared path moves to its last position). */
  readonly #declared = new Map<string, Node>();
  /** Declared and implicit entries by cleaned path. */
  readonly #nodes = new Map<string, Node>();
  /** Child names by directory path. */
  readonly #children = new Map<string, Set<string>>();
  readonly #chunkSize: number;

  constructor(specs: readonly MemoryEntrySpec[], options: MemoryLayerOptions = {}) {
    this.#chunkSize = options.chunkSize ?? 16 * 1024;
    for (const spec of specs) this.#declare(spec);
    this.#nodes.set('', { entry: { path: '', type: 'dir', size: 0, mode: DEFAULT_MODES.dir } });
    for (const [path, node] of this.#declared) this.#nodes.set(path, node);
    for (const path of this.#declared.keys()) this.#addParents(path);
    this.digest = options.digest ?? `sha256:${digestOf(this.#declared)}`;
  }

  entries(): Iterable<LayerEntry> {
    return [...this.#declared.values()].map((n) => ({ ...n.entry }));
  }

  lstat(path: string): LayerEntry | undefined {
    const clean = cleanLayerPath(path);
    if (clean === undefined) return undefined;
    const resolved = this.#resolve(clean, false);
    return resolved === undefined ? undefined : copy(this.#nodes.get(resolved));
  }

  stat(path: string): LayerEntry | undefined {
    const clean = cleanLayerPath(path);
    if (clean === undefined) return undefined;
    const resolved = this.#resolve(clean, true);
    return resolved === undefined ? undefined : copy(this.#nodes.get(resolved));
  }

  readDir(dir: string): LayerEntry[] {
    const clean = cleanLayerPath(dir);
    if (clean === undefined) return [];
    const resolved = this.#resolve(clean, true);
    if (resolved === undefined || this.#nodes.get(resolved)?.entry.type !== 'dir') return [];
    const names = [...(this.#children.get(resolved) ?? [])].sort(compareNames);
    return names.map((name) => ({ ...this.#nodes.get(join(resolved, name))!.entry }));
  }

  async readFile(path: string, options: { maxBytes?: number } = {}): Promise<Buffer> {
    const node = this.#file(path);
    const max = options.maxBytes ?? DEFAULT_READ_LIMIT;
    if (node.entry.size > max) {
      throw clairError('LAYER_FILE_TOO_LARGE', `layer: ${JSON.stringify(path)} is ${node.entry.size} bytes, more than the limit of ${max}`);
    }
    return Buffer.from(node.content!);
  }

  createReadStream(path: string): Readable {
    let node: Node;
    try {
      node = this.#file(path);
    } catch (err) {
      // Errors surface as a stream 'error' event, as an fs read stream reports ENOENT.
      return new Readable({
        read() {
          this.destroy(err as Error);
        },
      });
    }
    const content = node.content!;
    const size = this.#chunkSize;
    let offset = 0;
    return new Readable({
      read() {
        if (offset >= content.length) {
          this.push(null);
          return;
        }
        const end = Math.min(offset + size, content.length);
        this.push(content.subarray(offset, end));
        offset = end;
      },
    });
  }

  #declare(spec: MemoryEntrySpec): void {
    const path = cleanLayerPath(spec.path);
    if (path === undefined || path === '') throw new TypeError(`memory layer: invalid entry path ${JSON.stringify(spec.path)}`);
    let node: Node;
    if ('content' in spec) {
      const content = typeof spec.content === 'string' ? Buffer.from(spec.content, 'utf8') : Buffer.from(spec.content);
      node = { entry: { path, type: 'file', size: content.length, mode: spec.mode ?? DEFAULT_MODES.file }, content };
    } else if (spec.type === 'dir') {
      node = { entry: { path, type: 'dir', size: 0, mode: spec.mode ?? DEFAULT_MODES.dir } };
    } else {
      node = { entry: { path, type: 'symlink', size: 0, mode: spec.mode ?? DEFAULT_MODES.symlink, linkTarget: spec.target } };
    }
    // A later entry for a path replaces an earlier one, as in a tar archive.
    this.#declared.delete(path);
    this.#declared.set(path, node);
  }

  #addParents(path: string): void {
    let child = path;
    for (let parent = dirname(child); ; parent = dirname(child)) {
      const existing = this.#nodes.get(parent);
      if (existing === undefined) {
        this.#nodes.set(parent, { entry: { path: parent, type: 'dir', size: 0, mode: DEFAULT_MODES.dir } });
      } else if (existing.entry.type !== 'dir') {
        // A tar reader rejects a file used as a directory; so does this fake.
        throw new TypeError(`memory layer: ${JSON.stringify(parent)} is a ${existing.entry.type} but has entries below it`);
      }
      let set = this.#children.get(parent);
      if (set === undefined) this.#children.set(parent, (set = new Set()));
      set.add(basename(child));
      if (parent === '') return;
      child = parent;
    }
  }

  /**
   * Resolves `path` component by component, following symlinks met in parent
   * directories (and in the final component when `followLast`). Returns the
   * resolved cleaned path of an existing node, or `undefined` when a component
   * is missing, a parent is not a directory, or the hop limit is exceeded.
   */
  #resolve(path: string, followLast: boolean): string | undefined {
    let pending = path === '' ? [] : path.split('/');
    let current = '';
    let hops = 0;
    while (pending.length > 0) {
      const [name, ...rest] = pending as [string, ...string[]];
      pending = rest;
      if (name === '.' || name === '') continue;
      if (name === '..') {
        // The layer root is its own parent, as "/.." is "/".
        current = dirname(current);
        continue;
      }
      const next = join(current, name);
      const node = this.#nodes.get(next);
      if (node === undefined) return undefined;
      const last = pending.length === 0;
      if (node.entry.type === 'symlink' && (!last || followLast)) {
        if (++hops > MAX_SYMLINK_HOPS) return undefined;
        const target = node.entry.linkTarget ?? '';
        const targetParts = target.split('/');
        // Absolute targets restart at the layer root; relative ones at the link's directory.
        if (target.startsWith('/')) current = '';
        pending = [...targetParts, ...pending];
        continue;
      }
      if (!last && node.entry.type !== 'dir') return undefined;
      current = next;
    }
    return current;
  }

  #file(path: string): Node {
    const clean = cleanLayerPath(path);
    const resolved = clean === undefined ? undefined : this.#resolve(clean, true);
    const node = resolved === undefined ? undefined : this.#nodes.get(resolved);
    if (node === undefined || node.entry.type !== 'file') {
      throw clairError('LAYER_FILE_UNREADABLE', `layer: ${JSON.stringify(path)} is not a regular file in the layer`);
    }
    return node;
  }
}

/** Builds a {@link MemoryLayerFS}. */
export function memoryLayer(specs: readonly MemoryEntrySpec[], options: MemoryLayerOptions = {}): MemoryLayerFS {
  return new MemoryLayerFS(specs, options);
}

function copy(node: Node | undefined): LayerEntry | undefined {
  return node === undefined ? undefined : { ...node.entry };
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** Byte-wise order of names, as Go's sort.Strings and tarfs directory listings. */
function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function digestOf(nodes: Map<string, Node>): string {
  const h = createHash('sha256');
  for (const [path, node] of nodes) {
    h.update(`${node.entry.type}\0${path}\0${node.entry.mode}\0${node.entry.linkTarget ?? ''}\0`);
    if (node.content) h.update(node.content);
    h.update('\0');
  }
  return h.digest('hex');
}
