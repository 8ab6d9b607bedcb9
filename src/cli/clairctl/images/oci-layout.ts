/**
 * @module OCI image layouts: a directory (or a tar of one) with `oci-layout`,
 * `index.json` and content-addressed `blobs/<alg>/<hex>`.
 *
 * Choosing an image from `index.json`, as skopeo's `oci:PATH[:REF]`:
 * `PATH:REF` takes the entries annotated `org.opencontainers.image.ref.name`
 * = REF, `PATH:@N` the N-th entry; with neither, a single entry is taken.
 * Several candidates that all declare a platform are told apart by the
 * platform option; otherwise the choice is left to the user, with the refs
 * listed. An entry that is itself an index is resolved by platform too.
 *
 * The image digest is the chosen image manifest's descriptor digest, checked
 * against the blob's bytes; layer digests and sizes come from that manifest,
 * and each layer blob must exist with that size (the indexer verifies the
 * digest of what it downloads).
 */
import { createHash } from 'node:crypto';
import { clairError } from '../../../lib/errors.js';
import type { Digest } from '../../../model/digest.js';
import type { ArchiveSource } from './archive-source.js';
import { descriptorList, invalidField, parseObject, REF_NAME_ANNOTATION, type Descriptor } from './documents.js';
import { LocalImage, type ArchiveLayer } from './local-image.js';
import { manifestKind } from './media-types.js';
import { choosePlatform, formatPlatform, type Platform } from './platform.js';

/** Nested indexes deeper than this are refused (real layouts nest at most once). */
const MAX_INDEX_DEPTH = 4;

export async function openOciLayout(name: string, source: ArchiveSource, selector: string | undefined, platform: Platform, signal?: AbortSignal): Promise<LocalImage> {
  const layoutWhere = `${source.location}: oci-layout`;
  const layout = parseObject(await source.read('oci-layout'), layoutWhere);
  if (typeof layout.imageLayoutVersion !== 'string') throw invalidField(layoutWhere, 'imageLayoutVersion', 'is missing');
  const indexWhere = `${source.location}: index.json`;
  const entries = descriptorList(parseObject(await source.read('index.json'), indexWhere), indexWhere, 'manifests');
  let descriptor = chooseEntry(entries, selector, platform, source.location);
  for (let depth = 0; ; depth++) {
    signal?.throwIfAborted();
    const where = `${source.location}: blob ${descriptor.digest}`;
    const body = parseObject(await readBlob(source, descriptor), where);
    const kind = manifestKind(descriptor.mediaType, body);
    if (kind === undefined) throw clairError('IMAGE_INVALID', `${where} is neither an image manifest nor an index (media type ${JSON.stringify(descriptor.mediaType ?? '')})`);
    if (kind === 'index') {
      if (depth >= MAX_INDEX_DEPTH) throw clairError('IMAGE_INVALID', `${where}: indexes nest more than ${MAX_INDEX_DEPTH} deep`);
      descriptor = choosePlatform(descriptorList(body, where, 'manifests'), platform, where);
      continue;
    }
    const layers: ArchiveLayer[] = [];
    for (const layer of descriptorList(body, where, 'layers')) {
      const member = blobPath(layer.digest);
      const size = await source.size(member);
      if (size === undefined) throw clairError('IMAGE_INVALID', `${source.location}: layer ${layer.digest} is missing from blobs/`);
      if (size !== layer.size) throw clairError('IMAGE_INVALID', `${source.location}: layer ${layer.digest} is ${size} bytes, but the manifest says ${layer.size}`);
      layers.push({ digest: layer.digest, size, member });
    }
    return new LocalImage(name, descriptor.digest, source, layers);
  }
}

function blobPath(digest: Digest): string {
  const [algorithm, hex] = digest.split(':');
  return `blobs/${algorithm}/${hex}`;
}

/** A manifest or index blob, checked against its descriptor's size and digest. */
async function readBlob(source: ArchiveSource, descriptor: Descriptor): Promise<Buffer> {
  const member = blobPath(descriptor.digest);
  const size = await source.size(member);
  if (size === undefined) throw clairError('IMAGE_INVALID', `${source.location}: blob ${descriptor.digest} is missing from blobs/`);
  if (size !== descriptor.size) throw clairError('IMAGE_INVALID', `${source.location}: blob ${descriptor.digest} is ${size} bytes, but its descriptor says ${descriptor.size}`);
  const bytes = await source.read(member);
  const [algorithm, hex] = descriptor.digest.split(':');
  if (createHash(algorithm!).update(bytes).digest('hex') !== hex) {
    throw clairError('IMAGE_INVALID', `${source.location}: blob ${descriptor.digest} does not match its digest`);
  }
  return bytes;
}

function chooseEntry(entries: Descriptor[], selector: string | undefined, platform: Platform, location: string): Descriptor {
  const listing = () =>
    entries
      .map((e, i) => {
        const ref = e.annotations[REF_NAME_ANNOTATION];
        const label = ref !== undefined ? ref : `@${i}`;
        return e.platform ? `${label} (${formatPlatform(e.platform)})` : label;
      })
      .join(', ');
  if (entries.length === 0) throw clairError('IMAGE_INVALID', `${location}: index.json lists no image`);
  if (selector === undefined) {
    if (entries.length === 1) return entries[0]!;
    if (entries.every((e) => e.platform !== undefined)) return choosePlatform(entries, platform, location);
    throw clairError('IMAGE_REFERENCE', `${location} holds ${entries.length} images: ${listing()}; choose one with ${location}:REF or ${location}:@N`);
  }
  const index = /^@(\d+)$/.exec(selector);
  if (index !== null) {
    const entry = entries[Number(index[1])];
    if (entry === undefined) throw clairError('IMAGE_NOT_FOUND', `${location} has no image ${selector}; it holds ${listing()}`);
    return entry;
  }
  const named = entries.filter((e) => e.annotations[REF_NAME_ANNOTATION] === selector);
  if (named.length === 0) throw clairError('IMAGE_NOT_FOUND', `${location} has no image named ${JSON.stringify(selector)}; it holds ${listing()}`);
  if (named.length === 1) return named[0]!;
  return choosePlatform(named, platform, `${location}:${selector}`);
}
