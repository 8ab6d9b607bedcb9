/**
 * @module Reverse lookup for notifications: the index records of stored
 * manifests whose package (or its source package) a vulnerability names,
 * narrowed by the distribution and repository fields a matcher constrains
 * on. The matcher's own `filter` and `vulnerable` then decide.
 */
import type { Queryable } from '../database.js';
import type { Distribution, Package, Repository } from '../../model/index.js';

export interface CandidateRecord {
  manifest: string;
  package: Package;
  distribution?: Distribution | undefined;
  repository?: Repository | undefined;
}

/** Columns of `dist` and `repo` a lookup may require equal to a value. */
export type CandidateColumn =
  | 'd.did' | 'd.name' | 'd.version' | 'd.version_code_name' | 'd.version_id' | 'd.arch' | 'd.cpe' | 'd.pretty_name'
  | 'r.name' | 'r.key' | 'p.module';

interface Row {
  hash: string;
  id: number;
  name: string;
  version: string;
  kind: string;
  module: string;
  arch: string;
  norm_kind: string | null;
  norm_version: number[] | null;
  src_name: string | null;
  src_version: string | null;
  dist_id: number | null;
  did: string | null;
  dist_name: string | null;
  dist_version: string | null;
  version_code_name: string | null;
  version_id: string | null;
  dist_arch: string | null;
  dist_cpe: string | null;
  pretty_name: string | null;
  repo_id: number | null;
  repo_name: string | null;
  repo_key: string | null;
  repo_uri: string | null;
  repo_cpe: string | null;
}

export async function candidateRecords(q: Queryable, packageName: string, equal: Partial<Record<CandidateColumn, string>>): Promise<CandidateRecord[]> {
  const params: unknown[] = [packageName];
  const conditions = Object.entries(equal).map(([column, value]) => {
    params.push(value);
    return `${column} = $${params.length}`;
  });
  const { rows } = await q.query<Row>(
    `SELECT DISTINCT m.hash, p.id, p.name, p.version, p.kind, p.module, p.arch, p.norm_kind, p.norm_version,
            s.name AS src_name, s.version AS src_version,
            d.id AS dist_id, d.did, d.name AS dist_name, d.version AS dist_version, d.version_code_name, d.version_id,
            d.arch AS dist_arch, d.cpe AS dist_cpe, d.pretty_name,
            r.id AS repo_id, r.name AS repo_name, r.key AS repo_key, r.uri AS repo_uri, r.cpe AS repo_cpe
     FROM manifest_index mi
     JOIN manifest m ON m.id = mi.manifest_id
     JOIN package p ON p.id = mi.package_id
     LEFT JOIN package_scanartifact psa ON psa.package_id = p.id
     LEFT JOIN package s ON s.id = psa.source_id
     LEFT JOIN dist d ON d.id = mi.dist_id
     LEFT JOIN repo r ON r.id = mi.repo_id
     WHERE (p.name = $1 OR s.name = $1)${conditions.map((c) => ` AND ${c}`).join('')}`,
    params,
  );
  return rows.map((r) => ({
    manifest: r.hash,
    package: {
      id: String(r.id),
      name: r.name,
      version: r.version,
      kind: r.kind as Package['kind'] & string,
      ...(r.src_name !== null ? { source: { id: '', name: r.src_name, version: r.src_version ?? '', kind: 'source' as const, normalized_version: '', cpe: '' } } : {}),
      normalized_version: r.norm_kind && r.norm_version ? `${r.norm_kind}:${r.norm_version.join('.')}` : '',
      ...(r.module ? { module: r.module } : {}),
      ...(r.arch ? { arch: r.arch } : {}),
      cpe: '',
    },
    distribution:
      r.dist_id === null
        ? undefined
        : { id: String(r.dist_id), did: r.did!, name: r.dist_name!, version: r.dist_version!, version_code_name: r.version_code_name!, version_id: r.version_id!, arch: r.dist_arch!, cpe: r.dist_cpe!, pretty_name: r.pretty_name! },
    repository: r.repo_id === null ? undefined : { id: String(r.repo_id), name: r.repo_name!, key: r.repo_key!, uri: r.repo_uri!, cpe: r.repo_cpe! },
  }));
}
