/**
 * @module `docker save` archives (docker-archive): a `manifest.json` listing
 * each image's `Config`, `RepoTags` and `Layers` (member paths: the old
 * `<id>/layer.tar`, possibly symlinks, or `blobs/sha256/<hex>` since Docker
 * 25), with the layer tars beside it.
 *
 * Choosing an image: an archive holding one needs no choice; otherwise
 * `PATH:REPO:TAG` picks the one with that tag (compared as normalized
 * references, so `alpine` matches `docker.io/library/alpine:latest`) and
 * `PATH:@N` the N-th entry, as skopeo's `docker-archive:` accepts.
 *
 * Digests. A layer's digest is the sha256 of exactly the bytes served: the
 * `blobs/sha256/<hex>` name when there is one, else the config's
 * `rootfs.diff_ids` entry for an uncompressed layer (the diff ID is the
 * sha256 of the uncompressed tar), else (a compressed layer) the sha256
 * computed by reading it once. An archive has no registry manifest, so the
 * image digest is the sha256 of the Docker schema 2 manifest containers/image
 * synthesizes for it (config and layers, every layer typed
 * `…diff.tar.gzip`, compact JSON): for uncompressed layers stored as
 * regular files that is the `Digest` that `skopeo inspect
 * docker-archive:PATH` prints (skopeo 1.9 records a size of 0 for layers
 * reached through a symlink; the real size is used here), and it is the
 * same every time the same archive is read.
 */
import { createHash } from 'node:crypto';
import { clairError } from '../../../lib/errors.js';
import type { Digest } from '../../../model/digest.js';
import type { ArchiveSource } from './archive-source.js';
import { digestField, invalidField, isObject, parseJson, parseObject, type JsonObject } from './documents.js';
import { LocalImage, type ArchiveLayer } from './local-image.js';
import { DOCKER_CONFIG, DOCKER_LAYER_GZIP, DOCKER_MANIFEST } from './media-types.js';
import { formatReference, parseReference } from './reference.js';
import { normalizeEntryName } from './tar-index.js';

interface ArchiveEntry {
  config: string;
  repoTags: string[];
  layers: string[];
}

export async function openDockerArchive(name: string, source: ArchiveSource, selector: string | undefined, signal?: AbortSignal): Promise<LocalImage> {
  const where = `${source.location}: manifest.json`;
  const entries = parseArchiveManifest(parseJson(await source.read('manifest.json'), where), where);
  const entry = chooseEntry(entries, selector, source.location);
  const configBytes = await source.read(entry.config);
  const config = parseObject(configBytes, `${source.location}: ${entry.config}`);
  const diffIds = diffIdsOf(config, `${source.location}: ${entry.config}`);
  if (diffIds !== undefined && diffIds.length !== entry.layers.length) {
    throw clairError('IMAGE_INVALID', `${source.location}: ${entry.config} lists ${diffIds.length} rootfs.diff_ids but manifest.json lists ${entry.layers.length} layers`);
  }
  const layers: ArchiveLayer[] = [];
  for (const [i, member] of entry.layers.entries()) {
    signal?.throwIfAborted();
    const size = await source.size(member);
    if (size === undefined) throw clairError('IMAGE_INVALID', `${source.location}: manifest.json names layer ${member}, which the archive does not hold`);
    layers.push({ member, size, digest: await layerDigest(source, member, size, diffIds?.[i], signal) });
  }
  const manifest = {
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST,
    config: { mediaType: DOCKER_CONFIG, size: configBytes.length, digest: sha256(configBytes) },
    layers: layers.map((l) => ({ mediaType: DOCKER_LAYER_GZIP, size: l.size, digest: l.digest })),
  };
  return new LocalImage(name, sha256(Buffer.from(JSON.stringify(manifest))), source, layers);
}

function parseArchiveManifest(value: unknown, where: string): ArchiveEntry[] {
  if (!Array.isArray(value)) throw clairError('IMAGE_INVALID', `${where} is not a JSON array`);
  if (value.length === 0) throw clairError('IMAGE_INVALID', `${where} lists no image`);
  return value.map((item, i) => {
    if (!isObject(item)) throw invalidField(where, `[${i}]`, 'is not an object');
    const config = item.Config;
    if (typeof config !== 'string' || config === '') throw invalidField(where, `[${i}].Config`, config === undefined ? 'is missing' : 'is not a path');
    const layers = item.Layers;
    if (!Array.isArray(layers) || !layers.every((l) => typeof l === 'string' && l !== '')) {
      throw invalidField(where, `[${i}].Layers`, layers === undefined ? 'is missing' : 'is not an array of paths');
    }
    const tags = item.RepoTags;
    if (tags !== undefined && tags !== null && (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))) {
      throw invalidField(where, `[${i}].RepoTags`, 'is not an array of strings');
    }
    return { config, layers: layers as string[], repoTags: (tags ?? []) as string[] };
  });
}

function chooseEntry(entries: ArchiveEntry[], selector: string | undefined, location: string): ArchiveEntry {
  const listing = () => entries.map((e, i) => `@${i}${e.repoTags.length > 0 ? ` (${e.repoTags.join(', ')})` : ''}`).join(', ');
  if (selector === undefined) {
    if (entries.length === 1) return entries[0]!;
    throw clairError('IMAGE_REFERENCE', `${location} holds ${entries.length} images: ${listing()}; choose one with ${location}:REPO:TAG or ${location}:@N`);
  }
  const index = /^@(\d+)$/.exec(selector);
  if (index !== null) {
    const entry = entries[Number(index[1])];
    if (entry === undefined) throw clairError('IMAGE_NOT_FOUND', `${location} has no image ${selector}; it holds ${listing()}`);
    return entry;
  }
  const wanted = parseReference(selector);
  if (wanted.digest !== undefined) throw clairError('IMAGE_REFERENCE', `${location}:${selector}: choose a docker-archive image by tag or @N, not by digest`);
  const key = formatReference(wanted);
  const found = entries.find((e) => e.repoTags.some((tag) => sameReference(tag, key)));
  if (found === undefined) throw clairError('IMAGE_NOT_FOUND', `${location} has no image tagged ${selector}; it holds ${listing()}`);
  return found;
}

function sameReference(tag: string, key: string): boolean {
  try {
    return formatReference(parseReference(tag)) === key;
  } catch {
    return false;
  }
}

function diffIdsOf(config: JsonObject, where: string): Digest[] | undefined {
  const rootfs = config.rootfs;
  if (!isObject(rootfs) || rootfs.diff_ids === undefined) return undefined;
  if (!Array.isArray(rootfs.diff_ids)) throw invalidField(where, 'rootfs.diff_ids', 'is not an array');
  return rootfs.diff_ids.map((d, i) => digestField(d, where, `rootfs.diff_ids[${i}]`));
}

async function layerDigest(source: ArchiveSource, member: string, size: number, diffId: Digest | undefined, signal?: AbortSignal): Promise<Digest> {
  const named = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(normalizeEntryName(member));
  if (named !== null) return `sha256:${named[1]}` as Digest;
  if (diffId !== undefined && diffId.startsWith('sha256:') && !(await isCompressed(source, member, size))) return diffId;
  // A compressed layer's digest is not recorded anywhere in the archive: hash the bytes served.
  const hash = createHash('sha256');
  let read = 0;
  for await (const chunk of await source.stream(member)) {
    signal?.throwIfAborted();
    hash.update(chunk as Buffer);
    read += (chunk as Buffer).length;
  }
  if (read !== size) throw clairError('IMAGE_INVALID', `${source.location}: layer ${member} is ${read} bytes, not the ${size} its header says`);
  return `sha256:${hash.digest('hex')}` as Digest;
}

async function isCompressed(source: ArchiveSource, member: string, size: number): Promise<boolean> {
  if (size < 4) return false;
  const chunks: Buffer[] = [];
  for await (const chunk of await source.stream(member, { start: 0, end: 3 })) chunks.push(chunk as Buffer);
  const head = Buffer.concat(chunks);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const zstd = head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd;
  return gzip || zstd;
}

function sha256(bytes: Buffer): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}` as Digest;
}
