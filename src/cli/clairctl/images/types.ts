/**
 * @module What every image source shares: the options `openImage` takes,
 * the image it hands back, and (for the LayerServer only) the blobs a local
 * image needs served.
 */
import type { Readable } from 'node:stream';
import type { Logger } from '../../../lib/logger.js';
import type { Digest } from '../../../model/digest.js';
import type { Manifest } from '../../../model/manifest.js';
import type { ByteRange } from './archive-source.js';

export interface ImageOptions {
  /** `os/arch[/variant]` chosen from a multi-platform index; default `linux/amd64`. */
  platform?: string | undefined;
  /** Talk to every registry over plain HTTP, or HTTPS without certificate verification. */
  insecure?: boolean | undefined;
  signal?: AbortSignal | undefined;
  log?: Logger | undefined;
  /**
   * Where credentials are looked up: `DOCKER_CONFIG`, `HOME`,
   * `REGISTRY_AUTH_FILE`, `XDG_RUNTIME_DIR`, and `PATH` for
   * `docker-credential-*` helpers. Default `process.env`.
   */
  env?: NodeJS.ProcessEnv | undefined;
}

export interface OpenedImage {
  /** The argument as the user typed it. */
  readonly name: string;
  /** The manifest digest Clair indexes it under. */
  readonly digest: Digest;
  /** Local layers must be served by a LayerServer before the manifest is usable. */
  readonly local: boolean;
  /**
   * The Clair manifest. A local image needs the server that serves its
   * layers (the image is added to it if it was not yet); a registry image
   * or a manifest file ignores the argument.
   */
  manifest(server?: BlobServer): Manifest;
  /** Frees what the image holds (a decompressed temporary copy); its layers are no longer served. */
  close(): Promise<void>;
}

/** A layer blob of a local image: its digest, exact size, and how to read it. */
export interface LocalBlob {
  readonly digest: Digest;
  readonly size: number;
  /** The blob, or an inclusive range of it. */
  open(range?: ByteRange): Promise<Readable>;
}

/** What a local image needs of the server that serves its layers. */
export interface BlobServer {
  add(image: OpenedImage): void;
  /** The URL the indexer fetches a registered blob from. */
  uriOf(digest: Digest): string;
}

/** The slot where a local image keeps its blobs, read by the LayerServer. */
export const LOCAL_BLOBS = Symbol('clairctl.images.localBlobs');

/** A local image as the LayerServer sees it. */
export interface LocalBlobCarrier {
  readonly [LOCAL_BLOBS]: readonly LocalBlob[];
}

export function localBlobsOf(image: OpenedImage): readonly LocalBlob[] | undefined {
  return (image as Partial<LocalBlobCarrier>)[LOCAL_BLOBS];
}
