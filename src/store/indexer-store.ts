/**
 * @module The indexer's persistence contract. One SQL implementation serves
 * PostgreSQL and the embedded store; its conformance suite runs on both.
 */
import type { IndexRecord, IndexReport, Manifest } from '../model/index.js';
import type { ScannedDistribution, ScannedFile, ScannedPackage, ScannedRepository, StoredDistribution, StoredPackage, StoredRepository } from '../model/scanned.js';
import type { ScannerIdentity } from '../model/scanner-identity.js';

/** Everything one scanner found in one layer, stored atomically with the "scanned" mark. */
export interface LayerScanResult {
  packages?: ScannedPackage[];
  distributions?: ScannedDistribution[];
  repositories?: ScannedRepository[];
  files?: ScannedFile[];
}

/** What the given scanners stored for one layer. */
export interface StoredLayerArtifacts {
  packages: StoredPackage[];
  distributions: StoredDistribution[];
  repositories: StoredRepository[];
  files: ScannedFile[];
}

export interface IndexerStore {
  /** Records scanners (idempotent) and returns their ids, in the order given. */
  registerScanners(scanners: readonly ScannerIdentity[]): Promise<string[]>;
  /** True when the manifest was fully indexed by every one of these scanners. */
  manifestScanned(digest: string, scannerIds: readonly string[]): Promise<boolean>;
  /** Records the manifest, its layers and their order (idempotent). */
  persistManifest(manifest: Manifest): Promise<void>;
  /** The `layer|scannerId` pairs among these already scanned. */
  scannedLayers(layerDigests: readonly string[], scannerIds: readonly string[]): Promise<Set<string>>;
  /** Stores one scanner's findings for one layer and marks the layer scanned by it, in one transaction. */
  storeLayerScan(layerDigest: string, scannerId: string, result: LayerScanResult): Promise<void>;
  /** Loads what these scanners stored for a layer. */
  layerArtifacts(layerDigest: string, scannerIds: readonly string[]): Promise<StoredLayerArtifacts>;
  /** Saves the report in its current state (every controller transition). */
  setIndexReport(report: IndexReport): Promise<void>;
  /** Records the report's index records (package × distribution × repository) for affected-manifest lookups. */
  indexManifest(report: IndexReport): Promise<void>;
  /** Saves the finished report and marks the manifest scanned by these scanners, in one transaction. */
  setIndexFinished(report: IndexReport, scannerIds: readonly string[]): Promise<void>;
  indexReport(digest: string): Promise<IndexReport | undefined>;
  /** Deletes manifests; returns the digests that existed. */
  deleteManifests(digests: readonly string[]): Promise<string[]>;
  /**
   * The index records of stored manifests whose package, or whose source
   * package, has one of `names`, by the name that matched (the affected-manifest
   * reverse lookup). Manifests with the same record (a shared base layer) come
   * as one record listing them all, so each record is judged once.
   */
  indexRecordsByPackageName(names: readonly string[]): Promise<Map<string, StoredIndexRecord[]>>;
}

/** An index record, and the stored manifests that have it. */
export interface StoredIndexRecord extends IndexRecord {
  /** The manifests' digests. */
  manifests: string[];
}

/** Key of {@link IndexerStore.scannedLayers} entries. */
export const scannedKey = (layerDigest: string, scannerId: string): string => `${layerDigest}|${scannerId}`;
