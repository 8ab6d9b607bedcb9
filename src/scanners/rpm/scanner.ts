/**
 * @module The `rpm` package scanner (claircore `rpm/packagescanner.go`,
 * version 10): every package in every rpm database of a layer, read in
 * process (the rpm binary is never run).
 */
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { PackageScanner, ScanContext } from '../../indexer/scanner.js';
import type { ScannedPackage } from '../../model/scanned.js';
import { databasePackages } from './database.js';
import { findRpmDbs } from './find.js';

/** Persisted scanner identity; changing one is a migration. */
export const RPM_SCANNER_NAME = 'rpm';
export const RPM_SCANNER_VERSION = '10';
export const RPM_SCANNER_KIND = 'package';

/**
 * Finds `Packages` (BerkeleyDB), `rpmdb.sqlite` and `Packages.db` (ndb)
 * anywhere in the layer and reports their packages, `gpg-pubkey` entries
 * excluded, with `packageDb` `<bdb|sqlite|ndb>:<dir>`.
 *
 * @throws {ClairError} `RPM_DB_INVALID` when a database or header is
 *   malformed: as in claircore, the layer's scan fails rather than reporting
 *   a partial package list.
 */
export const rpmPackageScanner = {
  name: RPM_SCANNER_NAME,
  version: RPM_SCANNER_VERSION,
  kind: RPM_SCANNER_KIND,
  async scan(layer: LayerFS, context: ScanContext): Promise<ScannedPackage[]> {
    context.signal?.throwIfAborted();
    const out: ScannedPackage[] = [];
    for (const db of await findRpmDbs(layer)) {
      context.signal?.throwIfAborted();
      out.push(...(await databasePackages(layer, db)));
    }
    return out;
  },
} as const satisfies PackageScanner;
