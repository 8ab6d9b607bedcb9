/**
 * @module clairctl's image sources: turning each IMAGE argument of
 * `clairctl report` and `clairctl manifest` into the Clair manifest the
 * indexer is given.
 *
 * An IMAGE is, in this order (`argument.ts` has the exact rule):
 * 1. a Clair manifest JSON file, used as it is;
 * 2. a docker-archive (`docker save` output, plain or gzip-compressed, or
 *    `docker-archive:PATH[:REPO:TAG|:@N]`);
 * 3. an OCI image layout directory or tarball (`oci:PATH[:REF]`,
 *    `oci-archive:PATH[:REF]`);
 * 4. otherwise a registry reference (`alpine`, `quay.io/org/app:1.2`,
 *    `host:5000/app@sha256:…`, optionally `docker://…`).
 *
 * Registry images carry their own layer URIs (with the pull token as a
 * header). The layers of local images are reachable by no registry, so the
 * caller starts a {@link LayerServer} and passes it to
 * `OpenedImage.manifest`; the server must be reachable from the Clair
 * indexer (see `layer-server.ts` for `listen`/`advertise`).
 *
 * @example
 * const server = await LayerServer.start({ listen: '127.0.0.1:0' });
 * const image = await openImage('./app.tar', { platform: 'linux/amd64' });
 * try {
 *   await indexer.index(image.manifest(server)); // the layers are fetched while this runs
 * } finally {
 *   await image.close();
 *   await server.close();
 * }
 */
import { clairError } from '../../../lib/errors.js';
import { classifyImage, type LocalFormat } from './argument.js';
import { openArchiveSource, type ArchiveSource } from './archive-source.js';
import { openDockerArchive } from './docker-archive.js';
import { openManifestFile } from './manifest-file.js';
import { openOciLayout } from './oci-layout.js';
import { DEFAULT_PLATFORM, parsePlatform, type Platform } from './platform.js';
import { openRegistryImage } from './registry-image.js';
import type { ImageOptions, OpenedImage } from './types.js';

export { LayerServer, DEFAULT_LISTEN, type LayerServerOptions } from './layer-server.js';
export { DEFAULT_PLATFORM, parsePlatform, formatPlatform, type Platform } from './platform.js';
export { parseReference, formatReference, registryScheme, type RegistryReference } from './reference.js';
export { parseClairManifest } from './manifest-file.js';
export type { ImageOptions, OpenedImage, BlobServer } from './types.js';

/**
 * Resolves an IMAGE argument. Registry images are fully resolved here
 * (manifest, platform, layer URIs and tokens); local ones are indexed and
 * checked, and stay open until {@link OpenedImage.close}.
 *
 * @throws ClairError `CLAIR_ERR_IMAGE_*` naming the argument and the problem.
 */
export async function openImage(arg: string, options: ImageOptions = {}): Promise<OpenedImage> {
  const platform = parsePlatform(options.platform ?? DEFAULT_PLATFORM);
  const target = await classifyImage(arg);
  options.log?.debug({ image: arg, kind: target.kind }, 'image open');
  switch (target.kind) {
    case 'manifest-file':
      return openManifestFile(arg, target.path);
    case 'registry':
      return openRegistryImage(arg, target.reference, {
        platform,
        insecure: options.insecure === true,
        env: options.env ?? process.env,
        signal: options.signal,
        log: options.log,
      });
    case 'local': {
      const source = await openArchiveSource(target.path, { signal: options.signal, log: options.log });
      try {
        return await openLocal(arg, source, target.format, target.selector, platform, options.signal);
      } catch (err) {
        await source.close();
        throw err;
      }
    }
  }
}

async function openLocal(name: string, source: ArchiveSource, format: LocalFormat, selector: string | undefined, platform: Platform, signal?: AbortSignal): Promise<OpenedImage> {
  const hasDockerManifest = (await source.size('manifest.json')) !== undefined;
  const hasOciLayout = (await source.size('oci-layout')) !== undefined;
  const chosen = format !== 'auto' ? format : hasDockerManifest ? 'docker-archive' : hasOciLayout ? 'oci' : undefined;
  if (chosen === 'docker-archive' && hasDockerManifest) return openDockerArchive(name, source, selector, signal);
  if (chosen === 'oci' && hasOciLayout) return openOciLayout(name, source, selector, platform, signal);
  const what = source.kind === 'tar' ? 'a tar archive' : 'a directory';
  const why =
    chosen === 'docker-archive'
      ? 'but not a docker-archive (no manifest.json)'
      : chosen === 'oci'
        ? 'but not an OCI layout (no oci-layout)'
        : 'but neither a docker-archive (no manifest.json) nor an OCI layout (no oci-layout)';
  throw clairError('IMAGE_INVALID', `${source.location} is ${what} ${why}`);
}
