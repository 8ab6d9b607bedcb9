/**
 * @module Layer entries in the order Go's `fs.WalkDir` visits them (lexical
 * by path segment, each segment byte-wise), which decides claircore's output
 * order and which of two rpm databases in one directory wins.
 *
 * Scanners that need walk order only ever act on a few entries (databases,
 * archives, executables), so the layer is listed once in archive order and
 * only the selected entries are sorted: no copy or sort of the whole listing,
 * whatever the layer's size.
 */
import type { LayerEntry, LayerFS } from '../../indexer/layer-fs.js';
import type { ScanContext } from '../../indexer/scanner.js';
import { ENTRIES_PER_TURN, nextTurn } from './layer-files.js';

const SLASH = 0x2f;

/**
 * Compares cleaned paths as their walk visits them: segment by segment, each
 * segment by its UTF-8 bytes. Code points compare as their UTF-8 encodings
 * do, and `/` ranks below every other character (a segment that is a prefix
 * of another comes first), so no segment or buffer is allocated.
 */
export function compareWalkOrder(a: string, b: string): number {
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  while (i < na && j < nb) {
    const ua = a.charCodeAt(i);
    if (ua === b.charCodeAt(j) && (ua < 0xd800 || ua > 0xdfff)) {
      i++;
      j++;
      continue;
    }
    const ca = walkKey(a, i);
    const cb = walkKey(b, j);
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return (i < na ? 1 : 0) - (j < nb ? 1 : 0);
}

/** The rank of the character at `s[i]`: its code point, `-1` for `/`, U+FFFD for a lone surrogate (as UTF-8 encodes it). */
function walkKey(s: string, i: number): number {
  const c = s.codePointAt(i)!;
  if (c === SLASH) return -1;
  return c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
}

/**
 * The entries `keep` selects, in walk order: one pass over the listing (the
 * event loop turns every {@link ENTRIES_PER_TURN} entries) and a sort of the
 * selection only.
 */
export async function selectInWalkOrder(layer: LayerFS, keep: (entry: LayerEntry) => boolean, context: ScanContext = {}): Promise<LayerEntry[]> {
  const selected: LayerEntry[] = [];
  let seen = 0;
  for (const entry of layer.entries()) {
    if (++seen % ENTRIES_PER_TURN === 0) await nextTurn(context);
    if (keep(entry)) selected.push(entry);
  }
  return selected.sort((x, y) => compareWalkOrder(x.path, y.path));
}

/** Splits a cleaned path into its directory (`.` for the root, as Go's `path.Clean`) and base name. */
export function splitPath(p: string): { dir: string; base: string } {
  const i = p.lastIndexOf('/');
  return i < 0 ? { dir: '.', base: p } : { dir: p.slice(0, i), base: p.slice(i + 1) };
}
