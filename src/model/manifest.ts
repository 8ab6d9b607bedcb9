/** @module The Manifest a client asks the indexer to index. */
import type { Digest } from './digest.js';

export interface Layer {
  hash: Digest;
  uri: string;
  /** HTTP headers to send when fetching `uri` (e.g. registry bearer tokens). */
  headers?: Record<string, string[]>;
  media_type?: string;
}

export interface Manifest {
  hash: Digest;
  layers: Layer[];
}
