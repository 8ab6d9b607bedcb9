/**
 * @module The storage of a layer index: a tree of path components kept in a
 * handful of typed arrays and one growing byte buffer, so that a million
 * entries take tens of megabytes and no per-entry JavaScript objects (which
 * cost ~260 bytes each and made a 3M-entry layer hold 2.2 GB).
 *
 * Each node is one path component: its parent, its name (a byte range of
 * the name buffer, UTF-8), its kind, mode and data location, and links to its
 * first child and siblings. Children are found through one open-addressing
 * hash table keyed by (parent, name), so a lookup costs one probe per
 * component: linear in the path, never in the depth squared. Node 0 is the
 * root. Nodes are never reused once freed; the caller bounds how many it
 * creates.
 *
 * Per node: 4 (parent) + 4 + 4 (name) + 1 (kind) + 2 (mode) + 8 + 8 (data)
 * + 12 (child and sibling links) + 4 (archive position) + 4 (hash) bytes,
 * plus about 8 bytes of hash table, 4 of archive order and the name itself.
 */
import { randomBytes } from 'node:crypto';

export const ROOT = 0;
/** Nothing: a missing child, link or position. */
export const NONE = -1;

/** Node kinds. */
export const FREE = 0;
export const FILE = 1;
export const DIR = 2;
export const SYMLINK = 3;
/** A directory only implied by entries below it (and the root): not listed by `entries()`. */
export const IMPLICIT_DIR = 4;

const SLASH = 0x2f;
const INITIAL_NODES = 1024;
const INITIAL_NAME_BYTES = 64 * 1024;
/** Per-process seed, so colliding names cannot be prepared in advance. */
const SEED = randomBytes(4).readInt32LE(0);

/** Thrown by {@link PathTree.appendText} when the name budget would be passed. */
export class NameBudgetExceeded extends Error {}

/** Typed-array storage of a path tree; see the module notes. */
export class PathTree {
  /** Nodes allocated so far, freed ones included; ids are `0 … nodes - 1`. */
  nodes = 1;
  parent: Int32Array;
  nameStart: Uint32Array;
  nameLength: Uint32Array;
  kind: Uint8Array;
  mode: Uint16Array;
  /** Files: data offset in the tar. Symlinks: start of the target in {@link names}. */
  dataOffset: Float64Array;
  /** Files: data size. Symlinks: byte length of the target. */
  dataSize: Float64Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  prevSibling: Int32Array;
  /** Index in {@link order} of the entry that last set this node, or {@link NONE}. */
  position: Int32Array;
  #hash: Int32Array;

  /** Names and symlink targets, UTF-8. */
  names: Buffer;
  namesUsed = 0;
  readonly #nameBudget: number;

  /** Node ids in archive order; a node set again appears again (its old slot goes stale). */
  order: Int32Array;
  orderLength = 0;

  readonly #maxNodes: number;
  /** Open addressing, linear probing; node ids, {@link NONE} when empty. */
  #slots: Int32Array;
  #used = 0;

  /**
   * @param maxNodes nodes the caller may create at most (the root included);
   *   capacity never grows past it, so a limit of 1,000,000 costs no 2^21 arrays.
   * @param nameBudget bytes of names and symlink targets at most.
   */
  constructor(maxNodes: number, nameBudget: number) {
    this.#maxNodes = maxNodes;
    this.#nameBudget = nameBudget;
    const n = Math.min(INITIAL_NODES, maxNodes);
    this.parent = new Int32Array(n);
    this.nameStart = new Uint32Array(n);
    this.nameLength = new Uint32Array(n);
    this.kind = new Uint8Array(n);
    this.mode = new Uint16Array(n);
    this.dataOffset = new Float64Array(n);
    this.dataSize = new Float64Array(n);
    this.firstChild = new Int32Array(n).fill(NONE);
    this.nextSibling = new Int32Array(n).fill(NONE);
    this.prevSibling = new Int32Array(n).fill(NONE);
    this.position = new Int32Array(n).fill(NONE);
    this.#hash = new Int32Array(n);
    this.names = Buffer.allocUnsafe(Math.min(INITIAL_NAME_BYTES, nameBudget));
    this.order = new Int32Array(n);
    this.#slots = new Int32Array(2 * INITIAL_NODES).fill(NONE);
    this.parent[ROOT] = ROOT;
    this.kind[ROOT] = IMPLICIT_DIR;
    this.mode[ROOT] = 0o755;
  }

  /** Bytes held by the arrays and buffers. */
  get byteLength(): number {
    const arrays = [this.parent, this.nameStart, this.nameLength, this.kind, this.mode, this.dataOffset, this.dataSize];
    const links = [this.firstChild, this.nextSibling, this.prevSibling, this.position, this.#hash, this.order, this.#slots];
    return [...arrays, ...links].reduce((sum, a) => sum + a.byteLength, 0) + this.names.length;
  }

  isDir(id: number): boolean {
    const k = this.kind[id];
    return k === DIR || k === IMPLICIT_DIR;
  }

  /** The child of `parent` named by `bytes[start, end)`, or {@link NONE}. */
  find(parent: number, bytes: Uint8Array, start: number, end: number): number {
    const h = hashName(parent, bytes, start, end);
    const mask = this.#slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.#slots[slot]!;
      if (id === NONE) return NONE;
      if (this.#hash[id] === h && this.parent[id] === parent && this.#nameEquals(id, bytes, start, end)) return id;
    }
  }

  /**
   * A new node under `parent` named by `bytes[start, end)`. The caller has
   * checked there is none yet. Throws {@link NameBudgetExceeded}.
   */
  create(parent: number, bytes: Uint8Array, start: number, end: number, kind: number, mode: number): number {
    const nameStart = this.appendText(bytes, start, end);
    if (this.nodes === this.parent.length) this.#grow();
    const id = this.nodes++;
    this.parent[id] = parent;
    this.nameStart[id] = nameStart;
    this.nameLength[id] = end - start;
    this.kind[id] = kind;
    this.mode[id] = mode;
    this.dataOffset[id] = NONE;
    this.dataSize[id] = 0;
    this.#hash[id] = hashName(parent, bytes, start, end);
    const first = this.firstChild[parent]!;
    this.nextSibling[id] = first;
    if (first !== NONE) this.prevSibling[first] = id;
    this.firstChild[parent] = id;
    this.#insert(id);
    return id;
  }

  /** Copies `bytes[start, end)` into the name buffer; returns where it starts. */
  appendText(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    const at = this.namesUsed;
    if (at + length > this.#nameBudget) throw new NameBudgetExceeded();
    if (at + length > this.names.length) {
      let size = Math.max(this.names.length * 2, 1024);
      while (size < at + length) size *= 2;
      const grown = Buffer.allocUnsafe(Math.min(size, this.#nameBudget));
      this.names.copy(grown, 0, 0, at);
      this.names = grown;
    }
    this.names.set(bytes.subarray(start, end), at);
    this.namesUsed = at + length;
    return at;
  }

  /** Records that the archive entry now at the end of the order set `id`. */
  appendOrder(id: number): void {
    if (this.orderLength === this.order.length) this.order = growInt32(this.order, this.#capacityFor(this.order.length), NONE);
    this.position[id] = this.orderLength;
    this.order[this.orderLength++] = id;
  }

  /** Frees every node below directory `id` (iteratively: subtrees can be deep). */
  removeChildren(id: number): void {
    const stack: number[] = [];
    for (let c = this.firstChild[id]!; c !== NONE; c = this.nextSibling[c]!) stack.push(c);
    this.firstChild[id] = NONE;
    while (stack.length > 0) {
      const c = stack.pop()!;
      for (let g = this.firstChild[c]!; g !== NONE; g = this.nextSibling[g]!) stack.push(g);
      this.#free(c);
    }
  }

  /** Frees `id` and its subtree and unlinks it from its parent. */
  remove(id: number): void {
    this.removeChildren(id);
    const prev = this.prevSibling[id]!;
    const next = this.nextSibling[id]!;
    if (prev !== NONE) this.nextSibling[prev] = next;
    else this.firstChild[this.parent[id]!] = next;
    if (next !== NONE) this.prevSibling[next] = prev;
    this.#free(id);
  }

  /** The cleaned path of `id` (`''` for the root), decoded once from its components. */
  pathOf(id: number): string {
    if (id === ROOT) return '';
    const chain: number[] = [];
    let bytes = -1;
    for (let c = id; c !== ROOT; c = this.parent[c]!) {
      chain.push(c);
      bytes += this.nameLength[c]! + 1;
    }
    const out = Buffer.allocUnsafe(bytes);
    const names = this.names;
    let at = 0;
    for (let i = chain.length - 1; i >= 0; i--) {
      const c = chain[i]!;
      const start = this.nameStart[c]!;
      const length = this.nameLength[c]!;
      // Short names are copied inline: a native copy per component costs more.
      if (length > 32) at += names.copy(out, at, start, start + length);
      else for (let k = 0; k < length; k++) out[at++] = names[start + k]!;
      if (i > 0) out[at++] = SLASH;
    }
    return out.toString('utf8');
  }

  /** The name of `id` as text. */
  nameOf(id: number, encoding: 'utf8' | 'latin1' = 'utf8'): string {
    const start = this.nameStart[id]!;
    return this.names.toString(encoding, start, start + this.nameLength[id]!);
  }

  /** Drops growth slack once no more nodes will be added. */
  compact(): void {
    const n = this.nodes;
    this.parent = this.parent.slice(0, n);
    this.nameStart = this.nameStart.slice(0, n);
    this.nameLength = this.nameLength.slice(0, n);
    this.kind = this.kind.slice(0, n);
    this.mode = this.mode.slice(0, n);
    this.dataOffset = this.dataOffset.slice(0, n);
    this.dataSize = this.dataSize.slice(0, n);
    this.firstChild = this.firstChild.slice(0, n);
    this.nextSibling = this.nextSibling.slice(0, n);
    this.prevSibling = this.prevSibling.slice(0, n);
    this.position = this.position.slice(0, n);
    this.#hash = this.#hash.slice(0, n);
    this.order = this.order.slice(0, this.orderLength);
    if (this.names.length > this.namesUsed) this.names = Buffer.from(this.names.subarray(0, this.namesUsed));
  }

  #nameEquals(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const length = this.nameLength[id]!;
    if (length !== end - start) return false;
    const at = this.nameStart[id]!;
    const names = this.names;
    if (length > 32) return names.compare(bytes, start, end, at, at + length) === 0;
    for (let i = 0; i < length; i++) if (names[at + i] !== bytes[start + i]) return false;
    return true;
  }

  #free(id: number): void {
    this.#delete(id);
    this.kind[id] = FREE;
    this.position[id] = NONE;
    this.firstChild[id] = NONE;
  }

  #insert(id: number): void {
    if (2 * (this.#used + 1) > this.#slots.length) this.#rehash(this.#slots.length * 2);
    const mask = this.#slots.length - 1;
    let slot = this.#hash[id]! & mask;
    while (this.#slots[slot] !== NONE) slot = (slot + 1) & mask;
    this.#slots[slot] = id;
    this.#used++;
  }

  /** Removes `id` from the table with backward-shift deletion (no tombstones). */
  #delete(id: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let hole = this.#hash[id]! & mask;
    while (slots[hole] !== id) {
      if (slots[hole] === NONE) return;
      hole = (hole + 1) & mask;
    }
    for (let j = (hole + 1) & mask; slots[j] !== NONE; j = (j + 1) & mask) {
      const home = this.#hash[slots[j]!]! & mask;
      // The entry at j may move back to the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!stays) {
        slots[hole] = slots[j]!;
        hole = j;
      }
    }
    slots[hole] = NONE;
    this.#used--;
  }

  #rehash(size: number): void {
    const slots = new Int32Array(size).fill(NONE);
    const mask = size - 1;
    for (const id of this.#slots) {
      if (id === NONE) continue;
      let slot = this.#hash[id]! & mask;
      while (slots[slot] !== NONE) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.#slots = slots;
  }

  #capacityFor(current: number): number {
    return Math.max(current + 1, Math.min(current * 2, this.#maxNodes));
  }

  #grow(): void {
    const size = this.#capacityFor(this.parent.length);
    this.parent = growInt32(this.parent, size, 0);
    this.nameStart = grow(this.nameStart, new Uint32Array(size));
    this.nameLength = grow(this.nameLength, new Uint32Array(size));
    this.kind = grow(this.kind, new Uint8Array(size));
    this.mode = grow(this.mode, new Uint16Array(size));
    this.dataOffset = grow(this.dataOffset, new Float64Array(size));
    this.dataSize = grow(this.dataSize, new Float64Array(size));
    this.firstChild = growInt32(this.firstChild, size, NONE);
    this.nextSibling = growInt32(this.nextSibling, size, NONE);
    this.prevSibling = growInt32(this.prevSibling, size, NONE);
    this.position = growInt32(this.position, size, NONE);
    this.#hash = growInt32(this.#hash, size, 0);
  }
}

function grow<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(old: T, next: T): T {
  next.set(old as never);
  return next;
}

function growInt32(old: Int32Array, size: number, fill: number): Int32Array {
  const next = new Int32Array(size);
  if (fill !== 0) next.fill(fill, old.length);
  next.set(old);
  return next;
}

/** A seeded 32-bit hash of (parent, name bytes): FNV-1a steps with a murmur3-style finish. */
function hashName(parent: number, bytes: Uint8Array, start: number, end: number): number {
  let h = SEED ^ Math.imul(parent + 1, 0x9e3779b1);
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
