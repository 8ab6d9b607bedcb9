/**
 * @module What scanners report, before storage assigns ids: the internal
 * counterparts of the wire Package, Distribution and Repository, carrying
 * the fields claircore keeps out of the API (`packageDb`, `filepath`,
 * `repositoryHint`).
 */
import type { NormalizedVersion } from '../versions/scheme.js';
import type { VulnerableDistribution } from './vulnerability-record.js';

export interface ScannedPackage {
  name: string;
  version: string;
  /** `binary` for installed packages; `source` for the source package of one. */
  kind: 'binary' | 'source';
  arch: string;
  /** e.g. an RPM module `name:stream`; empty when none. */
  module: string;
  cpe: string;
  /** The source package, when the ecosystem records one. */
  source?: ScannedPackage;
  /** For database range pre-filtering, where the ecosystem's scheme has one. */
  normalizedVersion?: NormalizedVersion;
  /** Where the package was recorded, e.g. `var/lib/dpkg/status`, `python:usr/lib/python3/site-packages`. */
  packageDb: string;
  /** The file the package was found at (language packages), for whiteout resolution; empty otherwise. */
  filepath: string;
  /** Scanner-specific hint, e.g. a dpkg md5sums digest or rpm `hash=…&key=…`. */
  repositoryHint: string;
}

/** A distribution as scanners find it: the same fields vulnerability records carry. */
export type ScannedDistribution = VulnerableDistribution;

export interface ScannedRepository {
  name: string;
  key: string;
  uri: string;
  cpe: string;
}

/** A file a file scanner recorded, e.g. a whiteout. */
export interface ScannedFile {
  path: string;
  kind: 'whiteout';
}

/** Stored artifacts carry their database id, which is also their id in reports. */
export type Stored<T> = T & { id: string };

export interface StoredPackage extends Omit<ScannedPackage, 'source'> {
  id: string;
  source?: Stored<Omit<ScannedPackage, 'source'>>;
}
export type StoredDistribution = Stored<ScannedDistribution>;
export type StoredRepository = Stored<ScannedRepository>;
