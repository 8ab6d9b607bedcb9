/**
 * @module The updater bundle format: claircore's `jsonblob` (what Clair's
 * `clairctl export-updaters` writes and `import-updaters` reads), so bundles
 * cross between this Clair and Go Clair in both directions.
 *
 * A bundle is newline-delimited JSON, one line per vulnerability or
 * enrichment record, each line carrying its update operation:
 *
 * ```json
 * {"Updater":"alpine-main-v3.19-updater","Fingerprint":"…","Date":"2026-01-02T03:04:05.123Z",
 *  "Kind":"vulnerability","Ref":"<uuid>","Vuln":{…claircore Vulnerability…}}
 * ```
 *
 * (one line in the file). `Ref` is a UUID shared by all the lines of one
 * operation, and those lines are consecutive. An enrichment line carries
 * `"Enrichment":{"Tags":[…],"Enrichment":…}` instead of `Vuln`. An operation
 * with no records has no lines, so it is not in the bundle at all (as
 * upstream, whose writer emits one line per record). Keys are in Go's order,
 * as `encoding/json` writes claircore's `diskEntry`.
 */
import { randomUUID } from 'node:crypto';
import type { UpdateKind, VulnerabilityRecord } from '../../model/index.js';
import type { EnrichmentRecord } from '../../model/enrichment.js';
import { goTime } from './claircore-vulnerability.js';

export const UPDATE_KINDS: readonly UpdateKind[] = ['vulnerability', 'enrichment'];

/** What every line of one update operation repeats. */
export interface OperationHeader {
  updater: string;
  fingerprint: string;
  /** RFC 3339, as written. */
  date: string;
  kind: UpdateKind;
  /** UUID grouping the operation's lines. */
  ref: string;
}

/** claircore's `driver.EnrichmentRecord`: tags and an opaque JSON value. */
export type { EnrichmentRecord } from '../../model/enrichment.js';

/** One operation read from a bundle; `records` streams its lines and may be iterated once, before the next operation is requested. */
export type BundleOperation =
  | (OperationHeader & { kind: 'vulnerability'; /** 1-based line of its first record. */ line: number; records: AsyncIterable<VulnerabilityRecord> })
  | (OperationHeader & { kind: 'enrichment'; line: number; records: AsyncIterable<EnrichmentRecord> });

/** The header of a new operation written now: a fresh random `Ref` and the current time. */
export function newOperationHeader(updater: string, fingerprint: string, kind: UpdateKind = 'vulnerability', date = new Date()): OperationHeader {
  return { updater, fingerprint, date: goTime(date), kind, ref: randomUUID() };
}

/**
 * The line prefix every record of an operation shares, up to the payload's
 * value: `{"Updater":…,"Ref":…,"Vuln":` (or `"Enrichment":`). A record's
 * line is this prefix, its JSON, then `}\n`.
 */
export function linePrefix(h: OperationHeader): string {
  const head = JSON.stringify({ Updater: h.updater, Fingerprint: h.fingerprint, Date: h.date, Kind: h.kind, Ref: h.ref });
  return `${head.slice(0, -1)},"${h.kind === 'vulnerability' ? 'Vuln' : 'Enrichment'}":`;
}

/** claircore's `EnrichmentRecord` JSON of an enrichment. */
export function toClaircoreEnrichment(e: EnrichmentRecord): Record<string, unknown> {
  return { Tags: e.tags, Enrichment: e.enrichment ?? null };
}
