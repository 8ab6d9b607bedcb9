/**
 * @module A Clair manifest written to a file (`clairctl manifest` output, or
 * a hand-made one), used as it is: nothing is fetched, and the layer URIs
 * must already be reachable by the indexer.
 *
 * Validated as Clair would take it, with the field named on failure: `hash`
 * a digest, `layers` an array whose items have a digest `hash`, an absolute
 * http(s) `uri`, optional `headers` (name → array of strings) and optional
 * string `media_type`. Other fields are ignored. The file may hold one JSON
 * document, at most 16 MiB.
 */
import { readFile, stat } from 'node:fs/promises';
import { clairError } from '../../../lib/errors.js';
import type { Digest } from '../../../model/digest.js';
import type { Layer, Manifest } from '../../../model/manifest.js';
import { MAX_DOCUMENT_BYTES } from './archive-source.js';
import { digestField, invalidField, isObject, parseJson } from './documents.js';
import type { OpenedImage } from './types.js';

export async function openManifestFile(name: string, path: string): Promise<OpenedImage> {
  const size = (await stat(path)).size;
  if (size > MAX_DOCUMENT_BYTES) throw clairError('IMAGE_INVALID', `${path}: ${size} bytes is too large for a Clair manifest`);
  const manifest = parseClairManifest(parseJson(await readFile(path), path), path);
  return {
    name,
    digest: manifest.hash,
    local: false,
    manifest: () => manifest,
    close: async () => {},
  };
}

/** Checks a parsed document is a Clair manifest and returns a clean copy. */
export function parseClairManifest(value: unknown, where: string): Manifest {
  if (!isObject(value)) throw clairError('IMAGE_INVALID', `${where} is not a Clair manifest: not a JSON object`);
  if (!('hash' in value) || !('layers' in value)) {
    throw clairError('IMAGE_INVALID', `${where} is not a Clair manifest: it has no ${'hash' in value ? '"layers"' : '"hash"'} field`);
  }
  const hash = digestField(value.hash, where, 'hash');
  if (!Array.isArray(value.layers)) throw invalidField(where, 'layers', 'is not an array');
  return { hash, layers: value.layers.map((layer, i) => parseLayer(layer, where, `layers[${i}]`)) };
}

function parseLayer(value: unknown, where: string, field: string): Layer {
  if (!isObject(value)) throw invalidField(where, field, 'is not an object');
  const hash: Digest = digestField(value.hash, where, `${field}.hash`);
  const uri = value.uri;
  if (typeof uri !== 'string' || uri === '') throw invalidField(where, `${field}.uri`, uri === undefined ? 'is missing' : 'is not a non-empty string');
  let protocol: string;
  try {
    protocol = new URL(uri).protocol;
  } catch {
    throw invalidField(where, `${field}.uri`, 'is not an absolute URL');
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw invalidField(where, `${field}.uri`, `uses ${protocol.slice(0, -1)}, not http or https`);
  const layer: Layer = { hash, uri };
  if (value.headers !== undefined && value.headers !== null) {
    if (!isObject(value.headers)) throw invalidField(where, `${field}.headers`, 'is not an object of header name to array of values');
    const headers: Record<string, string[]> = {};
    for (const [header, values] of Object.entries(value.headers)) {
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) {
        throw invalidField(where, `${field}.headers[${JSON.stringify(header)}]`, 'is not an array of strings');
      }
      headers[header] = values as string[];
    }
    layer.headers = headers;
  }
  if (value.media_type !== undefined && value.media_type !== null) {
    if (typeof value.media_type !== 'string') throw invalidField(where, `${field}.media_type`, 'is not a string');
    if (value.media_type !== '') layer.media_type = value.media_type;
  }
  return layer;
}
