/**
 * @module Small helpers scanners share for reading a layer: bounded reads of
 * small text files, path pieces, abort checks, pacing of passes over the
 * listing, and the scanner error.
 */
import { setImmediate } from 'node:timers/promises';
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { ScanContext } from '../../indexer/scanner.js';
import { clairError, type ClairError } from '../../lib/errors.js';

/** Read limit for small metadata files (os-release, lsb-release, issue, INSTALLER): 1 MiB. */
export const SMALL_FILE_LIMIT = 1024 * 1024;

/** Throws the signal's reason when the scan has been cancelled. */
export function checkAborted(context: ScanContext): void {
  context.signal?.throwIfAborted();
}

/**
 * Entries a scanner looks at between two turns of the event loop. A layer
 * can list a million entries; a pass over them in one go would hold the loop
 * (and the health checks) for seconds.
 */
export const ENTRIES_PER_TURN = 4096;

/** Lets the event loop turn, then throws if the scan has been cancelled meanwhile. */
export async function nextTurn(context: ScanContext): Promise<void> {
  await setImmediate();
  checkAborted(context);
}

/** The catalogued error for a scanner that could not read a layer, prefixed with the scanner name. */
export function scannerError(scanner: string, message: string, cause?: unknown): ClairError {
  return clairError('SCANNER_FAILED', `${scanner}: ${message}`, cause === undefined ? {} : { cause });
}

/** True when `path` (following symlinks) is a regular file. */
export function isRegularFile(layer: LayerFS, path: string): boolean {
  return layer.stat(path)?.type === 'file';
}

/**
 * The contents of a small text file as UTF-8, following symlinks, or
 * `undefined` when the path is not a regular file or is larger than
 * `maxBytes` (such a file is not the metadata a scanner looks for, and must
 * not be loaded). Read failures of an existing file are scanner errors.
 */
export async function readSmallText(layer: LayerFS, path: string, scanner: string, maxBytes = SMALL_FILE_LIMIT): Promise<string | undefined> {
  const entry = layer.stat(path);
  if (entry?.type !== 'file' || entry.size > maxBytes) return undefined;
  try {
    return (await layer.readFile(path, { maxBytes })).toString('utf8');
  } catch (err) {
    throw scannerError(scanner, `unable to read ${JSON.stringify(path)}`, err);
  }
}

/** True when the final path component of `path` starts with `prefix` (no component is allocated). */
export function baseStartsWith(path: string, prefix: string): boolean {
  return path.startsWith(prefix, path.lastIndexOf('/') + 1);
}

/** The final path component. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Everything before the final path component (`''` at the root). */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Joins cleaned path components, skipping empty ones. */
export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

/**
 * The files of `layer` that `matches` (by path) and are at most `maxBytes`,
 * with their text: one paced pass over the listing, then each file read in
 * turn, so a scanner that looks for one kind of manifest (Cargo.lock,
 * installed.json, *.deps.json) is linear in the layer and holds one file at
 * a time.
 */
export async function* textFilesMatching(layer: LayerFS, context: ScanContext, scanner: string, maxBytes: number, matches: (path: string) => boolean): AsyncGenerator<{ path: string; text: string }> {
  checkAborted(context);
  const paths: string[] = [];
  let seen = 0;
  for (const { path, type, size } of layer.entries()) {
    if (++seen % ENTRIES_PER_TURN === 0) await nextTurn(context);
    if (type === 'file' && size <= maxBytes && matches(path)) paths.push(path);
  }
  for (const path of paths) {
    checkAborted(context);
    const text = await readSmallText(layer, path, scanner, maxBytes);
    if (text !== undefined) yield { path, text };
  }
}
