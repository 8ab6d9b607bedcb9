/**
 * @module Enrichment rows: streaming ingest of an enricher's record set
 * (claircore `UpdateEnrichmentsIter`) and the tag lookups reports run
 * (claircore `GetEnrichment`).
 *
 * Ingest runs in one transaction: the update operation is created first and
 * each batch of {@link ENRICHMENT_BATCH} records is written and linked to it
 * at once, so nothing but the current batch is held in memory (EPSS is some
 * 300,000 records a day) and readers see the new operation whole or not at
 * all. A record is stored once per content (md5 over its sorted tags and
 * its JSON, as upstream's `hashEnrichment`): a record already stored by an
 * earlier run is linked again, not rewritten.
 *
 * Each batch links the rows that already exist before inserting the rest.
 * Linking takes a key-share lock on those rows (the foreign key check), and
 * garbage collection skips locked rows, so it cannot delete a row between
 * the moment this run sees it and the moment it is linked.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../database.js';
import type { UpdateOperation } from '../../model/index.js';
import type { EnrichmentRecord } from '../../model/enrichment.js';

/** Records written per statement pair. */
export const ENRICHMENT_BATCH = 1000;

/** The content hash: md5 over the sorted tags, each NUL-terminated, then the JSON. */
export function enrichmentHash(tags: readonly string[], json: string): string {
  const h = createHash('md5');
  for (const t of [...tags].sort()) h.update(t).update('\0');
  return h.update(json).digest('hex');
}

const LINK_EXISTING = `INSERT INTO uo_enrich (uo, enrich)
  SELECT $1, e.id FROM enrichment e
  WHERE e.hash_kind = 'md5' AND e.hash = ANY(SELECT decode(h, 'hex') FROM unnest($2::text[]) AS h)
  ON CONFLICT DO NOTHING`;

const INSERT_AND_LINK_NEW = `WITH ins AS (
    INSERT INTO enrichment (hash_kind, hash, updater, tags, data)
    SELECT 'md5', decode(u.h, 'hex'), $2, ARRAY(SELECT jsonb_array_elements_text(u.t::jsonb)), u.d::jsonb
    FROM unnest($3::text[], $4::text[], $5::text[]) AS u(h, t, d)
    ON CONFLICT (hash_kind, hash) DO NOTHING
    RETURNING id)
  INSERT INTO uo_enrich (uo, enrich) SELECT $1, id FROM ins ON CONFLICT DO NOTHING`;

interface Encoded {
  hash: string;
  tags: string;
  data: string;
}

function encode(record: EnrichmentRecord): Encoded {
  if (!Array.isArray(record.tags) || !record.tags.every((t) => typeof t === 'string')) throw new TypeError('enrichment record: tags must be an array of strings');
  const data = JSON.stringify(record.enrichment ?? null);
  return { hash: enrichmentHash(record.tags, data), tags: JSON.stringify(record.tags), data };
}

/** Writes one batch and links it to operation `uo`; returns how many links it added. */
async function writeBatch(tx: Queryable, uo: number, updater: string, batch: Map<string, Encoded>): Promise<number> {
  if (batch.size === 0) return 0;
  const rows = [...batch.values()];
  const hashes = rows.map((r) => r.hash);
  const existing = await tx.query(LINK_EXISTING, [uo, hashes]);
  const added = await tx.query(INSERT_AND_LINK_NEW, [uo, updater, hashes, rows.map((r) => r.tags), rows.map((r) => r.data)]);
  return existing.rowCount + added.rowCount;
}

export async function updateEnrichments(
  db: Database,
  updater: string,
  fingerprint: string,
  records: AsyncIterable<EnrichmentRecord> | Iterable<EnrichmentRecord>,
): Promise<{ operation: UpdateOperation; count: number }> {
  const result = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number; ref: string; date: Date }>(
      "INSERT INTO update_operation (updater, fingerprint, kind) VALUES ($1, $2, 'enrichment') RETURNING id, ref::text AS ref, date",
      [updater, fingerprint],
    );
    const uo = rows[0]!;
    let count = 0;
    let batch = new Map<string, Encoded>();
    for await (const record of records) {
      const e = encode(record);
      batch.set(e.hash, e);
      if (batch.size >= ENRICHMENT_BATCH) {
        count += await writeBatch(tx, uo.id, updater, batch);
        batch = new Map();
      }
    }
    count += await writeBatch(tx, uo.id, updater, batch);
    const operation: UpdateOperation = { ref: uo.ref, updater, fingerprint, date: uo.date.toISOString(), kind: 'enrichment' };
    return { operation, count };
  });
  // Fresh statistics for the lookups, as upstream does after a load; a failure here loses nothing.
  await db.query('ANALYZE enrichment, uo_enrich').catch(() => {});
  return result;
}

const LATEST = "SELECT id FROM update_operation WHERE updater = $1 AND kind = 'enrichment' ORDER BY id DESC LIMIT 1";

/** Ids of every stored record carrying one of the tags: one GIN index probe per tag. */
const CANDIDATES = `SELECT DISTINCT e.id FROM unnest($1::text[]) AS t(tag)
  CROSS JOIN LATERAL (SELECT id FROM enrichment WHERE tags @> ARRAY[t.tag]) e`;

/** Those of the candidates the operation holds, through `uo_enrich`'s primary key. */
const HELD = `SELECT e.id, e.tags, e.data FROM uo_enrich ue JOIN enrichment e ON e.id = ue.enrich
  WHERE ue.uo = $1 AND ue.enrich = ANY($2::bigint[])`;

/** Distinct tags per statement at most, so a huge report is looked up in bounded statements. */
const LOOKUP_TAGS = 5000;

interface Row {
  id: number;
  tags: string[];
  data: unknown;
}

/**
 * The lookup in three index-driven steps: the enricher's newest operation,
 * the records carrying each tag (whatever operation holds them), then those
 * the operation holds. Written as one join, PostgreSQL cannot see which
 * operation the lookup targets nor how few records a tag has, and walks the
 * operation's whole link table instead (a 300,000-row EPSS operation per
 * report); JIT compilation, which such estimates trigger, is turned off for
 * the same reason (it alone costs more than the lookup).
 */
export async function lookupEnrichments(db: Database, enricher: string, queries: ReadonlyArray<readonly string[]>): Promise<EnrichmentRecord[][]> {
  const distinct = [...new Set(queries.flat())];
  // Every record carrying a tag, by tag, in storage order.
  const byTag = new Map<string, Row[]>();
  if (distinct.length > 0) {
    await db.transaction(async (tx) => {
      const { rows: latest } = await tx.query<{ id: number }>(LATEST, [enricher]);
      const uo = latest[0]?.id;
      if (uo === undefined) return;
      await tx.query('SET LOCAL jit = off');
      for (let i = 0; i < distinct.length; i += LOOKUP_TAGS) {
        const { rows: candidates } = await tx.query<{ id: number }>(CANDIDATES, [distinct.slice(i, i + LOOKUP_TAGS)]);
        if (candidates.length === 0) continue;
        const { rows } = await tx.query<Row>(HELD, [uo, candidates.map((c) => c.id)]);
        for (const row of rows) {
          for (const tag of row.tags) {
            const list = byTag.get(tag);
            if (list === undefined) byTag.set(tag, [row]);
            // A record found by two statements (two of its tags in different chunks) is kept once.
            else if (!list.some((r) => r.id === row.id)) list.push(row);
          }
        }
      }
    });
  }
  for (const list of byTag.values()) list.sort((a, b) => a.id - b.id);
  return queries.map((query) => {
    const seen = new Set<number>();
    const out: EnrichmentRecord[] = [];
    for (const tag of query) {
      for (const row of byTag.get(tag) ?? []) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        out.push({ tags: row.tags, enrichment: row.data });
      }
    }
    return out;
  });
}
