/**
 * @module An image read from the local disk (docker-archive, OCI layout or
 * archive): its layers are served by a LayerServer, whose URLs become the
 * Clair manifest's layer URIs.
 */
import { clairError } from '../../../lib/errors.js';
import type { Digest } from '../../../model/digest.js';
import type { Manifest } from '../../../model/manifest.js';
import type { ArchiveSource } from './archive-source.js';
import { LOCAL_BLOBS, type BlobServer, type LocalBlob, type LocalBlobCarrier, type OpenedImage } from './types.js';

/** A layer found in an archive: which member holds it and what it is. */
export interface ArchiveLayer {
  digest: Digest;
  size: number;
  member: string;
}

export class LocalImage implements OpenedImage, LocalBlobCarrier {
  readonly local = true;
  readonly [LOCAL_BLOBS]: readonly LocalBlob[];
  readonly #source: ArchiveSource;

  constructor(
    readonly name: string,
    readonly digest: Digest,
    source: ArchiveSource,
    layers: readonly ArchiveLayer[],
  ) {
    this.#source = source;
    this[LOCAL_BLOBS] = layers.map((layer) => ({
      digest: layer.digest,
      size: layer.size,
      open: (range) => source.stream(layer.member, range),
    }));
  }

  manifest(server?: BlobServer): Manifest {
    if (server === undefined) {
      throw clairError('IMAGE_SERVE', `${this.name} is a local image: its layers must be served (start a layer server) before Clair can fetch them`);
    }
    server.add(this);
    return {
      hash: this.digest,
      layers: this[LOCAL_BLOBS].map((blob) => ({ hash: blob.digest, uri: server.uriOf(blob.digest), headers: {} })),
    };
  }

  async close(): Promise<void> {
    await this.#source.close();
  }
}
