/**
 * @module Reverse lookup for notifications: the index records of stored
 * manifests whose package (or its source package) has one of some names.
 * The indexer then narrows them by each matcher's rules.
 */
import type { Queryable } from '../database.js';
import type { Package } from '../../model/index.js';
import type { StoredIndexRecord } from '../indexer-store.js';

interface Row {
  matched: string;
  hashes: string[];
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

/**
 * The index records of stored manifests whose package, or whose source
 * package, has one of `names`, by the name that matched. Two index scans (by
 * package name, and by source package through the scan artifacts), then the
 * records of those packages.
 */
export async function indexRecordsByPackageName(q: Queryable, names: readonly string[]): Promise<Map<string, StoredIndexRecord[]>> {
  const { rows } = await q.query<Row>(
    `WITH wanted AS (SELECT unnest($1::text[]) AS name),
     named AS (
       SELECT p.id AS package_id, p.name AS matched FROM package p JOIN wanted w ON p.name = w.name
       UNION
       SELECT DISTINCT psa.package_id, s.name FROM package s JOIN wanted w ON s.name = w.name JOIN package_scanartifact psa ON psa.source_id = s.id
     )
     SELECT n.matched, array_agg(m.hash) AS hashes, p.id, p.name, p.version, p.kind, p.module, p.arch, p.norm_kind, p.norm_version,
            src.name AS src_name, src.version AS src_version,
            d.id AS dist_id, d.did, d.name AS dist_name, d.version AS dist_version, d.version_code_name, d.version_id,
            d.arch AS dist_arch, d.cpe AS dist_cpe, d.pretty_name,
            r.id AS repo_id, r.name AS repo_name, r.key AS repo_key, r.uri AS repo_uri, r.cpe AS repo_cpe
     FROM named n
     JOIN manifest_index mi ON mi.package_id = n.package_id
     JOIN manifest m ON m.id = mi.manifest_id
     JOIN package p ON p.id = mi.package_id
     -- A package's source is the same in every layer it was found in: read one.
     LEFT JOIN LATERAL (
       SELECT s.name, s.version FROM package_scanartifact psa JOIN package s ON s.id = psa.source_id
       WHERE psa.package_id = p.id LIMIT 1
     ) src ON true
     LEFT JOIN dist d ON d.id = mi.dist_id
     LEFT JOIN repo r ON r.id = mi.repo_id
     -- One row per distinct record (the other columns follow from these keys).
     GROUP BY n.matched, p.id, src.name, src.version, d.id, r.id`,
    [names],
  );
  const byName = new Map<string, StoredIndexRecord[]>();
  for (const r of rows) {
    const list = byName.get(r.matched) ?? [];
    list.push(candidate(r));
    byName.set(r.matched, list);
  }
  return byName;
}

function candidate(r: Row): StoredIndexRecord {
  return {
    manifests: r.hashes,
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
  };
}
