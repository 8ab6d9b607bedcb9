/**
 * @module The indexer store in SQL, shared by PostgreSQL and the embedded
 * database. Artifacts are written in set-based batches (`unnest` of arrays),
 * so a layer with thousands of packages costs a handful of statements.
 */
import type { Database, Queryable } from '../database.js';
import type { IndexReport, Manifest } from '../../model/index.js';
import type { ScannedFile, ScannedPackage, StoredPackage } from '../../model/scanned.js';
import type { ScannerIdentity } from '../../model/scanner-identity.js';
import { scannedKey, type IndexerStore, type LayerScanResult, type StoredIndexRecord, type StoredLayerArtifacts } from '../indexer-store.js';
import { indexRecordsByPackageName } from './affected.js';
import { storePackages, loadPackages } from './packages.js';
import { storeDistributions, loadDistributions, storeRepositories, loadRepositories } from './dists-repos.js';
import { indexManifestRecords } from './manifest-index.js';

export class SqlIndexerStore implements IndexerStore {

  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async registerScanners(scanners: readonly ScannerIdentity[]): Promise<string[]> {
    const names = scanners.map((s) => s.name);
    const versions = scanners.map((s) => s.version);
    const kinds = scanners.map((s) => s.kind);
    await this.#db.query(
      `INSERT INTO scanner (name, version, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (name, version, kind) DO NOTHING`,
      [names, versions, kinds],
    );
    const { rows } = await this.#db.query<{ id: number; name: string; version: string; kind: string }>(
      `SELECT s.id, s.name, s.version, s.kind FROM scanner s
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS u(name, version, kind) USING (name, version, kind)`,
      [names, versions, kinds],
    );
    const byKey = new Map(rows.map((r) => [`${r.name}\0${r.version}\0${r.kind}`, String(r.id)]));
    return scanners.map((s) => byKey.get(`${s.name}\0${s.version}\0${s.kind}`)!);
  }

  async manifestScanned(digest: string, scannerIds: readonly string[]): Promise<boolean> {
    const { rows } = await this.#db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM scanned_manifest sm JOIN manifest m ON m.id = sm.manifest_id
       WHERE m.hash = $1 AND sm.scanner_id = ANY($2::bigint[])`,
      [digest, [...scannerIds]],
    );
    return rows[0]!.n === new Set(scannerIds).size;
  }

  async persistManifest(manifest: Manifest): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.query('INSERT INTO manifest (hash) VALUES ($1) ON CONFLICT (hash) DO NOTHING', [manifest.hash]);
      const hashes = manifest.layers.map((l) => l.hash);
      // DO UPDATE, not DO NOTHING: it locks a layer row that already exists,
      // so deleteManifests' cleanup cannot remove it before this manifest
      // links it (the cleanup skips locked layers; one it locked first is
      // deleted before this statement goes on, and then inserted afresh).
      await tx.query('INSERT INTO layer (hash) SELECT * FROM unnest($1::text[]) ON CONFLICT (hash) DO UPDATE SET hash = EXCLUDED.hash', [hashes]);
      await tx.query(
        `INSERT INTO manifest_layer (manifest_id, layer_id, i)
         SELECT m.id, l.id, u.i - 1 FROM manifest m, unnest($2::text[]) WITH ORDINALITY AS u(hash, i) JOIN layer l ON l.hash = u.hash
         WHERE m.hash = $1 ON CONFLICT DO NOTHING`,
        [manifest.hash, hashes],
      );
    });
  }

  async scannedLayers(layerDigests: readonly string[], scannerIds: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.#db.query<{ hash: string; scanner_id: number }>(
      `SELECT l.hash, sl.scanner_id FROM scanned_layer sl JOIN layer l ON l.id = sl.layer_id
       WHERE l.hash = ANY($1::text[]) AND sl.scanner_id = ANY($2::bigint[])`,
      [[...layerDigests], [...scannerIds]],
    );
    return new Set(rows.map((r) => scannedKey(r.hash, String(r.scanner_id))));
  }

  async storeLayerScan(layerDigest: string, scannerId: string, result: LayerScanResult): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.query('INSERT INTO layer (hash) VALUES ($1) ON CONFLICT (hash) DO NOTHING', [layerDigest]);
      const { rows } = await tx.query<{ id: number }>('SELECT id FROM layer WHERE hash = $1', [layerDigest]);
      const layerId = String(rows[0]!.id);
      if (result.packages?.length) await storePackages(tx, layerId, scannerId, result.packages);
      if (result.distributions?.length) await storeDistributions(tx, layerId, scannerId, result.distributions);
      if (result.repositories?.length) await storeRepositories(tx, layerId, scannerId, result.repositories);
      if (result.files?.length) await storeFiles(tx, layerId, scannerId, result.files);
      await tx.query('INSERT INTO scanned_layer (layer_id, scanner_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [layerId, scannerId]);
    });
  }

  async layerArtifacts(layerDigest: string, scannerIds: readonly string[]): Promise<StoredLayerArtifacts> {
    const ids = [...scannerIds];
    const [packages, distributions, repositories, files] = await Promise.all([
      loadPackages(this.#db, layerDigest, ids),
      loadDistributions(this.#db, layerDigest, ids),
      loadRepositories(this.#db, layerDigest, ids),
      loadFiles(this.#db, layerDigest, ids),
    ]);
    return { packages, distributions, repositories, files };
  }

  async setIndexReport(report: IndexReport): Promise<void> {
    await upsertReport(this.#db, report);
  }

  async indexManifest(report: IndexReport): Promise<void> {
    await this.#db.transaction((tx) => indexManifestRecords(tx, report));
  }

  async setIndexFinished(report: IndexReport, scannerIds: readonly string[]): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO scanned_manifest (manifest_id, scanner_id)
         SELECT m.id, s FROM manifest m, unnest($2::bigint[]) AS s WHERE m.hash = $1 ON CONFLICT DO NOTHING`,
        [report.manifest_hash, [...scannerIds]],
      );
      await upsertReport(tx, report);
    });
  }

  async indexReport(digest: string): Promise<IndexReport | undefined> {
    const { rows } = await this.#db.query<{ scan_result: IndexReport }>(
      'SELECT r.scan_result FROM indexreport r JOIN manifest m ON m.id = r.manifest_id WHERE m.hash = $1',
      [digest],
    );
    return rows[0]?.scan_result;
  }

  /**
   * Deletes the manifests (their index and report cascade), then the layers
   * only they used, with those layers' scan results, as claircore's
   * `DeleteManifests` does; without that, a registry that garbage-collects
   * images grows the database forever. Only the deleted manifests' layers
   * are looked at, not the whole table. A layer another manifest is being
   * linked to at that moment is locked by that transaction and skipped.
   */
  async deleteManifests(digests: readonly string[]): Promise<string[]> {
    if (digests.length === 0) return [];
    return this.#db.transaction(async (tx) => {
      const layers = await tx.query<{ layer_id: number }>(
        'SELECT DISTINCT ml.layer_id FROM manifest_layer ml JOIN manifest m ON m.id = ml.manifest_id WHERE m.hash = ANY($1::text[])',
        [[...digests]],
      );
      const { rows } = await tx.query<{ hash: string }>('DELETE FROM manifest WHERE hash = ANY($1::text[]) RETURNING hash', [[...digests]]);
      const candidates = layers.rows.map((r) => r.layer_id);
      if (candidates.length > 0) {
        // Lock first, then look for users in a new statement (a new
        // snapshot under READ COMMITTED), so a link committed meanwhile is seen.
        const locked = await tx.query<{ id: number }>('SELECT id FROM layer WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE SKIP LOCKED', [candidates]);
        await tx.query(
          'DELETE FROM layer l WHERE l.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM manifest_layer ml WHERE ml.layer_id = l.id)',
          [locked.rows.map((r) => r.id)],
        );
      }
      return rows.map((r) => r.hash);
    });
  }

  indexRecordsByPackageName(names: readonly string[]): Promise<Map<string, StoredIndexRecord[]>> {
    return indexRecordsByPackageName(this.#db, names);
  }
}

async function upsertReport(q: Queryable, report: IndexReport): Promise<void> {
  await q.query(
    `INSERT INTO indexreport (manifest_id, state, scan_result) SELECT id, $2, $3::jsonb FROM manifest WHERE hash = $1
     ON CONFLICT (manifest_id) DO UPDATE SET state = EXCLUDED.state, scan_result = EXCLUDED.scan_result`,
    [report.manifest_hash, report.state, JSON.stringify(report)],
  );
}

async function storeFiles(tx: Queryable, layerId: string, scannerId: string, files: ScannedFile[]): Promise<void> {
  const paths = files.map((f) => f.path);
  const kinds = files.map((f) => f.kind);
  await tx.query('INSERT INTO file (path, kind) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (path, kind) DO NOTHING', [paths, kinds]);
  await tx.query(
    `INSERT INTO file_scanartifact (layer_id, file_id, scanner_id)
     SELECT $3, f.id, $4 FROM file f JOIN unnest($1::text[], $2::text[]) AS u(path, kind) USING (path, kind) ON CONFLICT DO NOTHING`,
    [paths, kinds, layerId, scannerId],
  );
}

async function loadFiles(q: Queryable, layerDigest: string, scannerIds: string[]): Promise<ScannedFile[]> {
  const { rows } = await q.query<{ path: string; kind: 'whiteout' }>(
    `SELECT f.path, f.kind FROM file_scanartifact a JOIN layer l ON l.id = a.layer_id JOIN file f ON f.id = a.file_id
     WHERE l.hash = $1 AND a.scanner_id = ANY($2::bigint[]) ORDER BY f.path`,
    [layerDigest, scannerIds],
  );
  return rows;
}

export type { StoredPackage, ScannedPackage };
