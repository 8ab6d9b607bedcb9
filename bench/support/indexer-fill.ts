/**
 * @module Fills an indexer database to many manifests quickly, for the
 * report-latency and table-size measurements: indexing 100,000 manifests
 * through HTTP would take hours on two cores, so the manifests that were
 * indexed for real become templates, and SQL copies them under new digests.
 *
 * A copy is what indexing the template's image with a new application layer
 * would have stored (migrations/indexer/0001-init.sql): a `manifest` row, a
 * new `layer` for the template's own layer with that layer's scan artifacts
 * (`scanned_layer`, `package_scanartifact`, `dist_`/`repo_`/`file_scanartifact`),
 * `manifest_layer` rows pointing at the shared layers and the new one,
 * `scanned_manifest`, the `indexreport` with the template's report rewritten
 * to the new manifest and layer digests, and the `manifest_index` records.
 * Rows that real images share (packages, distributions, repositories, the
 * shared layers) are not copied: they do not grow with the manifest count.
 *
 * Digests are sha256 of `bench-copy-<n>` (and of `bench-copy-<n>-<layer>`),
 * so they are well-formed, distinct, and never collide with real ones.
 */
import type pg from 'pg';

/** Manifests copied per transaction: bounds the size of each statement's work and of the WAL between commits. */
const BATCH = 5_000;

/** A fill in progress on one session (its temporary tables live there). */
export interface IndexerFill {
  /** Manifests stored now. */
  count(): Promise<number>;
  /** Copies templates until `target` manifests are stored; resolves the seconds it took. */
  fillTo(target: number, progress?: (stored: number) => void): Promise<number>;
}

/**
 * Prepares a fill on `client`: every finished manifest stored now becomes a
 * template.
 *
 * @throws Error when there is no finished manifest, or a template has more
 *   than one layer of its own (a copy renames exactly one layer).
 */
export async function prepareFill(client: pg.Client): Promise<IndexerFill> {
  await client.query(`
    CREATE TEMP TABLE bench_template AS
      SELECT (row_number() OVER (ORDER BY r.manifest_id)) - 1 AS n, r.manifest_id AS template_id, m.hash AS template_hash
      FROM indexreport r JOIN manifest m ON m.id = r.manifest_id WHERE r.state = 'IndexFinished'`);
  // A template's own layers: those no other manifest has.
  await client.query(`
    CREATE TEMP TABLE bench_own_layer AS
      SELECT ml.manifest_id AS template_id, ml.layer_id, l.hash
      FROM manifest_layer ml JOIN layer l ON l.id = ml.layer_id
      WHERE ml.manifest_id IN (SELECT template_id FROM bench_template)
        AND ml.layer_id IN (SELECT layer_id FROM manifest_layer GROUP BY layer_id HAVING count(DISTINCT manifest_id) = 1)`);
  const { rows: [shape] } = await client.query<{ templates: number; most: number | null }>(
    'SELECT (SELECT count(*) FROM bench_template)::int AS templates, (SELECT max(c) FROM (SELECT count(*)::int AS c FROM bench_own_layer GROUP BY template_id) x) AS most',
  );
  if (!shape || shape.templates === 0) throw new Error('indexer fill: no finished manifest to copy; index some images first');
  if ((shape.most ?? 0) > 1) throw new Error(`indexer fill: a template has ${shape.most} layers of its own; copies rename exactly one`);
  const templates = shape.templates;
  let copied = 0;

  const count = async () => Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM manifest')).rows[0]!.n);

  /** Copies `n` more manifests, numbered after the ones copied so far, in one transaction. */
  const copyBatch = async (n: number): Promise<void> => {
    const first = copied + 1;
    const last = copied + n;
    await client.query('BEGIN');
    try {
      await client.query('DROP TABLE IF EXISTS bench_plan, bench_plan_layer');
      await client.query(
        `CREATE TEMP TABLE bench_plan AS
           SELECT k, t.template_id, t.template_hash, 'sha256:' || encode(sha256(convert_to('bench-copy-' || k, 'UTF8')), 'hex') AS hash, NULL::bigint AS manifest_id
           FROM generate_series($1::bigint, $2::bigint) AS k JOIN bench_template t ON t.n = k % $3`,
        [first, last, templates],
      );
      await client.query('INSERT INTO manifest (hash) SELECT hash FROM bench_plan');
      await client.query('UPDATE bench_plan p SET manifest_id = m.id FROM manifest m WHERE m.hash = p.hash');
      await client.query(
        `CREATE TEMP TABLE bench_plan_layer AS
           SELECT p.k, ol.layer_id AS old_layer, ol.hash AS old_hash,
                  'sha256:' || encode(sha256(convert_to('bench-copy-' || p.k || '-' || ol.hash, 'UTF8')), 'hex') AS hash, NULL::bigint AS new_layer
           FROM bench_plan p JOIN bench_own_layer ol ON ol.template_id = p.template_id`,
      );
      await client.query('INSERT INTO layer (hash) SELECT hash FROM bench_plan_layer');
      await client.query('UPDATE bench_plan_layer pl SET new_layer = l.id FROM layer l WHERE l.hash = pl.hash');
      await client.query('INSERT INTO scanned_layer (layer_id, scanner_id) SELECT pl.new_layer, s.scanner_id FROM bench_plan_layer pl JOIN scanned_layer s ON s.layer_id = pl.old_layer');
      await client.query(
        `INSERT INTO package_scanartifact (layer_id, package_id, source_id, scanner_id, package_db, repository_hint, filepath)
         SELECT pl.new_layer, a.package_id, a.source_id, a.scanner_id, a.package_db, a.repository_hint, a.filepath
         FROM bench_plan_layer pl JOIN package_scanartifact a ON a.layer_id = pl.old_layer`,
      );
      for (const [table, column] of [['dist_scanartifact', 'dist_id'], ['repo_scanartifact', 'repo_id'], ['file_scanartifact', 'file_id']] as const) {
        await client.query(`INSERT INTO ${table} (layer_id, ${column}, scanner_id) SELECT pl.new_layer, a.${column}, a.scanner_id FROM bench_plan_layer pl JOIN ${table} a ON a.layer_id = pl.old_layer`);
      }
      await client.query(
        `INSERT INTO manifest_layer (manifest_id, layer_id, i)
         SELECT p.manifest_id, COALESCE(pl.new_layer, ml.layer_id), ml.i
         FROM bench_plan p JOIN manifest_layer ml ON ml.manifest_id = p.template_id
         LEFT JOIN bench_plan_layer pl ON pl.k = p.k AND pl.old_layer = ml.layer_id`,
      );
      await client.query('INSERT INTO scanned_manifest (manifest_id, scanner_id) SELECT p.manifest_id, s.scanner_id FROM bench_plan p JOIN scanned_manifest s ON s.manifest_id = p.template_id');
      // The report names its manifest and, in each package's environment, the layer that introduced it.
      await client.query(
        `INSERT INTO indexreport (manifest_id, state, scan_result)
         SELECT p.manifest_id, r.state,
                replace(replace(r.scan_result::text, p.template_hash, p.hash), COALESCE(pl.old_hash, p.template_hash), COALESCE(pl.hash, p.hash))::jsonb
         FROM bench_plan p JOIN indexreport r ON r.manifest_id = p.template_id
         LEFT JOIN bench_plan_layer pl ON pl.k = p.k`,
      );
      await client.query(
        `INSERT INTO manifest_index (package_id, dist_id, repo_id, manifest_id)
         SELECT mi.package_id, mi.dist_id, mi.repo_id, p.manifest_id FROM bench_plan p JOIN manifest_index mi ON mi.manifest_id = p.template_id`,
      );
      await client.query('COMMIT');
      copied = last;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  };

  return {
    count,
    async fillTo(target, progress) {
      const started = performance.now();
      let stored = await count();
      while (stored < target) {
        const n = Math.min(BATCH, target - stored);
        await copyBatch(n);
        stored += n;
        progress?.(stored);
      }
      return (performance.now() - started) / 1000;
    },
  };
}
