/** @module Conformance suite for {@link IndexerStore}, run on each backend. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../open.js';
import { loadMigrations, migrate } from '../migrate.js';
import type { Database } from '../database.js';
import { SqlIndexerStore } from './sql-indexer-store.js';
import { scannedKey } from '../indexer-store.js';
import { createTestDatabase, type Backend, type TestDatabase } from '../../test-support/databases.js';
import type { IndexReport, Manifest } from '../../model/index.js';
import type { ScannedPackage } from '../../model/scanned.js';

const L1 = `sha256:${'1'.repeat(64)}`;
const L2 = `sha256:${'2'.repeat(64)}`;
const M = `sha256:${'9'.repeat(64)}`;
const manifest = { hash: M, layers: [{ hash: L1, uri: 'http://x/1' }, { hash: L2, uri: 'http://x/2' }] } as unknown as Manifest;

const dpkgPkg = (name: string, version: string, source?: [string, string]): ScannedPackage => ({
  name,
  version,
  kind: 'binary',
  arch: 'amd64',
  module: '',
  cpe: '',
  packageDb: 'var/lib/dpkg/status',
  filepath: '',
  repositoryHint: 'abc',
  ...(source ? { source: { name: source[0], version: source[1], kind: 'source', arch: '', module: '', cpe: '', packageDb: 'var/lib/dpkg/status', filepath: '', repositoryHint: '' } } : {}),
});

export function runIndexerStoreSuite(backend: Backend, skip?: string): void {
  describe(`IndexerStore (${backend})`, { skip }, () => {
    let target: TestDatabase;
    let db: Database;
    let store: SqlIndexerStore;
    before(async () => {
      target = await createTestDatabase(backend);
      db = await openDatabase(target.connstring, { dataDir: 'unused' });
      await migrate(db, 'indexer');
      store = new SqlIndexerStore(db);
    });
    after(async () => {
      await db?.close();
      await target?.drop();
    });

    it('registers scanners idempotently and returns ids in order', async () => {
      const scanners = [
        { name: 'dpkg', version: '7', kind: 'package' },
        { name: 'debian', version: '3', kind: 'distribution' },
      ] as const;
      const first = await store.registerScanners(scanners);
      const again = await store.registerScanners([...scanners].reverse());
      assert.equal(first.length, 2);
      assert.deepEqual(again, [...first].reverse());
      const bumped = await store.registerScanners([{ name: 'dpkg', version: '8', kind: 'package' }]);
      assert.ok(!first.includes(bumped[0]!), 'a new version is a new scanner');
    });

    it('stores a scanner\'s findings per layer, deduplicating packages across layers', async () => {
      const [dpkg, debian, pypi, whiteout] = await store.registerScanners([
        { name: 'dpkg', version: '7', kind: 'package' },
        { name: 'debian', version: '3', kind: 'distribution' },
        { name: 'python', version: '5', kind: 'package' },
        { name: 'whiteout', version: '1', kind: 'file' },
      ]);
      await store.persistManifest(manifest);
      await store.persistManifest(manifest); // idempotent
      assert.deepEqual(await store.scannedLayers([L1, L2], [dpkg!, debian!]), new Set());

      await store.storeLayerScan(L1, dpkg!, { packages: [dpkgPkg('libssl3', '3.0.11-1~deb12u2', ['openssl', '3.0.11-1~deb12u2']), dpkgPkg('bash', '5.2.15-2+b2', ['bash', '5.2.15-2'])] });
      await store.storeLayerScan(L2, dpkg!, { packages: [dpkgPkg('bash', '5.2.15-2+b2', ['bash', '5.2.15-2'])] });
      await store.storeLayerScan(L1, debian!, {
        distributions: [{ did: 'debian', name: 'Debian GNU/Linux', version: '12 (bookworm)', versionCodeName: 'bookworm', versionId: '12', arch: '', cpe: '', prettyName: 'Debian GNU/Linux 12 (bookworm)' }],
      });
      const requests: ScannedPackage = {
        name: 'requests', version: '2.31.0', kind: 'binary', arch: '', module: '', cpe: '',
        normalizedVersion: { kind: 'pep440', v: [0, 2, 31, 0, 0, 0, 0, 0, 0, 0] },
        packageDb: 'python:usr/lib/python3/dist-packages', filepath: 'usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA', repositoryHint: '',
      };
      await store.storeLayerScan(L2, pypi!, { packages: [requests], repositories: [{ name: 'pypi', key: '', uri: 'https://pypi.org/simple', cpe: '' }] });
      await store.storeLayerScan(L2, whiteout!, { files: [{ path: 'etc/.wh.motd', kind: 'whiteout' }] });
      await store.storeLayerScan(L2, debian!, {}); // scanned, found nothing

      assert.deepEqual(
        await store.scannedLayers([L1, L2], [dpkg!, debian!]),
        new Set([scannedKey(L1, dpkg!), scannedKey(L2, dpkg!), scannedKey(L1, debian!), scannedKey(L2, debian!)]),
      );

      const a1 = await store.layerArtifacts(L1, [dpkg!, debian!]);
      assert.deepEqual(a1.packages.map((p) => [p.name, p.version, p.source?.name, p.source?.version, p.source?.kind, p.packageDb, p.repositoryHint]), [
        ['bash', '5.2.15-2+b2', 'bash', '5.2.15-2', 'source', 'var/lib/dpkg/status', 'abc'],
        ['libssl3', '3.0.11-1~deb12u2', 'openssl', '3.0.11-1~deb12u2', 'source', 'var/lib/dpkg/status', 'abc'],
      ]);
      assert.deepEqual(a1.distributions.map((d) => [d.did, d.versionId, d.prettyName]), [['debian', '12', 'Debian GNU/Linux 12 (bookworm)']]);
      const a2 = await store.layerArtifacts(L2, [dpkg!]);
      assert.equal(a2.packages[0]!.id, a1.packages[0]!.id, 'the same bash in two layers is one package row');
      assert.deepEqual(a2.distributions, []);

      const py = await store.layerArtifacts(L2, [pypi!]);
      assert.deepEqual(py.packages[0]!.normalizedVersion, { kind: 'pep440', v: [0, 2, 31, 0, 0, 0, 0, 0, 0, 0] });
      assert.equal(py.packages[0]!.filepath, requests.filepath);
      assert.deepEqual(py.repositories.map((r) => r.name), ['pypi']);
      assert.deepEqual((await store.layerArtifacts(L2, [whiteout!])).files, [{ path: 'etc/.wh.motd', kind: 'whiteout' }]);
    });

    it('finds index records by package name and by source package name, with their manifests', async () => {
      const [dpkg] = await store.registerScanners([{ name: 'dpkg', version: '7', kind: 'package' }]);
      const L3 = `sha256:${'3'.repeat(64)}`;
      const M2 = `sha256:${'8'.repeat(64)}`;
      await store.persistManifest({ hash: M2, layers: [{ hash: L3, uri: 'http://x/3' }] } as unknown as Manifest);
      await store.storeLayerScan(L3, dpkg!, { packages: [dpkgPkg('libssl3', '3.0.11-1~deb12u2', ['openssl', '3.0.11-1~deb12u2']), dpkgPkg('openssl', '3.0.11-1~deb12u2', ['openssl', '3.0.11-1~deb12u2'])] });
      const { packages } = await store.layerArtifacts(L3, [dpkg!]);
      const [libssl, openssl] = packages;
      const report: IndexReport = {
        manifest_hash: M2, state: 'IndexFinished', success: true, err: '', distributions: {}, repository: {},
        packages: Object.fromEntries(packages.map((p) => [p.id, { id: p.id, name: p.name, version: p.version, kind: 'binary', normalized_version: '', cpe: '' }])),
        environments: Object.fromEntries(packages.map((p) => [p.id, [{ package_db: 'var/lib/dpkg/status', introduced_in: L3, distribution_id: '', repository_ids: null }]])),
      };
      await store.indexManifest(report);

      const found = await store.indexRecordsByPackageName(['openssl', 'libssl3', 'absent']);
      const summary = (name: string) => (found.get(name) ?? []).map((r) => [r.package.name, r.package.source?.name, r.manifests]).sort();
      assert.deepEqual(summary('openssl'), [['libssl3', 'openssl', [M2]], ['openssl', 'openssl', [M2]]], 'by its own name and as the source of libssl3');
      assert.deepEqual(summary('libssl3'), [['libssl3', 'openssl', [M2]]]);
      assert.equal(found.has('absent'), false);
      assert.equal((await store.indexRecordsByPackageName([])).size, 0);
      const { rows } = await db.query<{ package_id: string }>('SELECT package_id::text FROM package_source ps JOIN package s ON s.id = ps.source_id WHERE s.name = $1 ORDER BY 1', ['openssl']);
      assert.deepEqual(rows.map((r) => r.package_id), [libssl!.id, openssl!.id].sort());
      await store.deleteManifests([M2]);
    });

    it('fills package_source from the stored scan artifacts when migrating an older schema', async () => {
      const older = await createTestDatabase(backend);
      const odb = await openDatabase(older.connstring, { dataDir: 'unused' });
      try {
        const all = await loadMigrations('indexer');
        await migrate(odb, 'indexer', undefined, all.filter((m) => m.version <= 2));
        await odb.exec(`
          INSERT INTO layer (hash) VALUES ('${L1}');
          INSERT INTO scanner (name, version, kind) VALUES ('dpkg', '7', 'package');
          INSERT INTO package (name, version, kind) VALUES ('libssl3', '3', 'binary'), ('openssl', '3', 'source'), ('zlib1g', '1', 'binary');
          INSERT INTO package_scanartifact (layer_id, package_id, source_id, scanner_id)
            SELECT l.id, p.id, s.id, sc.id FROM layer l, package p LEFT JOIN package s ON p.name = 'libssl3' AND s.name = 'openssl', scanner sc
            WHERE p.kind = 'binary';`);
        await migrate(odb, 'indexer');
        const { rows } = await odb.query<{ pkg: string; src: string }>('SELECT p.name AS pkg, s.name AS src FROM package_source ps JOIN package p ON p.id = ps.package_id JOIN package s ON s.id = ps.source_id');
        assert.deepEqual(rows, [{ pkg: 'libssl3', src: 'openssl' }]);
      } finally {
        await odb.close();
        await older.drop();
      }
    });

    it('saves reports at each state and finishes a manifest atomically', async () => {
      const scannerIds = await store.registerScanners([{ name: 'dpkg', version: '7', kind: 'package' }]);
      const a = await store.layerArtifacts(L1, scannerIds);
      const bash = a.packages[0]!;
      const report: IndexReport = {
        manifest_hash: M, state: 'ScanLayers', packages: {}, distributions: {}, repository: {}, environments: {}, success: false, err: '',
      };
      await store.setIndexReport(report);
      assert.equal((await store.indexReport(M))?.state, 'ScanLayers');
      assert.equal(await store.manifestScanned(M, scannerIds), false);
      const finished: IndexReport = {
        ...report,
        state: 'IndexFinished',
        success: true,
        packages: { [bash.id]: { id: bash.id, name: 'bash', version: bash.version, kind: 'binary', normalized_version: '', cpe: '' } },
        environments: { [bash.id]: [{ package_db: 'var/lib/dpkg/status', introduced_in: L1, distribution_id: '', repository_ids: null }] },
      };
      await store.indexManifest(finished);
      await store.setIndexFinished(finished, scannerIds);
      assert.deepEqual(await store.indexReport(M), finished);
      assert.equal(await store.manifestScanned(M, scannerIds), true);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM manifest_index');
      assert.equal(rows[0]!.n, 1);
      // A second manifest shares L2 only.
      const M3 = `sha256:${'7'.repeat(64)}`;
      await store.persistManifest({ hash: M3, layers: [{ hash: L2, uri: 'http://x/2' }] } as unknown as Manifest);
      assert.deepEqual(await store.deleteManifests([M, `sha256:${'0'.repeat(64)}`]), [M], 'an unknown digest is not reported deleted');
      assert.equal(await store.indexReport(M), undefined);
      const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM manifest_index');
      assert.equal(after.rows[0]!.n, 0, 'the index cascades with the manifest');
      assert.deepEqual((await store.layerArtifacts(L1, scannerIds)).packages, [], 'a layer only the deleted manifest used goes, with its scan results');
      assert.deepEqual(await store.scannedLayers([L1], scannerIds), new Set());
      assert.equal((await store.layerArtifacts(L2, scannerIds)).packages.length, 1, 'a layer another manifest uses stays, with its scan results');
      await store.deleteManifests([M3]);
      const layers = await db.query<{ hash: string }>('SELECT hash FROM layer WHERE hash = ANY($1::text[])', [[L1, L2]]);
      assert.deepEqual(layers.rows, []);
    });
  });
}
