/** @module The IndexReport: what the indexer found in a manifest. */
import type { Distribution, Environment, Package, Repository } from './package.js';

/** Controller states, in the order a successful index passes through them. */
export const INDEX_STATES = ['CheckManifest', 'FetchLayers', 'ScanLayers', 'Coalesce', 'IndexManifest', 'IndexFinished', 'IndexError'] as const;
export type IndexState = (typeof INDEX_STATES)[number];

export interface IndexReport {
  manifest_hash: string;
  state: IndexState;
  packages: Record<string, Package>;
  distributions: Record<string, Distribution>;
  /** Upstream's key is singular. */
  repository: Record<string, Repository>;
  environments: Record<string, Environment[]>;
  success: boolean;
  err: string;
}
