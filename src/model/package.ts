/** @module Packages, distributions, repositories and environments, as Clair reports them. */

export interface Detector {
  name: string;
  version: string;
  kind: string;
}

export type PackageKind = 'binary' | 'source' | 'layer' | 'ancestry' | '';

export interface Package {
  id: string;
  name: string;
  version: string;
  kind?: PackageKind;
  source?: Package;
  /** `<kind>:<10 dot-separated ints>`, or empty. */
  normalized_version: string;
  module?: string;
  arch?: string;
  cpe: string;
  detector?: Detector | null;
}

export interface Distribution {
  id: string;
  did: string;
  name: string;
  version: string;
  version_code_name: string;
  version_id: string;
  arch: string;
  cpe: string;
  pretty_name: string;
}

export interface Repository {
  id?: string;
  name?: string;
  key?: string;
  uri?: string;
  cpe: string;
}

export interface Environment {
  package_db: string;
  introduced_in: string;
  distribution_id: string;
  repository_ids: string[] | null;
}
