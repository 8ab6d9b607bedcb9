/**
 * @module The manifest media types clairctl reads, in registries and in OCI
 * layouts, and which of them are indexes (lists of per-platform manifests)
 * rather than image manifests.
 */

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
/**
 * The layer type containers/image declares for every docker-archive layer,
 * compressed or not; kept so a synthesized manifest hashes as skopeo's does.
 */
export const DOCKER_LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

/** What a registry is asked for, best first: both image-manifest and index types. */
export const MANIFEST_ACCEPT = [OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_MANIFEST_LIST].join(', ');

export type ManifestKind = 'image' | 'index';

/**
 * Which kind a manifest is: by its declared media type when that is one we
 * know, else by shape (`manifests` makes an index, `layers` an image), as
 * OCI allows `mediaType` to be absent. `undefined` when neither says.
 */
export function manifestKind(mediaType: string | undefined, body: Record<string, unknown>): ManifestKind | undefined {
  const type = (mediaType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === OCI_INDEX || type === DOCKER_MANIFEST_LIST) return 'index';
  if (type === OCI_MANIFEST || type === DOCKER_MANIFEST) return 'image';
  const declared = typeof body.mediaType === 'string' ? body.mediaType : undefined;
  if (declared === OCI_INDEX || declared === DOCKER_MANIFEST_LIST) return 'index';
  if (declared === OCI_MANIFEST || declared === DOCKER_MANIFEST) return 'image';
  if (Array.isArray(body.manifests)) return 'index';
  if (Array.isArray(body.layers)) return 'image';
  return undefined;
}
