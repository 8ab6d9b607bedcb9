/**
 * @module Drops packages that a later layer deleted with a whiteout (OCI
 * image spec "Whiteouts"). Only packages found at a file path (language
 * packages) can be matched against whiteouts; OS packages disappear through
 * their package database instead.
 */
import type { PartialReport, Resolver } from '../../indexer/ecosystem.js';
import { OPAQUE_MARKER, WHITEOUT_PREFIX } from './file-scanner.js';

/** True when `whiteout` (a whiteout file's path) deletes `path` or a directory above it. */
export function deletedBy(path: string, whiteout: string): boolean {
  const slash = whiteout.lastIndexOf('/');
  const dir = slash < 0 ? '' : whiteout.slice(0, slash);
  const base = whiteout.slice(slash + 1);
  let covered: string;
  if (base === OPAQUE_MARKER) {
    // Hides everything below the directory, not the directory itself.
    if (path === dir) return false;
    covered = dir;
  } else if (base.startsWith(WHITEOUT_PREFIX)) {
    covered = (dir === '' ? '' : `${dir}/`) + base.slice(WHITEOUT_PREFIX.length);
  } else {
    return false;
  }
  if (covered === '') return true;
  return path === covered || path.startsWith(`${covered}/`);
}

export const whiteoutResolver: Resolver = {
  resolve(report: PartialReport, layerDigests: readonly string[]): PartialReport {
    const order = new Map(layerDigests.map((d, i) => [d, i]));
    for (const [id, pkg] of report.packages) {
      if (pkg.filepath === '') continue;
      const envs = report.environments.get(id) ?? [];
      // The package's layer is the newest of the layers it was seen in.
      const packageLayer = Math.max(...envs.map((e) => order.get(e.introduced_in) ?? -1));
      let deleted = false;
      for (const [layer, files] of report.files) {
        if ((order.get(layer) ?? -1) <= packageLayer) continue;
        if (files.some((f) => f.kind === 'whiteout' && deletedBy(pkg.filepath, f.path))) {
          deleted = true;
          break;
        }
      }
      if (deleted) {
        report.packages.delete(id);
        report.environments.delete(id);
      }
    }
    return report;
  },
};
