/**
 * @module dpkg-distroless package scanner (claircore
 * `dpkg.DistrolessScanner`): distroless images record packages as one file
 * per package in a `status.d/` directory instead of a `status` file. Every
 * file there except `*.md5sums` is read as RFC 822 stanzas, without a
 * `Status` filter (distroless files have none). The source package takes the
 * binary's version; without a `Source` field the package is its own source,
 * as in the dpkg scanner.
 */
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { ScannedPackage } from '../../indexer/scanned.js';
import type { PackageScanner } from '../../indexer/scanner.js';
import { basename, checkAborted, scannerError } from '../internal/layer-files.js';
import { readLines } from '../internal/lines.js';
import { readStanzas } from '../internal/rfc822.js';
import { binaryFields, binaryPackage, parseSource, sourcePackage } from './status.js';

/** Persisted identity; changing it is a migration. */
export const DPKG_DISTROLESS_PACKAGE_SCANNER_NAME = 'dpkg-distroless';
export const DPKG_DISTROLESS_PACKAGE_SCANNER_VERSION = '1';
export const DPKG_DISTROLESS_PACKAGE_SCANNER_KIND = 'package';

/** Every directory named `status.d` (declared, or implied by the files below it), sorted. */
export function findStatusDirs(layer: LayerFS): string[] {
  const dirs = new Set<string>();
  for (const entry of layer.entries()) {
    const parts = entry.path.split('/');
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] !== 'status.d') continue;
      const dir = parts.slice(0, i + 1).join('/');
      if (layer.lstat(dir)?.type === 'dir') dirs.add(dir);
    }
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
    for (const dir of findStatusDirs(layer)) {
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
