/**
 * @module Read access to one layer's file system, as its tar archive
 * describes it (whiteouts are NOT applied: they are entries like any other,
 * and the whiteout resolver uses them across layers).
 *
 * Implementations must keep memory bounded: the real one indexes a spooled
 * tar file and reads file contents from disk on demand.
 *
 * Paths are "cleaned": relative to the layer root, no leading `/`, no `.` or
 * `..` segments, `/`-separated (e.g. `var/lib/dpkg/status`). The root is `''`.
 */
import type { Readable } from 'node:stream';

export type LayerEntryType = 'file' | 'dir' | 'symlink';

export interface LayerEntry {
  /** Cleaned path of the entry itself. */
  path: string;
  type: LayerEntryType;
  /** Size in bytes of a regular file's contents; 0 otherwise. */
  size: number;
  /** Unix permission bits (e.g. 0o755). */
  mode: number;
  /** For symlinks: the target exactly as stored in the archive. */
  linkTarget?: string;
}

export interface LayerFS {
  /** Digest of the layer (the compressed blob), `sha256:…`. */
  readonly digest: string;
  /** Every entry once, in archive order; a later entry for a path replaces an earlier one. Hard links appear as regular files. */
  entries(): Iterable<LayerEntry>;
  /** The entry at `path` without following a final symlink. */
  lstat(path: string): LayerEntry | undefined;
  /** The entry at `path`, following symlinks (also in parent directories) within the layer, at most 40 hops. */
  stat(path: string): LayerEntry | undefined;
  /** Entries directly inside directory `dir` (following symlinks to reach it), sorted by name. */
  readDir(dir: string): LayerEntry[];
  /**
   * A regular file's contents (following symlinks). Rejects with a catalogued
   * error when the path is missing or not a file, or when the file is larger
   * than `maxBytes` (default 64 MiB), so a scanner can never be made to load
   * an arbitrarily large file into memory.
   */
  readFile(path: string, options?: { maxBytes?: number }): Promise<Buffer>;
  /** A stream of a regular file's contents, for files scanners must not buffer. */
  createReadStream(path: string): Readable;
}

/** Default cap of {@link LayerFS.readFile}. */
export const DEFAULT_READ_LIMIT = 64 * 1024 * 1024; // 64 MiB

/** Normalises a path the way layer entries are stored; `undefined` if it escapes the root. */
export function cleanLayerPath(path: string): string | undefined {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      continue;
    }
    out.push(segment);
  }
  return out.join('/');
}
