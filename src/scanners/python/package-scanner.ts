/**
 * @module Python package scanner (claircore `python.Scanner`, version 5).
 *
 * Installed distributions are found by their metadata files:
 * `*.dist-info/METADATA` (wheels; skipped when the `INSTALLER` file beside it
 * says rpm, dpkg or apk, whose own scanners report them), `*.egg-info` files,
 * `*.egg-info/PKG-INFO` and `*.egg/EGG-INFO/PKG-INFO`. In a layer holding an
 * rpm database the distribution-managed `usr/lib*\/python[23].*` trees are
 * skipped; with a dpkg database, `usr/lib*\/python[23]` (Debian's
 * `dist-packages`). Only the metadata header is read (the body can be a whole
 * README). The name is lower-cased; the version must parse as PEP 440 and is
 * stored in canonical form without its local part, as claircore's `pep440`.
 */
import { posix } from 'node:path';
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { ScannedPackage, ScannedRepository } from '../../model/scanned.js';
import type { PackageScanner, ScanContext } from '../../indexer/scanner.js';
import { formatVersion, normalizeVersion, parseVersion, publicVersion } from '../../versions/pep440/index.js';
import { baseStartsWith, checkAborted, dirname, ENTRIES_PER_TURN, isRegularFile, nextTurn, readSmallText, scannerError } from '../internal/layer-files.js';
import { readLines } from '../internal/lines.js';
import { readHeader } from '../internal/rfc822.js';

/** Persisted identity; changing it is a migration. */
export const PYTHON_PACKAGE_SCANNER_NAME = 'python';
export const PYTHON_PACKAGE_SCANNER_VERSION = '5';
export const PYTHON_PACKAGE_SCANNER_KIND = 'package';

/** The repository every Python package is attributed to. */
export const PYPI_REPOSITORY: ScannedRepository = { name: 'pypi', key: '', uri: 'https://pypi.org/simple', cpe: '' };

/** Installers whose packages other scanners report. */
export const BLOCKED_INSTALLERS: ReadonlySet<string> = new Set(['rpm', 'dpkg', 'apk']);

const RPM_DATABASES = ['var/lib/rpm/Packages', 'var/lib/rpm/rpmdb.sqlite', 'var/lib/rpm/Packages.db'];
const DPKG_STATUS = 'var/lib/dpkg/status';

type Managed = 'rpm' | 'dpkg' | undefined;

/**
 * True when `path` lies below the tree the layer's system package manager
 * owns: `usr/lib*\/<python dir>/…` with at least one more component. Only
 * the third component is cut out, so the cost does not grow with the depth.
 */
function inManagedTree(path: string, managed: Managed): boolean {
  if (managed === undefined || !path.startsWith('usr/lib')) return false;
  const second = path.indexOf('/', 4);
  const third = second < 0 ? -1 : path.indexOf('/', second + 1);
  if (third < 0) return false;
  const dir = path.slice(second + 1, third);
  return managed === 'rpm' ? /^python[23]\./.test(dir) : dir === 'python2' || dir === 'python3';
}

/** Metadata files of installed distributions in the layer, in archive order. */
export async function findMetadata(layer: LayerFS, context: ScanContext = {}): Promise<string[]> {
  const managed: Managed = RPM_DATABASES.some((p) => isRegularFile(layer, p)) ? 'rpm' : isRegularFile(layer, DPKG_STATUS) ? 'dpkg' : undefined;
  const out: string[] = [];
  let seen = 0;
  for (const { path, type } of layer.entries()) {
    if (++seen % ENTRIES_PER_TURN === 0) await nextTurn(context);
    if (type !== 'file' || baseStartsWith(path, '.wh.') || inManagedTree(path, managed)) continue;
    if (path.endsWith('.egg/EGG-INFO/PKG-INFO') || path.endsWith('.egg-info') || path.endsWith('.egg-info/PKG-INFO')) {
      out.push(path);
    } else if (path.endsWith('.dist-info/METADATA')) {
      const installer = (await readSmallText(layer, posix.join(dirname(path), 'INSTALLER'), PYTHON_PACKAGE_SCANNER_NAME))?.trim() ?? '';
      if (!BLOCKED_INSTALLERS.has(installer)) out.push(path);
    }
  }
  return out;
}

/** The site directory a metadata file belongs to, as claircore records it. */
export function siteDirectory(path: string): string {
  return path.endsWith('.egg-info') ? posix.join(path, '..') : posix.join(path, '..', '..');
}

/** Finds Python distributions installed with pip and friends. */
export const pythonPackageScanner = {
  name: PYTHON_PACKAGE_SCANNER_NAME,
  version: PYTHON_PACKAGE_SCANNER_VERSION,
  kind: PYTHON_PACKAGE_SCANNER_KIND,
  defaultRepository: PYPI_REPOSITORY,
  async scan(layer, context) {
    checkAborted(context);
    const out: ScannedPackage[] = [];
    for (const path of await findMetadata(layer, context)) {
      checkAborted(context);
      let header;
      try {
        header = await readHeader(readLines(layer.createReadStream(path)));
      } catch (err) {
        throw scannerError(PYTHON_PACKAGE_SCANNER_NAME, `unable to read ${JSON.stringify(path)}`, err);
      }
      const name = (header.get('name') ?? '').toLowerCase();
      const parsed = parseVersion(header.get('version') ?? '');
      // claircore skips unparsable versions; a nameless distribution cannot be matched either.
      if (!parsed.ok || name === '') continue;
      const normalized = normalizeVersion(parsed.version);
      out.push({
        name,
        version: formatVersion(publicVersion(parsed.version)),
        kind: 'binary',
        arch: '',
        module: '',
        cpe: '',
        ...(normalized === undefined ? {} : { normalizedVersion: normalized }),
        packageDb: `python:${siteDirectory(path)}`,
        filepath: path,
        repositoryHint: PYPI_REPOSITORY.uri,
      });
    }
    return out;
  },
} satisfies PackageScanner;
