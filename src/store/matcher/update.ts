/**
 * @module Streaming ingest of an updater's vulnerability set. Records are
 * written content-addressed in batches of {@link BATCH}, each in its own
 * short transaction (so the embedded store is never locked for a whole feed),
 * keeping only row ids in memory. One final transaction creates the update
 * operation and links it to every id, so readers never see a partial set.
 * Rows written by a run that then fails are unlinked; GC removes them.
 */
import type { Database } from '../database.js';
import type { UpdateOperation, VulnerabilityRecord } from '../../model/index.js';
import { recordColumns, recordHash, VULN_COLUMN_TYPES, VULN_COLUMNS } from './vuln-row.js';

export const BATCH = 1000;

const INSERT_VULNS = `INSERT INTO vuln (hash_kind, hash, ${VULN_COLUMNS.join(', ')})
  SELECT 'md5', decode(h, 'hex'), ${VULN_COLUMNS.map((c) => (c === 'vulnerable_range' ? 'c_vulnerable_range::VersionRange' : `c_${c}`)).join(', ')}
  FROM unnest($1::text[], ${VULN_COLUMNS.map((c, i) => `$${i + 2}::${VULN_COLUMN_TYPES[c]}[]`).join(', ')})
    AS u(h, ${VULN_COLUMNS.map((c) => `c_${c}`).join(', ')})
  ON CONFLICT (hash_kind, hash) DO NOTHING`;

async function writeBatch(db: Database, batch: VulnerabilityRecord[]): Promise<number[]> {
  const seen = new Map<string, VulnerabilityRecord>();
  for (const v of batch) {
    if (v.package.name === '') continue; // upstream skips records that name no package
    seen.set(recordHash(v).toString('hex'), v);
  }
  if (seen.size === 0) return [];
  const hashes = [...seen.keys()];
  const rows = [...seen.values()].map(recordColumns);
  const columns = VULN_COLUMNS.map((_, i) => rows.map((row) => {
    const value = row[i]!;
    return value instanceof Date ? value.toISOString() : value;
  }));
  return db.transaction(async (tx) => {
    await tx.query(INSERT_VULNS, [hashes, ...columns]);
    const { rows } = await tx.query<{ id: number }>("SELECT id FROM vuln WHERE hash_kind = 'md5' AND hash = ANY(SELECT decode(h, 'hex') FROM unnest($1::text[]) AS h)", [hashes]);
    return rows.map((r) => r.id);
  });
}

export async function updateVulnerabilities(
  db: Database,
  updater: string,
  fingerprint: string,
  records: AsyncIterable<VulnerabilityRecord> | Iterable<VulnerabilityRecord>,
): Promise<{ operation: UpdateOperation; count: number }> {
  const ids = new Set<number>();
  let batch: VulnerabilityRecord[] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length >= BATCH) {
      for (const id of await writeBatch(db, batch)) ids.add(id);
      batch = [];
    }
  }
  for (const id of await writeBatch(db, batch)) ids.add(id);

  const all = [...ids];
  const operation = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number; ref: string; date: Date }>(
      "INSERT INTO update_operation (updater, fingerprint, kind) VALUES ($1, $2, 'vulnerability') RETURNING id, ref::text AS ref, date",
      [updater, fingerprint],
    );
    const uo = rows[0]!;
    for (let i = 0; i < all.length; i += BATCH * 10) {
      await tx.query('INSERT INTO uo_vuln (uo, vuln) SELECT $1, v FROM unnest($2::bigint[]) AS v ON CONFLICT DO NOTHING', [uo.id, all.slice(i, i + BATCH * 10)]);
    }
    return { ref: uo.ref, updater, fingerprint, date: uo.date.toISOString(), kind: 'vulnerability' as const };
  });
  // Without fresh statistics, report lookups planned from the new operation
  // took 250–330 ms instead of 1–2 ms until autovacuum caught up
  // (docs/benchmarks.md). A failure here loses nothing.
  await db.query('ANALYZE vuln, uo_vuln').catch(() => {});
  return { operation, count: all.length };
}
