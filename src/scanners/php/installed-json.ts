/**
 * @module Composer's `vendor/composer/installed.json`: the packages Composer
 * installed into a vendor directory. Composer 1 writes an array of package
 * objects; Composer 2 writes `{"packages": [...], "dev": …,
 * "dev-package-names": [...]}`. Each package has `name` (`vendor/project`)
 * and `version` as written in its source (`v6.4.2`, `2.x-dev`,
 * `dev-main`), beside `version_normalized`.
 */

/** One installed package. */
export interface InstalledPackage {
  /** Lower-cased: Packagist names are case-insensitive (Composer 2 requires lower case). */
  name: string;
  version: string;
}

export type InstalledJsonResult = { ok: true; packages: InstalledPackage[] } | { ok: false; reason: string };

/**
 * The packages of an installed.json, in file order; entries without a name
 * or version are skipped. Text that is not JSON, or neither of Composer's
 * two shapes, is refused with the reason.
 */
export function parseInstalledJson(text: string): InstalledJsonResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const list = Array.isArray(doc) ? doc : (doc as { packages?: unknown } | null)?.packages;
  if (!Array.isArray(list)) return { ok: false, reason: 'neither a package array (Composer 1) nor an object with "packages" (Composer 2)' };
  const packages: InstalledPackage[] = [];
  for (const entry of list as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { name, version } = entry as { name?: unknown; version?: unknown };
    if (typeof name !== 'string' || name === '' || typeof version !== 'string' || version === '') continue;
    packages.push({ name: name.toLowerCase(), version });
  }
  return { ok: true, packages };
}
