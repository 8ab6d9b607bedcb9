/**
 * @module The indexer as it runs in this process, on its own database.
 * Indexing itself (fetching and scanning layers) is not built yet: `index`
 * and `affectedManifests` answer not-implemented rather than a fake result.
 */
import type { Database } from '../store/database.js';
import { clairError } from '../lib/errors.js';
import type { AffectedManifests, IndexReport, Manifest } from '../model/index.js';
import type { IndexerService } from './service.js';
import { indexerState } from './state.js';
import type { VersionedScanner } from './versioned-scanner.js';

export class LocalIndexer implements IndexerService {
  readonly #db: Database;
  readonly #state: string;

  constructor(db: Database, scanners: readonly VersionedScanner[] = []) {
    this.#db = db;
    this.#state = indexerState(scanners);
  }

  async index(_manifest: Manifest): Promise<IndexReport> {
    throw clairError('HTTP_NOT_IMPLEMENTED', 'indexer: indexing manifests is not implemented yet');
  }

  async indexReport(digest: string): Promise<IndexReport | undefined> {
    const { rows } = await this.#db.query<{ scan_result: IndexReport }>(
      'SELECT r.scan_result FROM indexreport r JOIN manifest m ON m.id = r.manifest_id WHERE m.hash = $1',
      [digest],
    );
    return rows[0]?.scan_result;
  }

  async deleteManifests(digests: readonly string[]): Promise<string[]> {
    if (digests.length === 0) return [];
    const { rows } = await this.#db.query<{ hash: string }>('DELETE FROM manifest WHERE hash = ANY($1::text[]) RETURNING hash', [[...digests]]);
    return rows.map((r) => r.hash);
  }

  async state(): Promise<string> {
    return this.#state;
  }

  async affectedManifests(): Promise<AffectedManifests> {
    throw clairError('HTTP_NOT_IMPLEMENTED', 'indexer: affected manifests are not implemented yet');
  }
}
