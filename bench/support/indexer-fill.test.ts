/**
 * The SQL fill stores copies that Clair's own store reads as indexed
 * manifests: each copy's report names its manifest and its own layer, its
 * layers and records are the template's with the own layer renamed, and the
 * notifier's affected-manifests lookup finds every copy.
 *
 * Needs PostgreSQL; skips without it (fails under CI).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/store/open.js';
import { migrate } from '../../src/store/migrate.js';
import { createIndexer } from '../../src/app/indexer.js';
import { DEFAULT_ECOSYSTEMS, DEFAULT_RESOLVERS } from '../../src/app/defaults/ecosystems.js';
import { defaultMatchers } from '../../src/app/defaults/matchers.js';
import { httpLayerOpener } from '../../src/indexer/layer-opener.js';
import { createLogger } from '../../src/lib/logger.js';
import { SqlIndexerStore } from '../../src/store/indexer/sql-indexer-store.js';
import { createPostgresDatabase, postgresUnavailable, type TestDatabase } from '../../src/test-support/databases.js';
import type { Database } from '../../src/store/database.js';
import { serveDebianImages, type DebianImages } from './debian-images.js';
import { prepareFill } from './indexer-fill.js';

const noPostgres = await postgresUnavailable();
const TEMPLATES = 4;

describe('indexer fill', { skip: noPostgres }, () => {
  const spool = mkdtempSync(join(tmpdir(), 'clair-fill-test-'));
  let target: TestDatabase;
  let db: Database;
  let client: pg.Client;
  let images: DebianImages;

  before(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase(target.connstring, { dataDir: spool });
    await migrate(db, 'indexer');
    client = new pg.Client({ connectionString: target.connstring });
    await client.connect();
    const sourceNames = Array.from({ length: 60 }, (_, i) => `src${i}`);
    images = await serveDebianImages({ images: TEMPLATES, runtimes: 2, basePackages: 6, runtimePackages: 3, appPackages: 2, appLayerBytes: 64, sourceNames });
  });

  after(async () => {
    await client?.end();
    await db?.close();
    await target?.drop();
    await images?.close();
    rmSync(spool, { recursive: true, force: true });
  });

  it('refuses to start without a finished manifest to copy', async () => {
    await assert.rejects(prepareFill(client), /no finished manifest to copy; index some images first/);
    await client.query('DISCARD TEMP');
  });

  it('copies indexed manifests into manifests Clair reads as its own', async () => {
    const indexer = await createIndexer({
      db, ecosystems: DEFAULT_ECOSYSTEMS, resolvers: DEFAULT_RESOLVERS, matchers: defaultMatchers(),
      layerConcurrency: 4, lockRetryMs: 100, log: createLogger('silent'), openLayer: httpLayerOpener({ spool: { dir: spool } }),
    });
    for (const image of images.images) assert.equal((await indexer.index(image.manifest)).state, 'IndexFinished');

    const fill = await prepareFill(client);
    assert.equal(await fill.count(), TEMPLATES);
    const seen: number[] = [];
    await fill.fillTo(10, (n) => seen.push(n));
    assert.deepEqual(seen, [10]);
    assert.equal(await fill.count(), 10);

    const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
    // Templates: the base, 2 runtimes and 4 own layers; each of the 6 copies adds an own layer.
    assert.equal(await count('SELECT count(*) AS n FROM layer'), 7 + 6);
    assert.equal(await count('SELECT count(*) AS n FROM manifest_layer'), 10 * 3);
    assert.equal(await count('SELECT count(*) AS n FROM indexreport'), 10);

    // Templates are numbered 0..3 in manifest id order.
    const { rows: templates } = await client.query<{ id: string; hash: string }>('SELECT m.id, m.hash FROM manifest m JOIN indexreport r ON r.manifest_id = m.id ORDER BY m.id LIMIT $1', [TEMPLATES]);
    const store = new SqlIndexerStore(db);
    for (let k = 1; k <= 6; k++) {
      // Copies are named by their number and copy template k % 4.
      const hash = `sha256:${createHash('sha256').update(`bench-copy-${k}`).digest('hex')}`;
      const { rows: [copy] } = await client.query<{ id: string; hash: string }>('SELECT id, hash FROM manifest WHERE hash = $1', [hash]);
      assert.ok(copy, `copy ${k} is stored as ${hash}`);
      const template = templates[k % TEMPLATES]!;
      const original = (await store.indexReport(template.hash))!;
      const report = (await store.indexReport(copy.hash))!;
      assert.equal(report.manifest_hash, copy.hash, 'the report names its own manifest');
      assert.equal(report.state, 'IndexFinished');
      assert.deepEqual(Object.values(report.packages).map((p) => [p.name, p.version]).sort(), Object.values(original.packages).map((p) => [p.name, p.version]).sort());
      const layers = (await client.query<{ hash: string }>('SELECT l.hash FROM manifest_layer ml JOIN layer l ON l.id = ml.layer_id WHERE ml.manifest_id = $1 ORDER BY ml.i', [copy.id])).rows.map((r) => r.hash);
      const originalLayers = (await client.query<{ hash: string }>('SELECT l.hash FROM manifest_layer ml JOIN layer l ON l.id = ml.layer_id WHERE ml.manifest_id = $1 ORDER BY ml.i', [template.id])).rows.map((r) => r.hash);
      assert.deepEqual(layers.slice(0, 2), originalLayers.slice(0, 2), 'the shared layers are shared');
      assert.notEqual(layers[2], originalLayers[2], 'the own layer is renamed');
      const introduced = new Set(Object.values(report.environments).flat().map((e) => e.introduced_in));
      for (const digest of introduced) assert.ok(layers.includes(digest), `${digest} is a layer of the copy`);
      assert.ok(introduced.has(layers[2]!), 'packages of the own layer are introduced by the renamed layer');
      // The renamed layer carries the template layer's scan: Clair reads the same packages from it.
      const scanners = (await client.query<{ id: string }>('SELECT id FROM scanner')).rows.map((r) => String(r.id));
      assert.equal((await store.scannedLayers([layers[2]!], scanners)).size, scanners.length, 'every scanner is recorded as having scanned the renamed layer');
      assert.deepEqual(
        (await store.layerArtifacts(layers[2]!, scanners)).packages.map((p) => p.name).sort(),
        (await store.layerArtifacts(originalLayers[2]!, scanners)).packages.map((p) => p.name).sort(),
      );
    }

    // The notifier's lookup: a base-layer package is in every manifest, copies included.
    // (The images leave out the tracker's first 8 sources, its "giants": src8 is the base layer's first package.)
    const records = await store.indexRecordsByPackageName(['src8']);
    const manifests = new Set((records.get('src8') ?? []).flatMap((r) => r.manifests));
    assert.equal(manifests.size, 10);
  });
});
