/**
 * @module `clairctl import-updaters`: loads a bundle into the matcher
 * database the configuration names (`matcher.connstring`; empty means the
 * embedded PostgreSQL under `data_dir`), as upstream's `OfflineImport`.
 *
 * The database is opened and migrated as the matcher opens it. Each
 * vulnerability operation becomes one update operation of its updater,
 * with its fingerprint, streamed in through
 * `MatcherStore.updateVulnerabilities` (atomic per operation: one that
 * fails half way is not visible). An operation whose updater already has
 * an operation with the same fingerprint is skipped, so importing a bundle
 * twice changes nothing (upstream compares against every operation it
 * keeps, not just the newest: an older bundle imported after a newer one
 * does not roll the data back). Enrichment operations (`clair.cvss`,
 * `clair.epss`, `clair.kev`) are imported alike, each as one update
 * operation of kind `enrichment` through `MatcherStore.updateEnrichments`,
 * skipped when that enricher already has the fingerprint.
 */
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Config } from '../../config/types.js';
import type { HttpClient } from '../../lib/http-client.js';
import type { UpdateKind } from '../../model/index.js';
import { SqlMatcherStore } from '../../store/matcher/sql-matcher-store.js';
import { decompressedBundle, readBundle, type BundleCompression } from '../../updaters/bundle/index.js';
import { openServiceDatabases } from '../databases.js';
import { openBundleInput } from './input.js';

export interface ImportOptions {
  config: Config;
  /** A file, `-` for standard input, or an http(s) URL. */
  source: string;
  /** The compression a flag (`-g`/`-z`) asserts; the data's magic bytes decide otherwise. */
  expected?: BundleCompression | undefined;
  log: Logger;
  http?: HttpClient | undefined;
  stdin?: Readable | undefined;
  signal?: AbortSignal | undefined;
}

export interface ImportedOperation {
  updater: string;
  kind: UpdateKind;
  fingerprint: string;
  /** The new update operation's ref (not the bundle's). */
  ref: string;
  records: number;
}

export interface ImportResult {
  /** New update operations, vulnerability and enrichment alike. */
  imported: ImportedOperation[];
  /** Operations whose fingerprint the updater already had. */
  skipped: Array<{ updater: string; fingerprint: string; kind: UpdateKind }>;
}

/**
 * Imports the bundle `source` names.
 *
 * @throws ClairError `BUNDLE_INPUT` (cannot open or read), `BUNDLE_FORMAT`
 *   (malformed; operations before the bad line stay imported),
 *   `STORE_CONNECT` (e.g. the embedded data directory is held by a running
 *   Clair), or a store error.
 */
export async function importUpdaters(o: ImportOptions): Promise<ImportResult> {
  const log = o.log.child({ component: 'import' });
  const input = await openBundleInput(o.source, { http: o.http, stdin: o.stdin, signal: o.signal });
  const result: ImportResult = { imported: [], skipped: [] };
  try {
    const dbs = await openServiceDatabases(o.config, ['matcher'], o.log.child({ component: 'store' }));
    try {
      const store = new SqlMatcherStore(dbs.get('matcher'));
      // Fingerprints each updater already has, by kind (an enricher and an updater never share a name, but the kinds are kept apart as upstream).
      const known: Record<UpdateKind, Map<string, Set<string>>> = { vulnerability: new Map(), enrichment: new Map() };
      for (const kind of ['vulnerability', 'enrichment'] as const) {
        for (const [updater, ops] of Object.entries(await store.updateOperations(kind))) known[kind].set(updater, new Set(ops.map((op) => op.fingerprint)));
      }
      log.info({ bundle: input.name }, 'import start');
      for await (const op of readBundle(decompressedBundle(input.bytes, o.expected))) {
        const seen = known[op.kind].get(op.updater) ?? new Set<string>();
        if (seen.has(op.fingerprint)) {
          log.info({ updater: op.updater, kind: op.kind, fingerprint: op.fingerprint, line: op.line }, 'import skipped operation: its fingerprint is already imported');
          result.skipped.push({ updater: op.updater, fingerprint: op.fingerprint, kind: op.kind });
          continue;
        }
        const { operation, count } = op.kind === 'enrichment'
          ? await store.updateEnrichments(op.updater, op.fingerprint, op.records)
          : await store.updateVulnerabilities(op.updater, op.fingerprint, op.records);
        seen.add(op.fingerprint);
        known[op.kind].set(op.updater, seen);
        log.info({ updater: op.updater, kind: op.kind, ref: operation.ref, records: count }, 'import new update operation');
        result.imported.push({ updater: op.updater, kind: op.kind, fingerprint: op.fingerprint, ref: operation.ref, records: count });
      }
    } finally {
      await dbs.close();
    }
  } finally {
    input.close();
  }
  const operations = result.imported.length + result.skipped.length;
  if (operations === 0) log.warn({ bundle: input.name }, 'import found no update operation in the bundle');
  log.info({ imported: result.imported.length, skipped: result.skipped.length }, 'import done');
  return result;
}
