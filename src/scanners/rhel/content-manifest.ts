/**
 * @module Red Hat content manifests (claircore `rhel.getContentManifest`):
 * JSON the Red Hat build systems (OSBS, Konflux) put into images, naming the
 * content sets (dnf repository ids) the image's rpms came from.
 */
import type { LayerFS } from '../../indexer/layer-fs.js';
import { readSmallText, scannerError } from '../internal/layer-files.js';

/** Directories searched, in claircore's order; the first `*.json` (by name) of the first that has one is used. */
export const CONTENT_MANIFEST_DIRS = ['root/buildinfo/content_manifests', 'usr/share/buildinfo/content_manifests', 'usr/share/buildinfo'] as const;

/** Read limit of a content manifest (16 MiB; real ones are a few KiB). */
export const CONTENT_MANIFEST_LIMIT = 16 * 1024 * 1024; // 16 MiB

/** The fields of a content manifest claircore reads. */
export interface ContentManifest {
  /** The dnf repository ids the image's content came from. */
  contentSets: string[];
  /** `metadata.image_layer_index`: which layer of the image the manifest describes. */
  imageLayerIndex: number;
  /** True when the dnf history database, not `content_sets`, says where packages came from. */
  fromDnfHint: boolean;
  /** The manifest's path in the layer. */
  path: string;
}

/**
 * The layer's content manifest, if it has one. A file that is not JSON is
 * treated as absent (claircore logs and moves on); JSON of the wrong shape
 * (e.g. `content_sets` not an array of strings) fails the scan, as Go's
 * decoder does.
 *
 * @throws {ClairError} `SCANNER_FAILED` naming `scanner` on an unreadable or
 *   ill-typed manifest.
 */
export async function readContentManifest(layer: LayerFS, scanner: string): Promise<ContentManifest | undefined> {
  const path = findManifest(layer);
  if (path === undefined) return undefined;
  const text = await readSmallText(layer, path, scanner, CONTENT_MANIFEST_LIMIT);
  if (text === undefined) throw scannerError(scanner, `unable to read ${JSON.stringify(path)}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  try {
    return decode(json, path);
  } catch (err) {
    throw scannerError(scanner, `unable to get content manifest ${JSON.stringify(path)}: ${(err as Error).message}`, err);
  }
}

/** First `*.json` regular file (or link to one) by name in the first directory that has one. */
function findManifest(layer: LayerFS): string | undefined {
  for (const dir of CONTENT_MANIFEST_DIRS) {
    for (const entry of layer.readDir(dir)) {
      const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      if (name.endsWith('.json') && layer.stat(entry.path)?.type === 'file') return entry.path;
    }
  }
  return undefined;
}

/**
 * Go `encoding/json` into claircore's struct: unknown keys ignored, key
 * matching case-insensitive (an exact match wins), `null` leaves a field at
 * its zero value, a value of the wrong type is an error.
 */
function decode(json: unknown, path: string): ContentManifest {
  const out: ContentManifest = { contentSets: [], imageLayerIndex: 0, fromDnfHint: false, path };
  if (json === null) return out;
  const top = object(json, 'content manifest');
  const contentSets = field(top, 'content_sets');
  if (contentSets !== undefined && contentSets !== null) {
    if (!Array.isArray(contentSets)) throw new TypeError('content_sets must be an array');
    out.contentSets = contentSets.map((s) => {
      if (typeof s !== 'string') throw new TypeError('content_sets must hold strings');
      return s;
    });
  }
  const metadata = field(top, 'metadata');
  if (metadata !== undefined && metadata !== null) {
    const index = field(object(metadata, 'metadata'), 'image_layer_index');
    if (index !== undefined && index !== null) {
      if (typeof index !== 'number' || !Number.isSafeInteger(index)) throw new TypeError('metadata.image_layer_index must be an integer');
      out.imageLayerIndex = index;
    }
  }
  const hint = field(top, 'from_dnf_hint');
  if (hint !== undefined && hint !== null) {
    if (typeof hint !== 'boolean') throw new TypeError('from_dnf_hint must be a boolean');
    out.fromDnfHint = hint;
  }
  return out;
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

/** A key's value as Go's decoder finds it: the exact key, else the last case-insensitive match. */
function field(obj: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key];
  let found: unknown;
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === key) found = v;
  return found;
}
