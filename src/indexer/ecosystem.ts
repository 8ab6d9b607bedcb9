/**
 * @module Ecosystems group the scanners whose results are coalesced
 * together (e.g. dpkg packages with Debian/Ubuntu distributions), as
 * claircore's `indexer.Ecosystem`. Resolvers then run over the merged report.
 */
import type { Environment } from '../model/index.js';
import type { DistributionScanner, FileScanner, PackageScanner, RepositoryScanner } from './scanner.js';
import type { ScannedFile, StoredDistribution, StoredPackage, StoredRepository } from '../model/scanned.js';

/** What one ecosystem's scanners stored for one layer, in manifest order. */
export interface LayerArtifacts {
  digest: string;
  packages: StoredPackage[];
  distributions: StoredDistribution[];
  repositories: StoredRepository[];
  files: ScannedFile[];
}

/** A report under construction: artifacts keyed by their ids. */
export interface PartialReport {
  packages: Map<string, StoredPackage>;
  distributions: Map<string, StoredDistribution>;
  repositories: Map<string, StoredRepository>;
  environments: Map<string, Environment[]>;
  /** Files by the digest of the layer they were found in. */
  files: Map<string, ScannedFile[]>;
}

export const emptyPartialReport = (): PartialReport => ({
  packages: new Map(),
  distributions: new Map(),
  repositories: new Map(),
  environments: new Map(),
  files: new Map(),
});

/** Turns one ecosystem's per-layer artifacts into the packages the image actually contains. */
export interface Coalescer {
  coalesce(layers: readonly LayerArtifacts[]): PartialReport;
}

/** Post-processes the merged report, e.g. dropping packages deleted by whiteouts. */
export interface Resolver {
  resolve(report: PartialReport, layerDigests: readonly string[]): PartialReport;
}

export interface Ecosystem {
  readonly name: string;
  readonly packageScanners: readonly PackageScanner[];
  readonly distributionScanners: readonly DistributionScanner[];
  readonly repositoryScanners: readonly RepositoryScanner[];
  readonly fileScanners: readonly FileScanner[];
  readonly coalescer: Coalescer;
}

/** Merges coalescer outputs: environments append, everything else overwrites by id (claircore MergeSR). */
export function mergeReports(into: PartialReport, parts: readonly PartialReport[]): PartialReport {
  for (const part of parts) {
    for (const [id, envs] of part.environments) into.environments.set(id, [...(into.environments.get(id) ?? []), ...envs]);
    for (const [id, p] of part.packages) into.packages.set(id, p);
    for (const [id, d] of part.distributions) into.distributions.set(id, d);
    for (const [id, r] of part.repositories) into.repositories.set(id, r);
    for (const [layer, files] of part.files) into.files.set(layer, [...(into.files.get(layer) ?? []), ...files]);
  }
  return into;
}
