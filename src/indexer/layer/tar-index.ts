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
 *
 * Limits (LAYER_TOO_LARGE, raised while the tar streams in, naming the
 * config key): at most `maxEntries` entries, counting the directories they
 * only imply; names of at most `maxPathDepth` components and
 * 16 bytes per allowed component (4,096 by default: Linux's PATH_MAX, so no
 * real layer has longer names or symlink targets); and 128 bytes of names
 * and symlink targets per allowed entry. Storage is a {@link PathTree}: about
 * 70 bytes per entry plus its name, and lookups linear in the path length.
 */
import { setImmediate as nextTick } from 'node:timers/promises';
import { extract, type Header } from 'tar-stream';
import { DEFAULTS } from '../../config/defaults.js';
import type { LayerEntry } from '../layer-fs.js';
import { clairError, isClairError } from '../../lib/errors.js';
import { DIR, FILE, FREE, IMPLICIT_DIR, NameBudgetExceeded, NONE, PathTree, ROOT, SYMLINK } from './path-tree.js';
import { TarOffsetTracker, type TarDataLocation } from './tar-offsets.js';

/** Symlinks followed in one lookup before giving up, as Linux's MAXSYMLINKS. */
export const MAX_SYMLINK_HOPS = 40;

/** Default of {@link TarIndexLimits.maxEntries}: `indexer.limits.layer_entries`. */
export const DEFAULT_MAX_ENTRIES = DEFAULTS.indexer.limits.layer_entries;
/** Default of {@link TarIndexLimits.maxPathDepth}: `indexer.limits.path_depth`. */
export const DEFAULT_MAX_PATH_DEPTH = DEFAULTS.indexer.limits.path_depth;
/** Bytes of name allowed per allowed path component: 256 × 16 = 4,096, Linux's PATH_MAX. */
export const PATH_BYTES_PER_COMPONENT = 16;
/** Bytes of names and symlink targets the index may hold per allowed entry. */
export const NAME_BYTES_PER_ENTRY = 128;
/** The name budget never goes below this, whatever the entry limit. */
const MIN_NAME_BUDGET = 1024 * 1024;

const IMPLICIT_DIR_MODE = 0o755;
const SLASH = 0x2f;
const DOT = 0x2e;
/** Largest piece of tar handed to tar-stream at once: it recurses once per entry in a piece. */
const MAX_PARSE_CHUNK = 64 * 1024;

/** Per-layer caps of the index; `Number.POSITIVE_INFINITY` turns one off. */
export interface TarIndexLimits {
  /**
   * Tar entries in one layer, counting the parent directories they only
   * imply (default {@link DEFAULT_MAX_ENTRIES}, `indexer.limits.layer_entries`).
   * It also sizes the memory for names: {@link NAME_BYTES_PER_ENTRY} per entry.
   */
  maxEntries?: number | undefined;
  /**
   * Components of one entry name (default {@link DEFAULT_MAX_PATH_DEPTH},
   * `indexer.limits.path_depth`). Names and symlink targets may also take
   * {@link PATH_BYTES_PER_COMPONENT} bytes per component allowed.
   */
  maxPathDepth?: number | undefined;
}

/** The metadata of a layer: lookups with symlink resolution, no I/O. */
export class TarIndex {
  readonly #tree: PathTree;
  readonly #path = new ParsedPath();

  constructor(tree: PathTree) {
    this.#tree = tree;
  }

  /** Bytes of memory the index holds. */
  get byteLength(): number {
    return this.#tree.byteLength;
  }

  /** Archive entries in archive order (a replaced entry takes its replacement's position). */
  *entries(): Generator<LayerEntry> {
    const tree = this.#tree;
    // Entries mostly follow their directory: remember the last directory's path.
    let dir = NONE;
    let dirPath = '';
    for (let i = 0; i < tree.orderLength; i++) {
      const id = tree.order[i]!;
      const kind = tree.kind[id]!;
      if (tree.position[id] !== i || kind === FREE || kind === IMPLICIT_DIR) continue;
      const parent = tree.parent[id]!;
      let path: string;
      if (parent === ROOT) {
        path = tree.nameOf(id);
      } else {
        if (parent !== dir) {
          dir = parent;
          dirPath = tree.pathOf(parent);
        }
        path = `${dirPath}/${tree.nameOf(id)}`;
      }
      if (kind === DIR) {
        dir = id;
        dirPath = path;
      }
      yield this.#entry(id, path);
    }
  }

  /** The entry at `path`, following symlinks in parents and, if `followFinal`, in the last component. */
  lookup(path: string, followFinal: boolean): LayerEntry | undefined {
    const id = this.#resolve(path, followFinal);
    return id === NONE ? undefined : this.#entry(id, this.#tree.pathOf(id));
  }

  /** A regular file's entry and data offset (following symlinks), or `undefined`. */
  file(path: string): { entry: LayerEntry; offset: number } | undefined {
    const id = this.#resolve(path, true);
    if (id === NONE || this.#tree.kind[id] !== FILE) return undefined;
    return { entry: this.#entry(id, this.#tree.pathOf(id)), offset: this.#tree.dataOffset[id]! };
  }

  /** Entries directly inside `dir` (following symlinks to it), sorted by name bytes. */
  readDir(dir: string): LayerEntry[] {
    const tree = this.#tree;
    const id = this.#resolve(dir, true);
    if (id === NONE || !tree.isDir(id)) return [];
    const children: Array<{ key: string; id: number }> = [];
    // Latin-1 keys compare code unit by code unit, i.e. byte-wise, as Go sorts.
    for (let c = tree.firstChild[id]!; c !== NONE; c = tree.nextSibling[c]!) children.push({ key: tree.nameOf(c, 'latin1'), id: c });
    children.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const base = tree.pathOf(id);
    return children.map(({ id: c }) => this.#entry(c, base === '' ? tree.nameOf(c) : `${base}/${tree.nameOf(c)}`));
  }

  #entry(id: number, path: string): LayerEntry {
    const tree = this.#tree;
    const mode = tree.mode[id]!;
    switch (tree.kind[id]) {
      case FILE:
        return Object.freeze({ path, type: 'file', size: tree.dataSize[id]!, mode });
      case SYMLINK: {
        const start = tree.dataOffset[id]!;
        const linkTarget = tree.names.toString('utf8', start, start + tree.dataSize[id]!);
        return Object.freeze({ path, type: 'symlink', size: 0, mode, linkTarget });
      }
      default:
        return Object.freeze({ path, type: 'dir', size: 0, mode });
    }
  }

  /**
   * Resolves `path` component by component, the way a kernel resolves inside
   * a chroot: `..` in the path itself is cleaned first; symlinks met in parent
   * directories (and in the last component when `followFinal`) are followed,
   * relative targets from the link's directory and absolute ones from the
   * root, and their `..` never climbs above the root. Returns the node, or
   * {@link NONE} when a component is missing, a parent is not a directory, a
   * link is empty, or more than {@link MAX_SYMLINK_HOPS} links are followed.
   * Each step is one hash probe, so the cost is linear in the components read.
   */
  #resolve(path: string, followFinal: boolean): number {
    const tree = this.#tree;
    const parsed = this.#path;
    if (!parsed.parse(path)) return NONE;
    // A stack of components still to walk, topmost last.
    const bufs: Uint8Array[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = parsed.count - 1; i >= 0; i--) {
      bufs.push(parsed.bytes);
      starts.push(parsed.starts[i]!);
      ends.push(parsed.ends[i]!);
    }
    let current = ROOT;
    let hops = 0;
    while (bufs.length > 0) {
      const buf = bufs.pop()!;
      const start = starts.pop()!;
      const end = ends.pop()!;
      if (end - start === 2 && buf[start] === DOT && buf[start + 1] === DOT) {
        current = tree.parent[current]!;
        continue;
      }
      const child = tree.find(current, buf, start, end);
      if (child === NONE) return NONE;
      const last = bufs.length === 0;
      if (tree.kind[child] === SYMLINK && (!last || followFinal)) {
        const at = tree.dataOffset[child]!;
        const length = tree.dataSize[child]!;
        if (length === 0 || ++hops > MAX_SYMLINK_HOPS) return NONE;
        if (tree.names[at] === SLASH) current = ROOT;
        pushComponents(tree.names, at, at + length, bufs, starts, ends);
        continue;
      }
      if (!last && !tree.isDir(child)) return NONE;
      current = child;
    }
    return current;
  }
}

/** Pushes the components of `bytes[from, to)` (without `''` and `.`) so that the first is on top. */
function pushComponents(bytes: Uint8Array, from: number, to: number, bufs: Uint8Array[], starts: number[], ends: number[]): void {
  const base = bufs.length;
  let s = from;
  for (let i = from; i <= to; i++) {
    if (i < to && bytes[i] !== SLASH) continue;
    const length = i - s;
    if (length > 0 && !(length === 1 && bytes[s] === DOT)) {
      bufs.push(bytes);
      starts.push(s);
      ends.push(i);
    }
    s = i + 1;
  }
  // Reverse what was just pushed, so the first component is popped first.
  for (let a = base, b = bufs.length - 1; a < b; a++, b--) {
    [bufs[a], bufs[b]] = [bufs[b]!, bufs[a]!];
    [starts[a], starts[b]] = [starts[b]!, starts[a]!];
    [ends[a], ends[b]] = [ends[b]!, ends[a]!];
  }
}

/** A reusable UTF-8 encoding of a path, cleaned lexically into component byte ranges. */
class ParsedPath {
  bytes = Buffer.allocUnsafe(1024);
  /** Bytes written by the last {@link encode} or {@link parse}. */
  length = 0;
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** Components after cleaning. */
  count = 0;
  /** Whether the text had a `..` segment. */
  sawDotDot = false;

  /** Encodes `text` as UTF-8 into {@link bytes}; returns the byte length. */
  encode(text: string): number {
    const need = Buffer.byteLength(text, 'utf8');
    if (need > this.bytes.length) this.bytes = Buffer.allocUnsafe(Math.max(need, 2 * this.bytes.length));
    this.length = this.bytes.write(text, 0, 'utf8');
    return this.length;
  }

  /** Encodes and cleans `text` (`''` and `.` dropped, `..` popped); false when `..` climbs above the root. */
  parse(text: string): boolean {
    const n = this.encode(text);
    const bytes = this.bytes;
    this.count = 0;
    this.sawDotDot = false;
    let s = 0;
    for (let i = 0; i <= n; i++) {
      if (i < n && bytes[i] !== SLASH) continue;
      const length = i - s;
      if (length === 2 && bytes[s] === DOT && bytes[s + 1] === DOT) {
        this.sawDotDot = true;
        if (this.count === 0) return false;
        this.count--;
      } else if (length > 0 && !(length === 1 && bytes[s] === DOT)) {
        this.starts[this.count] = s;
        this.ends[this.count] = i;
        this.count++;
      }
      s = i + 1;
    }
    return true;
  }

  /** Byte length of the cleaned path. */
  cleanLength(): number {
    let total = this.count - 1;
    for (let i = 0; i < this.count; i++) total += this.ends[i]! - this.starts[i]!;
    return Math.max(total, 0);
  }
}

/** Accumulates tar entries into a {@link TarIndex}; see the module notes for the rules. */
export class TarIndexBuilder {
  readonly #tree: PathTree;
  readonly #maxEntries: number;
  readonly #maxDepth: number;
  readonly #maxPathBytes: number;
  readonly #nameBudget: number;
  readonly #name = new ParsedPath();
  readonly #target = new ParsedPath();
  #entries = 0;

  constructor(limits: TarIndexLimits = {}) {
    this.#maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#maxDepth = limits.maxPathDepth ?? DEFAULT_MAX_PATH_DEPTH;
    this.#maxPathBytes = this.#maxDepth * PATH_BYTES_PER_COMPONENT;
    // Name offsets are 32-bit: with every limit off, 4 GiB of names is still the end.
    this.#nameBudget = Math.min(Math.max(this.#maxEntries * NAME_BYTES_PER_ENTRY, MIN_NAME_BUDGET), 2 ** 32 - 1);
    this.#tree = new PathTree(this.#maxEntries + 1, this.#nameBudget);
  }

  /** Adds one tar entry whose data starts at `location.offset`. */
  add(header: Header, location: TarDataLocation): void {
    try {
      this.#add(header, location);
    } catch (err) {
      if (!(err instanceof NameBudgetExceeded)) throw err;
      throw clairError(
        'LAYER_TOO_LARGE',
        `layer: names and symlink targets take more than ${this.#nameBudget} bytes (${NAME_BYTES_PER_ENTRY} per entry of indexer.limits.layer_entries)`,
      );
    }
  }

  /** The finished index; the builder must not be used afterwards. */
  finish(): TarIndex {
    this.#tree.compact();
    return new TarIndex(this.#tree);
  }

  #add(header: Header, location: TarDataLocation): void {
    this.#count();
    const tree = this.#tree;
    const rawName = header.name;
    const name = this.#name;
    if (!name.parse(rawName) || (name.sawDotDot && rawName.startsWith('/'))) {
      throw clairError('LAYER_PATH_TRAVERSAL', `layer: tar entry ${quote(rawName)} escapes the layer root`);
    }
    if (name.count > this.#maxDepth) {
      throw clairError('LAYER_TOO_LARGE', `layer: tar entry ${quote(rawName)} is more than ${this.#maxDepth} path components deep (indexer.limits.path_depth)`);
    }
    if (name.cleanLength() > this.#maxPathBytes) {
      throw clairError('LAYER_TOO_LARGE', `layer: tar entry ${quote(rawName)} has a name longer than ${this.#maxPathBytes} bytes (${PATH_BYTES_PER_COMPONENT} per component of indexer.limits.path_depth)`);
    }
    let mode = (header.mode ?? 0) & 0o7777;
    // Pre-POSIX archives mark directories with a trailing slash on a regular entry.
    const type = header.type === 'file' && rawName.endsWith('/') ? 'directory' : header.type;
    if (name.count === 0) {
      if (type !== 'directory') throw clairError('LAYER_FORMAT', `layer: tar entry ${quote(rawName)} names the root but is not a directory`);
      tree.mode[ROOT] = mode;
      return;
    }
    let kind: number;
    let dataOffset = NONE;
    let dataSize = 0;
    switch (type) {
      case 'file':
      case 'contiguous-file':
        kind = FILE;
        dataOffset = location.offset;
        dataSize = location.size;
        break;
      case 'directory':
        kind = DIR;
        break;
      case 'symlink': {
        const length = this.#target.encode(header.linkname ?? '');
        if (length > this.#maxPathBytes) {
          throw clairError('LAYER_TOO_LARGE', `layer: symlink ${quote(rawName)} has a target longer than ${this.#maxPathBytes} bytes (${PATH_BYTES_PER_COMPONENT} per component of indexer.limits.path_depth)`);
        }
        kind = SYMLINK;
        dataOffset = tree.appendText(this.#target.bytes, 0, length);
        dataSize = length;
        break;
      }
      case 'link': {
        const linkname = header.linkname ?? '';
        const target = this.#target;
        if (!target.parse(linkname) || (target.sawDotDot && linkname.startsWith('/'))) {
          throw clairError('LAYER_PATH_TRAVERSAL', `layer: hard link ${quote(rawName)} points outside the layer root (${quote(linkname)})`);
        }
        const found = this.#walk(target);
        const foundKind = found === NONE ? FREE : tree.kind[found]!;
        if (foundKind !== FILE && foundKind !== SYMLINK) return;
        kind = foundKind;
        mode = tree.mode[found]!;
        dataOffset = tree.dataOffset[found]!;
        dataSize = tree.dataSize[found]!;
        break;
      }
      default:
        kind = FREE;
    }
    const parent = this.#ensureParents(name);
    const leaf = name.count - 1;
    const start = name.starts[leaf]!;
    const end = name.ends[leaf]!;
    let id = tree.find(parent, name.bytes, start, end);
    if (kind === FREE) {
      if (id !== NONE) tree.remove(id);
      return;
    }
    if (id === NONE) id = tree.create(parent, name.bytes, start, end, kind, mode);
    else if (tree.isDir(id) && kind !== DIR) tree.removeChildren(id);
    tree.kind[id] = kind;
    tree.mode[id] = mode;
    tree.dataOffset[id] = dataOffset;
    tree.dataSize[id] = dataSize;
    tree.appendOrder(id);
  }

  /** Counts one entry (or implied directory) against the limit. */
  #count(): void {
    if (++this.#entries > this.#maxEntries) {
      throw clairError('LAYER_TOO_LARGE', `layer: more than ${this.#maxEntries} entries (indexer.limits.layer_entries)`);
    }
  }

  /** The node at exactly the cleaned `path` (no symlinks followed), or {@link NONE}. */
  #walk(path: ParsedPath): number {
    let id = ROOT;
    for (let i = 0; i < path.count && id !== NONE; i++) id = this.#tree.find(id, path.bytes, path.starts[i]!, path.ends[i]!);
    return id;
  }

  /** Makes every ancestor of `path` a directory, creating implicit ones; returns the parent. */
  #ensureParents(path: ParsedPath): number {
    const tree = this.#tree;
    let current = ROOT;
    for (let i = 0; i < path.count - 1; i++) {
      const start = path.starts[i]!;
      const end = path.ends[i]!;
      let child = tree.find(current, path.bytes, start, end);
      if (child === NONE) {
        this.#count();
        child = tree.create(current, path.bytes, start, end, IMPLICIT_DIR, IMPLICIT_DIR_MODE);
      } else if (!tree.isDir(child)) {
        // A file or symlink in the way becomes an implicit directory (it has no children to keep).
        tree.kind[child] = IMPLICIT_DIR;
        tree.mode[child] = IMPLICIT_DIR_MODE;
        tree.position[child] = NONE;
        tree.dataOffset[child] = NONE;
        tree.dataSize[child] = 0;
      }
      current = child;
    }
    return current;
  }
}

/** A name for an error message: quoted, and cut short if long. */
function quote(name: string): string {
  return JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);
}

/**
 * Feeds a tar byte stream to tar-stream and the offset tracker, building a
 * {@link TarIndex}. `write` resolves once tar-stream accepted the chunk, so
 * the caller's stream backpressure covers parsing too.
 */
export class TarIndexWriter {
  readonly #builder: TarIndexBuilder;
  readonly #offsets = new TarOffsetTracker();
  readonly #extract = extract();
  #error: Error | undefined;

  constructor(limits: TarIndexLimits = {}) {
    this.#builder = new TarIndexBuilder(limits);
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

  /**
   * Parses the next chunk of the tar stream, in pieces of at most 64 KiB with
   * the event loop let through between them (a 64 KiB piece of empty files
   * is 128 entries; a whole large chunk at once would overflow tar-stream's
   * recursion and hold the loop).
   */
  async write(chunk: Buffer): Promise<void> {
    for (let at = 0; at < chunk.length; at += MAX_PARSE_CHUNK) {
      if (at > 0) await nextTick();
      if (this.#error !== undefined) throw this.#error;
      const piece = chunk.length <= MAX_PARSE_CHUNK ? chunk : chunk.subarray(at, at + MAX_PARSE_CHUNK);
      this.#offsets.push(piece);
      if (!this.#extract.write(piece)) await this.#wait('drain');
    }
    if (this.#error !== undefined) throw this.#error;
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
      throw clairError('LAYER_FORMAT', `layer: tar entry ${quote(header.name)} could not be located in the archive`);
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
