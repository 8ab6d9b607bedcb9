/**
 * @module Layer entries in the order Go's `fs.WalkDir` visits them (lexical
 * by path segment), which decides claircore's output order and which of two
 * databases in one directory wins.
 */
import type { LayerEntry, LayerFS } from '../../indexer/layer-fs.js';

/** Compares cleaned paths segment by segment, each segment byte-wise. */
export function compareWalkOrder(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const c = Buffer.compare(Buffer.from(as[i]!, 'utf8'), Buffer.from(bs[i]!, 'utf8'));
    if (c !== 0) return c;
  }
  return as.length - bs.length;
}

/** The layer's entries (last one per path), sorted in walk order. */
export function entriesInWalkOrder(layer: LayerFS): LayerEntry[] {
  const byPath = new Map<string, LayerEntry>();
  for (const e of layer.entries()) byPath.set(e.path, e);
  return [...byPath.values()].sort((x, y) => compareWalkOrder(x.path, y.path));
}

/** Splits a cleaned path into its directory (`.` for the root, as Go's `path.Clean`) and base name. */
export function splitPath(p: string): { dir: string; base: string } {
  const i = p.lastIndexOf('/');
  return i < 0 ? { dir: '.', base: p } : { dir: p.slice(0, i), base: p.slice(i + 1) };
}
