/**
 * @module Records whiteout files (`.wh.<name>` and the opaque marker
 * `.wh..wh..opq`) of each layer, for the whiteout resolver.
 */
import type { FileScanner, ScanContext } from '../../indexer/scanner.js';
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { ScannedFile } from '../../model/scanned.js';
import { baseStartsWith, ENTRIES_PER_TURN, nextTurn } from '../internal/layer-files.js';

export const WHITEOUT_SCANNER_NAME = 'whiteout'; // persisted; never rename
export const WHITEOUT_SCANNER_VERSION = '1';
export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

export const whiteoutScanner = {
  name: WHITEOUT_SCANNER_NAME,
  version: WHITEOUT_SCANNER_VERSION,
  kind: 'file',
  async scan(layer: LayerFS, context: ScanContext = {}): Promise<ScannedFile[]> {
    const found: ScannedFile[] = [];
    let seen = 0;
    for (const { path } of layer.entries()) {
      if (++seen % ENTRIES_PER_TURN === 0) await nextTurn(context);
      if (baseStartsWith(path, WHITEOUT_PREFIX)) found.push({ path, kind: 'whiteout' });
    }
    return found;
  },
} as const satisfies FileScanner;
