/**
 * @module Records whiteout files (`.wh.<name>` and the opaque marker
 * `.wh..wh..opq`) of each layer, for the whiteout resolver.
 */
import type { FileScanner } from '../../indexer/scanner.js';
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { ScannedFile } from '../../indexer/scanned.js';

export const WHITEOUT_SCANNER_NAME = 'whiteout'; // persisted; never rename
export const WHITEOUT_SCANNER_VERSION = '1';
export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

export const whiteoutScanner = {
  name: WHITEOUT_SCANNER_NAME,
  version: WHITEOUT_SCANNER_VERSION,
  kind: 'file',
  async scan(layer: LayerFS): Promise<ScannedFile[]> {
    const found: ScannedFile[] = [];
    for (const entry of layer.entries()) {
      const base = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      if (base.startsWith(WHITEOUT_PREFIX)) found.push({ path: entry.path, kind: 'whiteout' });
    }
    return found;
  },
} as const satisfies FileScanner;
