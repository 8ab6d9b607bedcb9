/**
 * @module Files owned by rpm packages in a layer (claircore
 * `internal/rpm/files.go` `PathSet`). Language scanners skip files an rpm
 * installed, because the rpm is what gets matched for them.
 *
 * Only paths matching claircore's `filePatterns` are recorded. Those
 * patterns are tested against the layer-relative path (no leading `/`), so,
 * exactly as in claircore, the `/usr/bin` and `/usr/libexec` patterns never
 * match and only jars, Python egg-info, `package.json` and gemspecs count.
 */
import type { LayerFS } from '../../indexer/layer-fs.js';
import { packageInfos, readHeaderBlobs } from './database.js';
import { findRpmDbs } from './find.js';

const FILE_PATTERNS = new RegExp(
  [
    String.raw`^.*/[^/]+\.[ejw]ar$`, // Jar files
    String.raw`^.*/site-packages/[^/]+\.egg-info/PKG-INFO$`, // Python packages
    String.raw`^.*/package.json$`, // npm packages
    String.raw`^.*/[^/]+\.gemspec$`, // ruby gems
    String.raw`^/usr/s?bin/[^/]+$`, // any executable (never matches a relative path)
    String.raw`^/usr/libexec/[^/]+/[^/]+$`, // sometimes the executables are here too
  ].join('|'),
);

/** A set of layer-relative paths owned by rpm packages. */
export interface RpmPathSet {
  has(path: string): boolean;
  readonly size: number;
}

const cache = new WeakMap<LayerFS, Promise<RpmPathSet>>();

/**
 * The rpm-owned paths of `layer`, computed once per layer object. Like
 * claircore, an unreadable rpm database is an error for the caller.
 */
export function rpmPathSet(layer: LayerFS): Promise<RpmPathSet> {
  let p = cache.get(layer);
  if (p === undefined) {
    p = build(layer);
    cache.set(layer, p);
    p.catch(() => cache.delete(layer));
  }
  return p;
}

async function build(layer: LayerFS): Promise<RpmPathSet> {
  const paths = new Set<string>();
  for (const db of await findRpmDbs(layer)) {
    for (const info of packageInfos(await readHeaderBlobs(layer, db))) {
      for (const f of info.files) if (FILE_PATTERNS.test(f)) paths.add(f);
    }
  }
  return paths;
}
