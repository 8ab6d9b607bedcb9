/**
 * @module The indexer service contract. The HTTP routes, the matcher and the
 * notifier talk to an indexer only through this interface: in combo mode it
 * is the local indexer, in distributed mode an HTTP client of another node.
 */
import type { AffectedManifests, IndexReport, Manifest, Vulnerability } from '../model/index.js';

export interface IndexerService {
  /** Indexes a manifest (or returns its stored report) and returns the report. */
  index(manifest: Manifest, signal?: AbortSignal): Promise<IndexReport>;
  /** The stored report, or `undefined` if the manifest is unknown. */
  indexReport(digest: string, signal?: AbortSignal): Promise<IndexReport | undefined>;
  /** Deletes manifests and returns the digests that existed. */
  deleteManifests(digests: readonly string[], signal?: AbortSignal): Promise<string[]>;
  /** Opaque token that changes when the scanner set or versions change. */
  state(signal?: AbortSignal): Promise<string>;
  /** The indexed manifests each vulnerability affects. */
  affectedManifests(vulnerabilities: readonly Vulnerability[], signal?: AbortSignal): Promise<AffectedManifests>;
}
