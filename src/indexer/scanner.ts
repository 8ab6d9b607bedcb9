/**
 * @module Scanner contracts. Each scanner reads one layer and reports what
 * it finds; identity (`name`, `version`, `kind`) is persisted with every
 * result, so a layer already scanned by a scanner at the same version is never
 * scanned again, and bumping `version` rescans only that scanner's work.
 */
import type { LayerFS } from './layer-fs.js';
import type { ScannedDistribution, ScannedFile, ScannedPackage, ScannedRepository } from '../model/scanned.js';
import type { VersionedScanner } from './versioned-scanner.js';

export interface ScanContext {
  signal?: AbortSignal | undefined;
  /** This scanner's entry of `indexer.scanner.{package,dist,repo}`, if configured. */
  config?: unknown;
}

export interface PackageScanner extends VersionedScanner {
  readonly kind: 'package';
  scan(layer: LayerFS, context: ScanContext): Promise<ScannedPackage[]>;
  /** A repository every package this scanner finds belongs to (e.g. PyPI), stored with them. */
  readonly defaultRepository?: ScannedRepository;
}

export interface DistributionScanner extends VersionedScanner {
  readonly kind: 'distribution';
  scan(layer: LayerFS, context: ScanContext): Promise<ScannedDistribution[]>;
}

export interface RepositoryScanner extends VersionedScanner {
  readonly kind: 'repository';
  scan(layer: LayerFS, context: ScanContext): Promise<ScannedRepository[]>;
}

/** Records files other stages need, such as whiteouts for the whiteout resolver. */
export interface FileScanner extends VersionedScanner {
  readonly kind: 'file';
  scan(layer: LayerFS, context: ScanContext): Promise<ScannedFile[]>;
}

export type Scanner = PackageScanner | DistributionScanner | RepositoryScanner | FileScanner;
