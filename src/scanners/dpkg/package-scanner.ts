/**
 * @module dpkg package scanner (claircore `dpkg.Scanner`, version 7).
 *
 * A directory holding both a `status` file and an `info/` directory is a
 * dpkg database. Its `status` file is streamed (it can be many MiB) as
 * RFC 822 stanzas; a stanza is a package when its `Status` has the words
 * `ok` and `installed` and it has `Package`, `Version` and `Architecture`.
 * `Source: name (version)` names the source package; without `Source` the
 * package is its own source. The first stanza naming a source fixes that
 * source's version for the database, and a later stanza for the same
 * package name replaces an earlier one, as in claircore. A file written by
 * vcpkg (which mimics this layout) is ignored whole. Each package's
 * repository hint is the MD5 of its `info/<name>[:arch].md5sums` file.
 */
import { createHash } from 'node:crypto';
import type { LayerEntry, LayerFS } from '../../indexer/layer-fs.js';
import type { ScannedPackage } from '../../model/scanned.js';
import type { PackageScanner, ScanContext } from '../../indexer/scanner.js';
import { basename, checkAborted, dirname, ENTRIES_PER_TURN, joinPath, nextTurn, scannerError } from '../internal/layer-files.js';
import { readLines } from '../internal/lines.js';
import { readStanzas } from '../internal/rfc822.js';
import { binaryFields, binaryPackage, comparePackages, isInstalled, isVcpkgStanza, parseSource, sourcePackage, type BinaryFields } from './status.js';

/** Persisted identity; changing it is a migration. */
export const DPKG_PACKAGE_SCANNER_NAME = 'dpkg';
export const DPKG_PACKAGE_SCANNER_VERSION = '7';
export const DPKG_PACKAGE_SCANNER_KIND = 'package';

const MD5SUMS_SUFFIX = '.md5sums';

/** The directory of `entry` if it is a `status` file (or link) beside an `info/` directory. */
function databaseDir(layer: LayerFS, entry: LayerEntry): string | undefined {
  const { path } = entry;
  if (entry.type === 'dir' || !(path === 'status' || path.endsWith('/status'))) return undefined;
  const dir = dirname(path);
  return layer.lstat(joinPath(dir, 'info'))?.type === 'dir' ? dir : undefined;
}

/** Directories that look like dpkg databases: a `status` file (or link) beside an `info/` directory. */
export function findDatabases(layer: LayerFS): string[] {
  const dirs = new Set<string>();
  for (const entry of layer.entries()) {
    const dir = databaseDir(layer, entry);
    if (dir !== undefined) dirs.add(dir);
  }
  return [...dirs].sort();
}

/** {@link findDatabases}, letting the event loop turn during the pass. */
async function findDatabasesPaced(layer: LayerFS, context: ScanContext): Promise<string[]> {
  const dirs = new Set<string>();
  let seen = 0;
  for (const entry of layer.entries()) {
    if (++seen % ENTRIES_PER_TURN === 0) await nextTurn(context);
    const dir = databaseDir(layer, entry);
    if (dir !== undefined) dirs.add(dir);
  }
  return [...dirs].sort();
}

interface Found {
  fields: BinaryFields;
  source: { name: string; version: string };
}

/** Reads one database's `status` file; `undefined` when it is not dpkg's (vcpkg). */
async function readStatus(layer: LayerFS, statusPath: string, context: ScanContext): Promise<Map<string, Found> | undefined> {
  const binaries = new Map<string, Found>();
  const sources = new Map<string, { name: string; version: string }>();
  try {
    for await (const stanza of readStanzas(readLines(layer.createReadStream(statusPath)))) {
      checkAborted(context);
      if (isVcpkgStanza(stanza)) return undefined;
      if (!isInstalled(stanza)) continue;
      const fields = binaryFields(stanza);
      if (fields === undefined) continue;
      const field = stanza.get('source') ?? '';
      let source: { name: string; version: string };
      if (field === '') {
        source = { name: fields.name, version: fields.version };
      } else {
        const parsed = parseSource(field, fields.version);
        source = sources.get(parsed.name) ?? parsed;
        sources.set(parsed.name, source);
      }
      binaries.set(fields.name, { fields, source });
    }
  } catch (err) {
    if (context.signal?.aborted) throw err;
    throw scannerError(DPKG_PACKAGE_SCANNER_NAME, `unable to read ${JSON.stringify(statusPath)}`, err);
  }
  return binaries;
}

/** MD5 hex digests of the database's `info/*.md5sums` files, by package name (the part before any `:arch`). */
async function md5sumsHints(layer: LayerFS, dir: string, names: ReadonlySet<string>): Promise<Map<string, string>> {
  const hints = new Map<string, string>();
  for (const entry of layer.readDir(joinPath(dir, 'info'))) {
    const file = basename(entry.path);
    if (!file.endsWith(MD5SUMS_SUFFIX)) continue;
    const name = file.slice(0, -MD5SUMS_SUFFIX.length).split(':')[0]!;
    if (!names.has(name) || layer.stat(entry.path)?.type !== 'file') continue;
    const hash = createHash('md5');
    try {
      for await (const chunk of layer.createReadStream(entry.path)) hash.update(chunk as Buffer);
    } catch (err) {
      throw scannerError(DPKG_PACKAGE_SCANNER_NAME, `unable to read ${JSON.stringify(entry.path)}`, err);
    }
    hints.set(name, hash.digest('hex'));
  }
  return hints;
}

/** Finds packages installed by dpkg. */
export const dpkgPackageScanner = {
  name: DPKG_PACKAGE_SCANNER_NAME,
  version: DPKG_PACKAGE_SCANNER_VERSION,
  kind: DPKG_PACKAGE_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    const out: ScannedPackage[] = [];
    for (const dir of await findDatabasesPaced(layer, context)) {
      const statusPath = joinPath(dir, 'status');
      if (layer.stat(statusPath)?.type !== 'file') continue;
      const found = await readStatus(layer, statusPath, context);
      if (found === undefined) continue;
      const hints = await md5sumsHints(layer, dir, new Set(found.keys()));
      for (const [name, { fields, source }] of found) {
        out.push(binaryPackage(fields, sourcePackage(source.name, source.version, statusPath), statusPath, hints.get(name) ?? ''));
      }
    }
    return out.sort(comparePackages);
  },
} satisfies PackageScanner;
