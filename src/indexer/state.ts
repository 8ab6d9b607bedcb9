/** @module The indexer state token clients use as an ETag and re-index signal. */
import { createHash } from 'node:crypto';
import type { VersionedScanner } from './versioned-scanner.js';

/**
 * md5 hex of `"libindex number: 2\n"` followed by `name+version+kind+"\n"` for
 * each scanner sorted by name, as libindex computes it, so the token changes
 * exactly when the scanner set or a scanner's version changes.
 */
export function indexerState(scanners: readonly VersionedScanner[]): string {
  const hash = createHash('md5');
  hash.update('libindex number: 2\n');
  const sorted = [...scanners].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const s of sorted) hash.update(`${s.name}${s.version}${s.kind}\n`);
  return hash.digest('hex');
}
