/**
 * @module Package artifacts: the package rows (deduplicated across every
 * layer and manifest) and the per-layer, per-scanner links carrying where
 * each was found.
 */
import type { Queryable } from '../database.js';
import type { ScannedPackage, StoredPackage } from '../../model/scanned.js';
import type { NormalizedVersion } from '../../versions/scheme.js';

type PackageRow = Omit<ScannedPackage, 'source' | 'packageDb' | 'filepath' | 'repositoryHint'>;

const keyOf = (p: PackageRow): string => `${p.name}\0${p.version}\0${p.kind}\0${p.module}\0${p.arch}`;

/** Inserts missing package rows and returns the id of every given one by key. */
async function upsertPackageRows(tx: Queryable, packages: PackageRow[]): Promise<Map<string, string>> {
  // Sorted, so that two layers inserting overlapping packages at once take
  // their row locks in the same order and cannot deadlock.
  const unique = [...new Map(packages.map((p) => [keyOf(p), p])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
  const columns = [
    unique.map((p) => p.name),
    unique.map((p) => p.version),
    unique.map((p) => p.kind),
    unique.map((p) => p.module),
    unique.map((p) => p.arch),
    unique.map((p) => p.normalizedVersion?.kind ?? null),
    // 2-D arrays cannot be unnested row by row, so each vector travels as text.
    unique.map((p) => (p.normalizedVersion ? `{${p.normalizedVersion.v.join(',')}}` : null)),
  ];
  await tx.query(
    `INSERT INTO package (name, version, kind, module, arch, norm_kind, norm_version)
     SELECT name, version, kind, module, arch, norm_kind, norm_version::int[]
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       AS u(name, version, kind, module, arch, norm_kind, norm_version)
     ON CONFLICT (name, version, kind, module, arch) DO NOTHING`,
    columns,
  );
  const { rows } = await tx.query<{ id: number; name: string; version: string; kind: string; module: string; arch: string }>(
    `SELECT p.id, p.name, p.version, p.kind, p.module, p.arch FROM package p
     JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(name, version, kind, module, arch)
       USING (name, version, kind, module, arch)`,
    columns.slice(0, 5),
  );
  return new Map(rows.map((r) => [keyOf(r as unknown as PackageRow), String(r.id)]));
}

export async function storePackages(tx: Queryable, layerId: string, scannerId: string, packages: ScannedPackage[]): Promise<void> {
  const rows: PackageRow[] = [];
  for (const p of packages) {
    rows.push(p);
    if (p.source) rows.push(p.source);
  }
  const ids = await upsertPackageRows(tx, rows);
  await tx.query(
    `INSERT INTO package_scanartifact (layer_id, package_id, source_id, scanner_id, package_db, repository_hint, filepath)
     SELECT $1, pkg, src, $2, db, hint, path FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[])
       AS u(pkg, src, db, hint, path)
     ON CONFLICT DO NOTHING`,
    [
      layerId,
      scannerId,
      packages.map((p) => ids.get(keyOf(p))!),
      packages.map((p) => (p.source ? ids.get(keyOf(p.source))! : null)),
      packages.map((p) => p.packageDb),
      packages.map((p) => p.repositoryHint),
      packages.map((p) => p.filepath),
    ],
  );
  const built = packages.flatMap((p) => (p.source ? [[Number(ids.get(keyOf(p))), Number(ids.get(keyOf(p.source)))] as const] : []));
  if (built.length === 0) return;
  built.sort(([a, s], [b, t]) => a - b || s - t); // one lock order, as above
  // The notifier finds "packages built from source X" here, by index.
  await tx.query(
    `INSERT INTO package_source (package_id, source_id)
     SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING`,
    [built.map(([p]) => p), built.map(([, s]) => s)],
  );
}

interface LoadedRow {
  id: number;
  name: string;
  version: string;
  kind: 'binary' | 'source';
  module: string;
  arch: string;
  norm_kind: string | null;
  norm_version: number[] | null;
  source_id: number | null;
  source_name: string | null;
  source_version: string | null;
  source_kind: 'binary' | 'source' | null;
  source_module: string | null;
  source_arch: string | null;
  source_norm_kind: string | null;
  source_norm_version: number[] | null;
  package_db: string;
  repository_hint: string;
  filepath: string;
}

const normalized = (kind: string | null, v: number[] | null): { normalizedVersion?: NormalizedVersion } =>
  kind && v ? { normalizedVersion: { kind, v } } : {};

export async function loadPackages(q: Queryable, layerDigest: string, scannerIds: string[]): Promise<StoredPackage[]> {
  const { rows } = await q.query<LoadedRow>(
    `SELECT p.id, p.name, p.version, p.kind, p.module, p.arch, p.norm_kind, p.norm_version,
            s.id AS source_id, s.name AS source_name, s.version AS source_version, s.kind AS source_kind,
            s.module AS source_module, s.arch AS source_arch, s.norm_kind AS source_norm_kind, s.norm_version AS source_norm_version,
            a.package_db, a.repository_hint, a.filepath
     FROM package_scanartifact a
     JOIN layer l ON l.id = a.layer_id
     JOIN package p ON p.id = a.package_id
     LEFT JOIN package s ON s.id = a.source_id
     WHERE l.hash = $1 AND a.scanner_id = ANY($2::bigint[])
     ORDER BY a.package_db, p.name, p.id`,
    [layerDigest, scannerIds],
  );
  return rows.map((r) => {
    const common = { packageDb: r.package_db, repositoryHint: r.repository_hint, filepath: r.filepath, cpe: '' };
    const pkg: StoredPackage = {
      id: String(r.id),
      name: r.name,
      version: r.version,
      kind: r.kind,
      module: r.module,
      arch: r.arch,
      ...normalized(r.norm_kind, r.norm_version),
      ...common,
    };
    if (r.source_id !== null) {
      pkg.source = {
        id: String(r.source_id),
        name: r.source_name!,
        version: r.source_version!,
        kind: r.source_kind!,
        module: r.source_module!,
        arch: r.source_arch!,
        ...normalized(r.source_norm_kind, r.source_norm_version),
        ...common,
      };
    }
    return pkg;
  });
}
