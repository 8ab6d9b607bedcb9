/**
 * @module Finding rpm databases in a layer (claircore `internal/rpm/find.go`):
 * any regular file named `Packages` that starts like a BerkeleyDB hash
 * database, any `rpmdb.sqlite`, any `Packages.db` with the ndb magic,
 * anywhere in the layer. Several scanners need them (rpm, rhel, and java for
 * the files rpm owns), so they are found once per layer.
 */
import type { LayerEntry, LayerFS } from '../../indexer/layer-fs.js';
import { isBdbHash } from './bdb.js';
import { isNdbPackages } from './ndb.js';
import { selectInWalkOrder, splitPath } from '../internal/walk-order.js';

/** Database formats, named as they appear in `packageDb`. */
export type RpmDbKind = 'bdb' | 'sqlite' | 'ndb';

/** A probable rpm database. */
export interface FoundDb {
  kind: RpmDbKind;
  /** Directory holding it, cleaned (`var/lib/rpm`). */
  dir: string;
  /** The database file itself. */
  file: string;
}

/** claircore's `FoundDB.String()`, used as `packageDb`: `<kind>:<dir>`. */
export function foundDbString(db: FoundDb): string {
  return `${db.kind}:${db.dir}`;
}

const KIND_BY_NAME: Readonly<Record<string, RpmDbKind>> = { Packages: 'bdb', 'rpmdb.sqlite': 'sqlite', 'Packages.db': 'ndb' };

/** The first `n` bytes of a file, read from a stream so large files are not buffered. */
export async function peekFile(layer: LayerFS, path: string, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let have = 0;
  const stream = layer.createReadStream(path);
  try {
    for await (const chunk of stream) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      chunks.push(b);
      have += b.length;
      if (have >= n) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, n);
}

/** True for an entry named like an rpm database that is not a directory. */
function isCandidate(entry: LayerEntry): boolean {
  return entry.type !== 'dir' && Object.hasOwn(KIND_BY_NAME, entry.path.slice(entry.path.lastIndexOf('/') + 1));
}

const cache = new WeakMap<LayerFS, Promise<readonly FoundDb[]>>();

/**
 * Probable rpm databases in walk order, at most one per directory: the first
 * found wins (in one directory `Packages` sorts before `Packages.db` before
 * `rpmdb.sqlite`), as claircore's rpm scanner skips a directory it has seen.
 * Computed once per layer object and shared (a failure is not remembered).
 */
export function findRpmDbs(layer: LayerFS): Promise<readonly FoundDb[]> {
  let found = cache.get(layer);
  if (found === undefined) {
    found = find(layer);
    cache.set(layer, found);
    found.catch(() => cache.delete(layer));
  }
  return found;
}

async function find(layer: LayerFS): Promise<FoundDb[]> {
  const found: FoundDb[] = [];
  const seen = new Set<string>();
  for (const entry of await selectInWalkOrder(layer, isCandidate)) {
    const { dir, base } = splitPath(entry.path);
    const kind = KIND_BY_NAME[base]!;
    if (seen.has(dir)) continue;
    if (entry.type === 'symlink' && layer.stat(entry.path)?.type !== 'file') continue;
    if (kind === 'bdb' && !isBdbHash(await peekFile(layer, entry.path, 16))) continue;
    if (kind === 'ndb' && !isNdbPackages(await peekFile(layer, entry.path, 4))) continue;
    seen.add(dir);
    found.push({ kind, dir, file: entry.path });
  }
  return found;
}
