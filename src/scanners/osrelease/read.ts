/**
 * @module Reading a layer's os-release file: `etc/os-release`, or
 * `usr/lib/os-release` when the former does not exist.
 */
import type { LayerFS } from '../../indexer/layer-fs.js';
import { readSmallText } from '../internal/layer-files.js';
import { OS_RELEASE_FALLBACK_PATH, OS_RELEASE_PATH, parseOsRelease } from './parse.js';

/** The os-release file found in a layer. */
export interface FoundOsRelease {
  readonly path: string;
  readonly text: string;
  /** Parsed values; `undefined` when the file is malformed. */
  readonly values: ReadonlyMap<string, string> | undefined;
}

/**
 * The first os-release file of `paths` that is a regular file in the layer
 * (by default `etc/os-release`, then `usr/lib/os-release`), or `undefined`.
 */
export async function readOsRelease(
  layer: LayerFS,
  scanner: string,
  paths: readonly string[] = [OS_RELEASE_PATH, OS_RELEASE_FALLBACK_PATH],
): Promise<FoundOsRelease | undefined> {
  for (const path of paths) {
    const text = await readSmallText(layer, path, scanner);
    if (text === undefined) continue;
    const parsed = parseOsRelease(text);
    return { path, text, values: parsed.ok ? parsed.values : undefined };
  }
  return undefined;
}
