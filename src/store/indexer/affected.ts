/**
 * @module Reverse lookup for notifications: the index records of stored
 * manifests whose package (or its source package) has one of some names.
 * The indexer then narrows them by each matcher's rules.
 */
import type { Queryable } from '../database.js';
import type { Package } from '../../model/index.js';
import type { StoredIndexRecord } from '../indexer-store.js';

interface Row {
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
 * The packages named one of `$1`, or built from a source package named one,
 * with the name that matched. Both halves are index lookups (`package`'s
 * unique key, `package_source`), whatever the number of stored manifests.
 */
export const PACKAGES_BY_NAME_SQL = `
  SELECT p.id, p.name AS matched FROM package p WHERE p.name = ANY($1::text[])
  UNION
  SELECT ps.package_id, s.name FROM package s JOIN package_source ps ON ps.source_id = s.id WHERE s.name = ANY($1::text[])`;

/**
 * The index records of the packages `$1` (ids), each with the digests of the
 * manifests holding it. Run with the ids as a parameter, the planner sees how
 * few there are and walks `manifest_index_unique_idx`; joined to the name
 * lookup in one statement it misjudged them and scanned the whole table. The
 * digests are read by primary key for each record's manifest ids: a join
 * made it hash the whole `manifest` table for a few hundred rows.
 */
export const RECORDS_OF_PACKAGES_SQL = `
  WITH records AS (
    SELECT mi.package_id, mi.dist_id, mi.repo_id, array_agg(mi.manifest_id) AS manifest_ids
    FROM manifest_index mi
    WHERE mi.package_id = ANY($1::bigint[])
    GROUP BY mi.package_id, mi.dist_id, mi.repo_id
  )
  SELECT ARRAY(SELECT m.hash FROM manifest m WHERE m.id = ANY(rec.manifest_ids)) AS hashes, p.id, p.name, p.version, p.kind, p.module, p.arch, p.norm_kind, p.norm_version,
         src.name AS src_name, src.version AS src_version,
         d.id AS dist_id, d.did, d.name AS dist_name, d.version AS dist_version, d.version_code_name, d.version_id,
         d.arch AS dist_arch, d.cpe AS dist_cpe, d.pretty_name,
         r.id AS repo_id, r.name AS repo_name, r.key AS repo_key, r.uri AS repo_uri, r.cpe AS repo_cpe
  FROM records rec
  JOIN package p ON p.id = rec.package_id
  LEFT JOIN LATERAL (
    SELECT s.name, s.version FROM package_source ps JOIN package s ON s.id = ps.source_id
    WHERE ps.package_id = p.id ORDER BY s.id LIMIT 1
  ) src ON true
  LEFT JOIN dist d ON d.id = rec.dist_id
  LEFT JOIN repo r ON r.id = rec.repo_id`;

/**
 * The index records of stored manifests whose package, or whose source
 * package, has one of `names`, by the name that matched: the package ids
 * first, then their records.
 */
export async function indexRecordsByPackageName(q: Queryable, names: readonly string[]): Promise<Map<string, StoredIndexRecord[]>> {
  const byName = new Map<string, StoredIndexRecord[]>();
  const named = await q.query<{ id: number; matched: string }>(PACKAGES_BY_NAME_SQL, [names]);
  if (named.rows.length === 0) return byName;
  const namesOf = new Map<number, string[]>();
  for (const { id, matched } of named.rows) namesOf.set(Number(id), [...(namesOf.get(Number(id)) ?? []), matched]);
  const { rows } = await q.query<Row>(RECORDS_OF_PACKAGES_SQL, [[...namesOf.keys()]]);
  for (const r of rows) {
    const record = candidate(r);
    for (const name of namesOf.get(Number(r.id)) ?? []) {
      const list = byName.get(name) ?? [];
      list.push(record);
      byName.set(name, list);
    }
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
