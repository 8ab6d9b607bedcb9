/**
 * @module The `rhel-package-scanner` (claircore `rhel.PackageScanner`,
 * version 1): every rpm of the layer, as the `rpm` scanner reports them, with
 * the dnf repository each came from added to its repository hint
 * (`…&repoid=rhel-9-for-x86_64-appstream-rpms`). The rhel coalescer uses that
 * to tie a package to only the products (CPE repositories) of its own
 * repository rather than to every product of the layer.
 *
 * The dnf history is consulted, as in claircore, only when the layer has no
 * content manifest or the manifest says `from_dnf_hint: true`.
 */
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { PackageScanner, ScanContext } from '../../indexer/scanner.js';
import type { ScannedPackage } from '../../model/scanned.js';
import { parseRpmver } from '../../versions/rpm/rpmver.js';
import { checkAborted, scannerError } from '../internal/layer-files.js';
import { rpmPackageScanner } from '../rpm/index.js';
import { readContentManifest } from './content-manifest.js';
import { readDnfHistory, type DnfHistory } from './dnf.js';
import { encodeGoQuery, parseGoQuery } from './go-query.js';

/** Persisted scanner identity; changing one is a migration. */
export const RHEL_PACKAGE_SCANNER_NAME = 'rhel-package-scanner';
export const RHEL_PACKAGE_SCANNER_VERSION = '1';
export const RHEL_PACKAGE_SCANNER_KIND = 'package';

/**
 * Adds the repoid dnf recorded for `pkg` to its repository hint and to its
 * source's (claircore `historyDB.AddRepoid`). The source object is shared by
 * the binaries of one database, as in claircore, so it collects the repoids
 * of all of them. A package whose NEVRA cannot be re-parsed is left alone.
 *
 * @throws {ClairError} `SCANNER_FAILED` when a hint is not a valid query string.
 */
export function addRepoid(pkg: ScannedPackage, history: DnfHistory): void {
  const parsed = parseRpmver(`${pkg.name}-${pkg.version}.${pkg.arch}`);
  if (!parsed.ok || parsed.version.name === undefined || parsed.version.arch === undefined) return;
  const v = parsed.version;
  const repoid = history.repoidFor({ name: v.name!, epoch: v.epoch, version: v.version, release: v.release, arch: v.arch! });
  if (repoid === undefined) return;
  for (const p of pkg.source ? [pkg, pkg.source] : [pkg]) {
    const { values, error } = parseGoQuery(p.repositoryHint);
    if (error !== undefined) {
      throw scannerError(RHEL_PACKAGE_SCANNER_NAME, `malformed repository hint (${p.name}: ${JSON.stringify(p.repositoryHint)}): ${error}`);
    }
    const ids = new Set([...(values.get('repoid') ?? []), repoid]);
    values.set('repoid', [...ids].sort());
    p.repositoryHint = encodeGoQuery(values);
  }
}

/** The `rhel-package-scanner`. */
export const rhelPackageScanner = {
  name: RHEL_PACKAGE_SCANNER_NAME,
  version: RHEL_PACKAGE_SCANNER_VERSION,
  kind: RHEL_PACKAGE_SCANNER_KIND,
  /**
   * @throws {ClairError} as the `rpm` scanner, plus `SCANNER_FAILED` for an
   *   ill-typed content manifest or an unreadable dnf history.
   */
  async scan(layer: LayerFS, context: ScanContext): Promise<ScannedPackage[]> {
    checkAborted(context);
    const manifest = await readContentManifest(layer, RHEL_PACKAGE_SCANNER_NAME);
    const packages = await rpmPackageScanner.scan(layer, context);
    if (packages.length === 0 || (manifest !== undefined && !manifest.fromDnfHint)) return packages;
    const history = await readDnfHistory(layer, RHEL_PACKAGE_SCANNER_NAME);
    if (history === undefined) return packages;
    for (const pkg of packages) addRepoid(pkg, history);
    return packages;
  },
} as const satisfies PackageScanner;
