/**
 * @module Images in a registry, turned into a Clair manifest as Clair's
 * clairctl `Inspect` does it.
 *
 * The manifest is asked for with every OCI and Docker v2 manifest and index
 * type. Its digest is the sha256 (or sha512) of the bytes received, which
 * must equal the reference's digest when it has one; `Docker-Content-Digest`
 * is not trusted, as go-containerregistry does not trust it for tags
 * either. An index is resolved by platform to the image manifest whose
 * digest Clair then indexes. Docker schema 1 manifests are refused.
 *
 * Each layer URI is where a GET of `/v2/<repo>/blobs/<digest>` with `Range:
 * bytes=0-0` ends after redirects, with the `Authorization` that was sent
 * there as the layer's header: the registry's token when the blob is
 * served by the registry itself, nothing when it redirects to a CDN's
 * pre-signed URL. The token is a pull token for one repository, and expires
 * as the registry decides (minutes, for Docker Hub), so index soon.
 */
import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { clairError } from '../../../lib/errors.js';
import { mapLimit } from '../../../lib/concurrency.js';
import type { Logger } from '../../../lib/logger.js';
import type { Digest } from '../../../model/digest.js';
import type { Layer, Manifest } from '../../../model/manifest.js';
import { descriptorList, isObject, parseObject, type JsonObject } from './documents.js';
import { MANIFEST_ACCEPT, manifestKind, type ManifestKind } from './media-types.js';
import { choosePlatform, type Platform } from './platform.js';
import { formatReference, referenceIdentifier, type RegistryReference } from './reference.js';
import { header, readBytes, RegistryClient } from './registry-client.js';
import type { OpenedImage } from './types.js';

export interface RegistryImageOptions {
  platform: Platform;
  insecure: boolean;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal | undefined;
  log?: Logger | undefined;
}

/** Manifests above this are refused, as containers/image refuses them. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024; // 4 MiB
/** Layers probed at once. */
const PROBE_CONCURRENCY = 4;

export async function openRegistryImage(name: string, ref: RegistryReference, options: RegistryImageOptions): Promise<OpenedImage> {
  const display = formatReference(ref);
  const client = await RegistryClient.connect(ref.registry, ref.repository, options);
  try {
    let fetched = await fetchManifest(client, referenceIdentifier(ref), ref.digest, display);
    if (fetched.kind === 'index') {
      const chosen = choosePlatform(descriptorList(fetched.body, `the index of ${display}`, 'manifests'), options.platform, display);
      fetched = await fetchManifest(client, chosen.digest, chosen.digest, display);
      if (fetched.kind !== 'image') throw clairError('IMAGE_INVALID', `${display}: the index entry ${chosen.digest} is another index, which clairctl does not follow`);
    }
    options.log?.debug({ image: display, digest: fetched.digest }, 'registry manifest found');
    const descriptors = descriptorList(fetched.body, `the manifest of ${display}`, 'layers');
    const layers = await mapLimit(descriptors, PROBE_CONCURRENCY, (d) => probeLayer(client, d.digest, display, options.log));
    const manifest: Manifest = { hash: fetched.digest, layers };
    return { name, digest: fetched.digest, local: false, manifest: () => manifest, close: async () => {} };
  } finally {
    await client.close();
  }
}

interface FetchedManifest {
  digest: Digest;
  kind: ManifestKind;
  body: JsonObject;
}

async function fetchManifest(client: RegistryClient, identifier: string, expected: Digest | undefined, display: string): Promise<FetchedManifest> {
  const response = await client.get(`/v2/${client.repository}/manifests/${identifier}`, { accept: MANIFEST_ACCEPT });
  if (response.status === 404) {
    await response.body.dump();
    throw clairError('IMAGE_NOT_FOUND', `image not found: ${display}${expected !== undefined && !display.endsWith(expected) ? ` (its index names manifest ${identifier}, which the registry lacks)` : ''}`);
  }
  if (response.status !== 200) {
    const detail = await errorDetail(response.body);
    throw clairError('IMAGE_REGISTRY', `registry ${client.registry} answered status ${response.status} for the manifest of ${display}${detail}`);
  }
  const bytes = await readBytes(response.body, MAX_MANIFEST_BYTES, `manifest of ${display}`);
  const algorithm = expected?.startsWith('sha512:') ? 'sha512' : 'sha256';
  const digest = `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}` as Digest;
  if (expected !== undefined && digest !== expected) {
    throw clairError('IMAGE_INVALID', `registry ${client.registry} sent a manifest for ${display} that does not match the digest ${expected}`);
  }
  const body = parseObject(bytes, `the manifest of ${display}`);
  if (body.schemaVersion === 1) throw clairError('IMAGE_INVALID', `${display} has a Docker schema 1 manifest, which Clair cannot index; push it again with a current client`);
  const contentType = header(response.headers, 'content-type');
  const kind = manifestKind(contentType, body);
  if (kind === undefined) throw clairError('IMAGE_INVALID', `the manifest of ${display} has an unsupported media type ${JSON.stringify(contentType ?? '')}`);
  return { digest, kind, body };
}

async function probeLayer(client: RegistryClient, digest: Digest, display: string, log: Logger | undefined): Promise<Layer> {
  const response = await client.get(`/v2/${client.repository}/blobs/${digest}`, { range: 'bytes=0-0' });
  // Only where the chain of redirects ends matters, not the body; a server ignoring Range is cut off after a little.
  await response.body.dump();
  if (response.status >= 400 && response.status !== 416) {
    throw clairError('IMAGE_REGISTRY', `registry ${client.registry} answered status ${response.status} for layer ${digest} of ${display}`);
  }
  if (response.status !== 206) log?.warn({ layer: digest, status: response.status }, 'registry range unsupported');
  return {
    hash: digest,
    uri: response.url.href,
    headers: response.authorization !== undefined ? { Authorization: [response.authorization] } : {},
  };
}

/** The registry's `{"errors":[{"code","message"}]}` body, shortened, for an error message. */
async function errorDetail(body: Dispatcher.ResponseData['body']): Promise<string> {
  try {
    const parsed: unknown = JSON.parse((await readBytes(body, 64 * 1024, 'error body')).toString('utf8'));
    const first = isObject(parsed) && Array.isArray(parsed.errors) && isObject(parsed.errors[0]) ? parsed.errors[0] : undefined;
    if (first === undefined) return '';
    return `: ${[first.code, first.message].filter((v) => typeof v === 'string').join(' ').slice(0, 200)}`;
  } catch {
    return '';
  }
}
