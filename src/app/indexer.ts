/**
 * @module Builds the in-process indexer: its SQL store and locks on the
 * indexer's database, and the matchers' rules for affected-manifest lookups,
 * handed to the engine, which knows neither SQL nor matchers.
 */
import type { Database } from '../store/database.js';
import { SqlIndexerStore } from '../store/indexer/sql-indexer-store.js';
import { LocalIndexer, type LocalIndexerOptions } from '../indexer/local-indexer.js';
import type { AffectedRule } from '../indexer/affected-manifests.js';
import type { Matcher } from '../matcher/matcher.js';

/** The rule a matcher gives the reverse lookup: its constraints, and its filter and verdict together. */
export function affectedRules(matchers: readonly Matcher[]): AffectedRule[] {
  return matchers.map((m) => ({ constraints: m.query(), affects: (record, vuln) => m.filter(record) && m.vulnerable(record, vuln) }));
}

export type IndexerOptions = Omit<LocalIndexerOptions, 'store' | 'locks' | 'affected'> & {
  /** The indexer's database: its store and its locks. */
  db: Database;
  /** The matchers whose rules decide which stored manifests a vulnerability affects. */
  matchers: readonly Matcher[];
};

export function createIndexer({ db, matchers, ...options }: IndexerOptions): Promise<LocalIndexer> {
  return LocalIndexer.create({ ...options, store: new SqlIndexerStore(db), locks: db, affected: affectedRules(matchers) });
}
