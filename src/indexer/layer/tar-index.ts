/**
 * @module The index of one layer's tar: every entry's metadata and the
 * offset of its data in the spooled tar, built in one streaming pass.
 *
 * Semantics (claircore `pkg/tarfs`, with the choices below):
 * - Names are cleaned: a leading `/` or `./` is dropped, `a/./b` and `a/x/../b`
 *   collapse. A name that climbs above the root with `..` is refused (the
 *   whole layer is rejected with LAYER_PATH_TRAVERSAL naming the entry), and
 *   so is an absolute name containing any `..` segment: only plain absolute
 *   names such as `/etc/passwd` are re-rooted, as claircore does. The same
 *   rule applies to hard link targets.
 * - A later entry for a path replaces the earlier one. A directory over a
 *   directory keeps the children; anything else over a directory drops the
 *   directory's subtree (as Docker's and containerd's layer appliers do,
 *   where claircore rejects the layer). An entry below a path that is not a
 *   directory replaces that path with an implicit directory.
 * - Parent directories that the archive does not list exist implicitly
 *   (mode 0o755) but are not reported by `entries()`; neither is the root.
 * - Hard links become regular files sharing their target's data and mode (or
 *   symlinks, when the target is one). A link whose target is not an earlier
 *   file or symlink (appears later, dangling, or a directory) is dropped.
 * - Symlink targets are stored verbatim and resolved on lookup.
 * - Devices, FIFOs and unknown types are not represented; like any entry,
 *   they replace what was at their path.
 * - Whiteouts (`.wh.*`, `.wh..wh..opq`) are ordinary files here.
 * - Names are decoded as UTF-8 (by tar-stream); invalid bytes become U+FFFD.
 */
import { extract, type Header } from 'tar-stream';
import { cleanLayerPath, type LayerEntry } from '../layer-fs.js';
import { clairError, isClairError } from '../../lib/errors.js';
import { TarOffsetTracker, type TarDataLocation } from './tar-offsets.js';

/** Symlinks followed in one lookup before giving up, as Linux's MAXSYMLINKS. */
export const MAX_SYMLINK_HOPS = 40;

const IMPLICIT_DIR_MODE = 0o755;

/** One path of the index. */
export interface IndexNode {
  /** Frozen; returned to callers as is. */
  readonly entry: LayerEntry;
  /** Offset of a regular file's data in the tar; -1 for other types. */
  readonly offset: number;
  /** True for the root and directories the archive only implies. */
  readonly implicit: boolean;
  /** Directories only: names of the direct children. */
  children: Set<string> | undefined;
}

/** The metadata of a layer: lookups with symlink resolution, no I/O. */
export class TarIndex {
  readonly #nodes: Map<string, IndexNode>;

  constructor(nodes: Map<string, IndexNode>) {
    this.#nodes = nodes;
  }

  /** Number of paths, including implicit directories and the root. */
  get size(): number {
    return this.#nodes.size;
  }

  /** Archive entries in archive order (a replaced entry takes its replacement's position). */
  *entries(): Generator<LayerEntry> {
    for (const node of this.#nodes.values()) if (!node.implicit) yield node.entry;
  }

  /** The node at `path`, following symlinks in parents and, if `followFinal`, in the last component. */
  lookup(path: string, followFinal: boolean): IndexNode | undefined {
    const clean = cleanLayerPath(path);
    if (clean === undefined) return undefined;
    const resolved = resolveLayerPath(clean, followFinal, (p) => this.#nodes.get(p)?.entry);
    return resolved === undefined ? undefined : this.#nodes.get(resolved);
  }

  /** Entries directly inside `dir` (following symlinks to it), sorted by name bytes. */
  readDir(dir: string): LayerEntry[] {
    const node = this.lookup(dir, true);
    if (node?.children === undefined) return [];
    const base = node.entry.path;
    return [...node.children]
      .sort(compareNames)
      .map((name) => this.#nodes.get(base === '' ? name : `${base}/${name}`)!.entry);
  }
}

/**
 * Resolves a cleaned `path` component by component within a layer, the way
 * a kernel resolves inside a chroot: symlinks met in parent directories (and
 * in the last component when `followFinal`) are followed, relative targets
 * from the link's directory and absolute ones from the root; `..` never
 * climbs above the root. Returns the resolved path of an existing entry, or
 * `undefined` when a component is missing, a parent is not a directory, a
 * link is empty, or more than {@link MAX_SYMLINK_HOPS} links are followed.
 */
export function resolveLayerPath(
  path: string,
  followFinal: boolean,
  lookup: (path: string) => Pick<LayerEntry, 'type' | 'linkTarget'> | undefined,
): string | undefined {
  const pending = segments(path).reverse();
  const resolved: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const segment = pending.pop()!;
    if (segment === '..') {
      resolved.pop();
      continue;
    }
    const candidate = resolved.length === 0 ? segment : `${resolved.join('/')}/${segment}`;
    const entry = lookup(candidate);
    if (entry === undefined) return undefined;
    const last = pending.length === 0;
    if (entry.type === 'symlink' && (!last || followFinal)) {
      const target = entry.linkTarget ?? '';
      if (target === '' || ++hops > MAX_SYMLINK_HOPS) return undefined;
      if (target.startsWith('/')) resolved.length = 0;
      pending.push(...segments(target).reverse());
      continue;
    }
    if (!last && entry.type !== 'dir') return undefined;
    resolved.push(segment);
  }
  return resolved.join('/');
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '' && s !== '.');
}

/** Byte-wise order of UTF-8 names, as Go's sort.Strings (and tarfs listings). */
function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Accumulates tar entries into a {@link TarIndex}; see the module notes for the rules. */
export class TarIndexBuilder {
  readonly #nodes = new Map<string, IndexNode>();

  constructor() {
    this.#nodes.set('', dirNode('', IMPLICIT_DIR_MODE, true));
  }

  /** Adds one tar entry whose data starts at `location.offset`. */
  add(header: Header, location: TarDataLocation): void {
    const path = cleanEntryName(header.name, () => `tar entry ${JSON.stringify(header.name)} escapes the layer root`);
    const mode = (header.mode ?? 0) & 0o7777;
    // Pre-POSIX archives mark directories with a trailing slash on a regular entry.
    const type = header.type === 'file' && header.name.endsWith('/') ? 'directory' : header.type;
    if (path === '') {
      if (type !== 'directory') throw clairError('LAYER_FORMAT', `layer: tar entry ${JSON.stringify(header.name)} names the root but is not a directory`);
      const root = this.#nodes.get('')!;
      this.#nodes.set('', { ...dirNode('', mode, true), children: root.children });
      return;
    }
    let node: IndexNode | undefined;
    switch (type) {
      case 'file':
      case 'contiguous-file':
        node = { entry: Object.freeze({ path, type: 'file', size: location.size, mode }), offset: location.offset, implicit: false, children: undefined };
        break;
      case 'directory':
        node = dirNode(path, mode, false);
        break;
      case 'symlink':
        node = symlinkNode(path, mode, header.linkname ?? '');
        break;
      case 'link': {
        const linkname = header.linkname ?? '';
        const target = cleanEntryName(linkname, () => `hard link ${JSON.stringify(header.name)} points outside the layer root (${JSON.stringify(linkname)})`);
        const found = this.#nodes.get(target);
        if (found === undefined || found.implicit) return;
        if (found.entry.type === 'file') {
          node = { entry: Object.freeze({ ...found.entry, path }), offset: found.offset, implicit: false, children: undefined };
        } else if (found.entry.type === 'symlink') {
          node = symlinkNode(path, found.entry.mode, found.entry.linkTarget ?? '');
        } else {
          return;
        }
        break;
      }
      default:
        node = undefined;
    }
    const parent = this.#ensureParent(path);
    this.#replace(path, parent, node);
  }

  /** The finished index; the builder must not be used afterwards. */
  finish(): TarIndex {
    return new TarIndex(this.#nodes);
  }

  /** Makes every ancestor of `path` a directory; returns the parent's path. */
  #ensureParent(path: string): string {
    const slash = path.lastIndexOf('/');
    const parent = slash < 0 ? '' : path.slice(0, slash);
    if (this.#nodes.get(parent)?.children !== undefined) return parent;
    const grandparent = this.#ensureParent(parent);
    this.#replace(parent, grandparent, dirNode(parent, IMPLICIT_DIR_MODE, true));
    return parent;
  }

  #replace(path: string, parent: string, node: IndexNode | undefined): void {
    const existing = this.#nodes.get(path);
    if (existing !== undefined) {
      if (existing.children !== undefined) {
        if (node?.children !== undefined) node.children = existing.children;
        else this.#removeChildren(path, existing);
      }
      this.#nodes.delete(path);
    }
    const name = parent === '' ? path : path.slice(parent.length + 1);
    const siblings = this.#nodes.get(parent)!.children!;
    if (node === undefined) {
      siblings.delete(name);
      return;
    }
    this.#nodes.set(path, node);
    siblings.add(name);
  }

  #removeChildren(path: string, dir: IndexNode): void {
    for (const name of dir.children ?? []) {
      const childPath = `${path}/${name}`;
      const child = this.#nodes.get(childPath);
      if (child?.children !== undefined) this.#removeChildren(childPath, child);
      this.#nodes.delete(childPath);
    }
  }
}

function dirNode(path: string, mode: number, implicit: boolean): IndexNode {
  return { entry: Object.freeze({ path, type: 'dir', size: 0, mode }), offset: -1, implicit, children: new Set() };
}

function symlinkNode(path: string, mode: number, linkTarget: string): IndexNode {
  return { entry: Object.freeze({ path, type: 'symlink', size: 0, mode, linkTarget }), offset: -1, implicit: false, children: undefined };
}

/** Cleans a tar name; throws LAYER_PATH_TRAVERSAL for `..` escapes and absolute names with `..`. */
function cleanEntryName(name: string, describe: () => string): string {
  const absoluteWithDotDot = name.startsWith('/') && name.split('/').includes('..');
  const path = absoluteWithDotDot ? undefined : cleanLayerPath(name);
  if (path === undefined) throw clairError('LAYER_PATH_TRAVERSAL', `layer: ${describe()}`);
  return path;
}

/**
 * Feeds a tar byte stream to tar-stream and the offset tracker, building a
 * {@link TarIndex}. `write` resolves once tar-stream accepted the chunk, so
 * the caller's stream backpressure covers parsing too.
 */
export class TarIndexWriter {
  readonly #builder = new TarIndexBuilder();
  readonly #offsets = new TarOffsetTracker();
  readonly #extract = extract();
  #error: Error | undefined;

  constructor() {
    this.#extract.on('entry', (header, stream, next) => {
      stream.on('error', () => {}); // the extractor reports the same error
      try {
        this.#addEntry(header);
      } catch (err) {
        next(err as Error);
        return;
      }
      // Only data-carrying entries must be drained before tar-stream moves on.
      if (header.type === 'directory' || !(header.size > 0)) {
        stream.resume();
        next();
      } else {
        stream.on('end', () => next());
        stream.resume();
      }
    });
    this.#extract.on('error', (err: Error) => {
      this.#error ??= asFormatError(err);
    });
  }

  /** Bytes of tar consumed so far. */
  get position(): number {
    return this.#offsets.position;
  }

  /** Parses the next chunk of the tar stream. */
  async write(chunk: Buffer): Promise<void> {
    if (this.#error !== undefined) throw this.#error;
    this.#offsets.push(chunk);
    if (!this.#extract.write(chunk)) await this.#wait('drain');
  }

  /** Ends the stream; rejects with LAYER_FORMAT if the tar is truncated or malformed. */
  async end(): Promise<TarIndex> {
    if (this.#error !== undefined) throw this.#error;
    this.#extract.end(undefined);
    await this.#wait('finish');
    return this.#builder.finish();
  }

  /** Abandons parsing. */
  destroy(): void {
    this.#extract.destroy();
  }

  #addEntry(header: Header): void {
    const location = this.#offsets.shift();
    // Both parsers frame the same bytes; disagreeing would mean reading the wrong data later.
    const sizeAgrees = header.type === 'directory' || location?.size === header.size;
    const byteOffset = (header as Header & { byteOffset?: unknown }).byteOffset;
    const offsetAgrees = typeof byteOffset !== 'number' || byteOffset === location?.offset;
    if (location === undefined || !sizeAgrees || !offsetAgrees) {
      throw clairError('LAYER_FORMAT', `layer: tar entry ${JSON.stringify(header.name)} could not be located in the archive`);
    }
    this.#builder.add(header, location);
  }

  #wait(event: 'drain' | 'finish'): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.#extract.destroyed) {
        reject(this.#error ?? clairError('LAYER_FORMAT', 'layer: tar parsing stopped early'));
        return;
      }
      const done = (): void => {
        this.#extract.off(event, onEvent);
        this.#extract.off('close', onClose);
        this.#extract.off('error', onClose);
      };
      const onEvent = (): void => {
        done();
        resolve();
      };
      const onClose = (): void => {
        done();
        reject(this.#error ?? clairError('LAYER_FORMAT', 'layer: tar parsing stopped early'));
      };
      this.#extract.on(event, onEvent);
      this.#extract.on('close', onClose);
      this.#extract.on('error', onClose);
    });
  }
}

function asFormatError(err: Error): Error {
  if (isClairError(err)) return err;
  return clairError('LAYER_FORMAT', `layer: the tar archive is malformed or truncated: ${err.message}`, { cause: err });
}
