/**
 * @module dpkg-distroless package scanner (claircore
 * `dpkg.DistrolessScanner`): distroless images record packages as one file
 * per package in a `status.d/` directory instead of a `status` file. Every
 * file there except `*.md5sums` is read as RFC 822 stanzas, without a
 * `Status` filter (distroless files have none). The source package takes the
 * binary's version; without a `Source` field the package is its own source,
 * as in the dpkg scanner.
 */
import type { LayerEntry, LayerFS } from '../../indexer/layer-fs.js';
import type { ScannedPackage } from '../../model/scanned.js';
import type { PackageScanner, ScanContext } from '../../indexer/scanner.js';
import { basename, checkAborted, ENTRIES_PER_TURN, nextTurn, scannerError } from '../internal/layer-files.js';
import { readLines } from '../internal/lines.js';
import { readStanzas } from '../internal/rfc822.js';
import { binaryFields, binaryPackage, parseSource, sourcePackage } from './status.js';

/** Persisted identity; changing it is a migration. */
export const DPKG_DISTROLESS_PACKAGE_SCANNER_NAME = 'dpkg-distroless';
export const DPKG_DISTROLESS_PACKAGE_SCANNER_VERSION = '1';
export const DPKG_DISTROLESS_PACKAGE_SCANNER_KIND = 'package';

const STATUS_D = 'status.d';
const SLASH = 0x2f;

/** The `status.d` directory `entry` is, or is directly inside, if any. */
function statusDirOf(entry: LayerEntry): string | undefined {
  const { path } = entry;
  const slash = path.lastIndexOf('/');
  if (entry.type === 'dir' && path.length - slash - 1 === STATUS_D.length && path.startsWith(STATUS_D, slash + 1)) return path;
  const start = slash - STATUS_D.length;
  if (start < 0 || !path.startsWith(STATUS_D, start) || (start > 0 && path.charCodeAt(start - 1) !== SLASH)) return undefined;
  return path.slice(0, slash);
}

/**
 * Every directory named `status.d` that is listed or holds a listed entry,
 * sorted. Only an entry's own name and its parent's are looked at, so the
 * cost of an entry does not grow with its depth; a `status.d` directory
 * holding only directories is missed, but it holds no package files either.
 */
export async function findStatusDirs(layer: LayerFS, context: ScanContext = {}): Promise<string[]> {
  const dirs = new Set<string>();
  const checked = new Set<string>();
  let seen = 0;
  for (const entry of layer.entries()) {
    if (++seen % ENTRIES_PER_TURN === 0) await nextTurn(context);
    const dir = statusDirOf(entry);
    if (dir === undefined || checked.has(dir)) continue;
    checked.add(dir);
    if (layer.lstat(dir)?.type === 'dir') dirs.add(dir);
  }
  return [...dirs].sort();
}

/** Finds packages recorded in distroless `status.d` directories. */
export const dpkgDistrolessPackageScanner = {
  name: DPKG_DISTROLESS_PACKAGE_SCANNER_NAME,
  version: DPKG_DISTROLESS_PACKAGE_SCANNER_VERSION,
  kind: DPKG_DISTROLESS_PACKAGE_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    const out: ScannedPackage[] = [];
    for (const dir of await findStatusDirs(layer, context)) {
      for (const entry of layer.readDir(dir)) {
        if (basename(entry.path).endsWith('.md5sums') || layer.stat(entry.path)?.type !== 'file') continue;
        try {
          for await (const stanza of readStanzas(readLines(layer.createReadStream(entry.path)))) {
            checkAborted(context);
            const fields = binaryFields(stanza);
            if (fields === undefined) continue;
            const field = stanza.get('source') ?? '';
            const sourceName = field === '' ? fields.name : parseSource(field, fields.version).name;
            out.push(binaryPackage(fields, sourcePackage(sourceName, fields.version, entry.path), entry.path));
          }
        } catch (err) {
          if (context.signal?.aborted) throw err;
          throw scannerError(DPKG_DISTROLESS_PACKAGE_SCANNER_NAME, `unable to read ${JSON.stringify(entry.path)}`, err);
        }
      }
    }
    return out;
  },
} satisfies PackageScanner;
