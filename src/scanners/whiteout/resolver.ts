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
  const target = whiteoutTarget(whiteout);
  if (target === undefined) return false;
  // An opaque marker hides everything below its directory, not the directory itself.
  if (target.strict && path === target.covered) return false;
  if (target.covered === '') return true;
  return path === target.covered || path.startsWith(`${target.covered}/`);
}

/** One path component of the packages' file paths, with the newest whiteouts that reach it. */
interface PathNode {
  readonly parent: PathNode | undefined;
  children: Map<string, PathNode> | undefined;
  /** Newest layer (by index) whose whiteout deletes this path and everything below it. */
  self: number;
  /** Newest layer whose opaque marker hides everything strictly below this directory. */
  below: number;
}

function pathNode(parent: PathNode | undefined): PathNode {
  return { parent, children: undefined, self: Number.NEGATIVE_INFINITY, below: Number.NEGATIVE_INFINITY };
}

/**
 * What `whiteout` (a whiteout file's path) deletes: `covered` and everything
 * below it, or for an opaque marker (`strict`) only what is below it;
 * `undefined` when it is not a whiteout.
 */
function whiteoutTarget(whiteout: string): { covered: string; strict: boolean } | undefined {
  const slash = whiteout.lastIndexOf('/');
  const dir = slash < 0 ? '' : whiteout.slice(0, slash);
  if (whiteout.startsWith(OPAQUE_MARKER, slash + 1) && whiteout.length - slash - 1 === OPAQUE_MARKER.length) return { covered: dir, strict: true };
  if (!whiteout.startsWith(WHITEOUT_PREFIX, slash + 1)) return undefined;
  return { covered: (dir === '' ? '' : `${dir}/`) + whiteout.slice(slash + 1 + WHITEOUT_PREFIX.length), strict: false };
}

/**
 * Drops each package with a file path that a whiteout of a later layer
 * deletes ({@link deletedBy}). The packages' paths go into a tree of path
 * components; each whiteout is followed down that tree once, marking the
 * node it reaches with its layer; then each package looks at the marks on
 * its own path. The cost is linear in the lengths of the paths, not in the
 * packages times the whiteouts (a layer can hold a million whiteouts).
 */
export const whiteoutResolver: Resolver = {
  resolve(report: PartialReport, layerDigests: readonly string[]): PartialReport {
    const order = new Map(layerDigests.map((d, i) => [d, i]));
    const root = pathNode(undefined);
    const located: Array<{ id: string; node: PathNode; layer: number }> = [];
    for (const [id, pkg] of report.packages) {
      if (pkg.filepath === '') continue;
      const envs = report.environments.get(id) ?? [];
      // The package's layer is the newest of the layers it was seen in.
      const layer = Math.max(...envs.map((e) => order.get(e.introduced_in) ?? -1));
      let node = root;
      for (const name of pkg.filepath.split('/')) {
        let next = node.children?.get(name);
        if (next === undefined) (node.children ??= new Map()).set(name, (next = pathNode(node)));
        node = next;
      }
      located.push({ id, node, layer });
    }
    if (located.length === 0) return report;
    for (const [layer, files] of report.files) {
      const index = order.get(layer) ?? -1;
      for (const file of files) {
        const target = file.kind === 'whiteout' ? whiteoutTarget(file.path) : undefined;
        if (target === undefined) continue;
        let node: PathNode | undefined = root;
        if (target.covered !== '') {
          for (const name of target.covered.split('/')) {
            node = node.children?.get(name);
            if (node === undefined) break; // no package at or below it
          }
        }
        if (node === undefined) continue;
        if (target.strict) node.below = Math.max(node.below, index);
        else node.self = Math.max(node.self, index);
      }
    }
    for (const { id, node, layer } of located) {
      let deleted = node.self > layer;
      for (let up = node.parent; up !== undefined && !deleted; up = up.parent) deleted = up.self > layer || up.below > layer;
      if (deleted) {
        report.packages.delete(id);
        report.environments.delete(id);
      }
    }
    return report;
  },
};
