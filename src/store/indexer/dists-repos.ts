/** @module Distribution and repository artifacts, deduplicated like packages. */
import type { Queryable } from '../database.js';
import type { ScannedDistribution, ScannedRepository, StoredDistribution, StoredRepository } from '../../model/scanned.js';

const DIST_FIELDS = ['name', 'did', 'version', 'versionCodeName', 'versionId', 'arch', 'cpe', 'prettyName'] as const;
const DIST_COLUMNS = 'name, did, version, version_code_name, version_id, arch, cpe, pretty_name';

export async function storeDistributions(tx: Queryable, layerId: string, scannerId: string, dists: ScannedDistribution[]): Promise<void> {
  const columns = DIST_FIELDS.map((f) => dists.map((d) => d[f]));
  const unnest = `unnest(${DIST_FIELDS.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS u(${DIST_COLUMNS})`;
  await tx.query(`INSERT INTO dist (${DIST_COLUMNS}) SELECT * FROM ${unnest} ON CONFLICT DO NOTHING`, columns);
  await tx.query(
    `INSERT INTO dist_scanartifact (layer_id, dist_id, scanner_id)
     SELECT $9, d.id, $10 FROM dist d JOIN ${unnest} USING (${DIST_COLUMNS}) ON CONFLICT DO NOTHING`,
    [...columns, layerId, scannerId],
  );
}

export async function loadDistributions(q: Queryable, layerDigest: string, scannerIds: string[]): Promise<StoredDistribution[]> {
  const { rows } = await q.query<{ id: number; name: string; did: string; version: string; version_code_name: string; version_id: string; arch: string; cpe: string; pretty_name: string }>(
    `SELECT d.id, d.${DIST_COLUMNS.split(', ').join(', d.')} FROM dist_scanartifact a
     JOIN layer l ON l.id = a.layer_id JOIN dist d ON d.id = a.dist_id
     WHERE l.hash = $1 AND a.scanner_id = ANY($2::bigint[]) ORDER BY d.id`,
    [layerDigest, scannerIds],
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    did: r.did,
    version: r.version,
    versionCodeName: r.version_code_name,
    versionId: r.version_id,
    arch: r.arch,
    cpe: r.cpe,
    prettyName: r.pretty_name,
  }));
}

export async function storeRepositories(tx: Queryable, layerId: string, scannerId: string, repos: ScannedRepository[]): Promise<void> {
  const columns = [repos.map((r) => r.name), repos.map((r) => r.key), repos.map((r) => r.uri), repos.map((r) => r.cpe)];
  await tx.query(
    `INSERT INTO repo (name, key, uri, cpe) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT (name, key, uri) DO NOTHING`,
    columns,
  );
  await tx.query(
    `INSERT INTO repo_scanartifact (layer_id, repo_id, scanner_id)
     SELECT $4, r.id, $5 FROM repo r JOIN unnest($1::text[], $2::text[], $3::text[]) AS u(name, key, uri) USING (name, key, uri)
     ON CONFLICT DO NOTHING`,
    [...columns.slice(0, 3), layerId, scannerId],
  );
}

export async function loadRepositories(q: Queryable, layerDigest: string, scannerIds: string[]): Promise<StoredRepository[]> {
  const { rows } = await q.query<{ id: number; name: string; key: string; uri: string; cpe: string }>(
    `SELECT r.id, r.name, r.key, r.uri, r.cpe FROM repo_scanartifact a
     JOIN layer l ON l.id = a.layer_id JOIN repo r ON r.id = a.repo_id
     WHERE l.hash = $1 AND a.scanner_id = ANY($2::bigint[]) ORDER BY r.id`,
    [layerDigest, scannerIds],
  );
  return rows.map((r) => ({ id: String(r.id), name: r.name, key: r.key, uri: r.uri, cpe: r.cpe }));
}
