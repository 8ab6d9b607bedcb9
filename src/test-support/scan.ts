/**
 * @module Running a scanner over an in-memory layer in tests, and building
 * realistic os-release style files.
 */
import type { ScanContext } from '../indexer/scanner.js';
import { memoryLayer, type MemoryEntrySpec } from './memory-layer-fs.js';

/** Anything with the scanner `scan` shape. */
export interface Scannable<T> {
  scan(layer: ReturnType<typeof memoryLayer>, context: ScanContext): Promise<T[]>;
}

/** Scans a layer made of `entries`. */
export function scanEntries<T>(scanner: Scannable<T>, entries: readonly MemoryEntrySpec[], context: ScanContext = {}): Promise<T[]> {
  return scanner.scan(memoryLayer(entries), context);
}

/** Scans a layer holding one file. */
export function scanFile<T>(scanner: Scannable<T>, path: string, content: string): Promise<T[]> {
  return scanEntries(scanner, [{ path, content }]);
}

/** Joins lines with `\n` and a final newline, as the files are written on disk. */
export function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}
