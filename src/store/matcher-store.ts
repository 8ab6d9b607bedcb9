/**
 * @module The matcher's persistence contract: update operations and the
 * vulnerabilities or enrichments they hold, their diff and garbage
 * collection, and the lookups matching and enriching run. One SQL
 * implementation serves both backends.
 */
import type { UpdateDiff, UpdateKind, UpdateOperation, Vulnerability, VulnerabilityRecord } from '../model/index.js';
import type { EnrichmentRecord } from '../model/enrichment.js';

export interface UpdaterStatus {
  updater: string;
  lastAttempt: Date;
  lastSuccess?: Date | undefined;
  lastRunSucceeded: boolean;
  lastAttemptFingerprint: string;
  lastError: string;
}

/** Columns a matcher may constrain a lookup on (claircore `driver.MatchConstraint`). */
export type MatchColumn =
  | 'dist_id' | 'dist_name' | 'dist_version' | 'dist_version_code_name' | 'dist_version_id' | 'dist_arch' | 'dist_cpe' | 'dist_pretty_name'
  | 'repo_name' | 'repo_key' | 'repo_uri' | 'package_module';

/** One lookup: vulnerabilities for any of `names`, with every constraint column equal. */
export interface VulnerabilityQuery {
  /** (name, kind) pairs: a package and its source package. */
  names: ReadonlyArray<{ name: string; kind: string }>;
  constraints: Partial<Record<MatchColumn, string>>;
  /** Only records with a fix. */
  hasFixedInVersion?: boolean;
  /** Only records whose range contains this normalized version. */
  versionIn?: { kind: string; v: readonly number[] };
}

/** A looked-up vulnerability; `notVulnerable` marks vendor "known not affected" statements (claircore's Invert). */
export interface MatchCandidate {
  vulnerability: Vulnerability;
  notVulnerable: boolean;
}

export interface MatcherStore {
  /** True once any vulnerability is stored. */
  initialized(): Promise<boolean>;
  /**
   * Streams an updater's full vulnerability set into a new update operation.
   * Records are written in bounded batches; the operation becomes visible only
   * once every record is in, so a failed or partial run leaves the previous
   * data as it was.
   */
  updateVulnerabilities(updater: string, fingerprint: string, records: AsyncIterable<VulnerabilityRecord> | Iterable<VulnerabilityRecord>): Promise<{ operation: UpdateOperation; count: number }>;
  /**
   * Streams an enricher's full record set into a new update operation of
   * kind `enrichment` (claircore `UpdateEnrichmentsIter`). Records are
   * written in bounded batches, content-addressed (the same tags and JSON are
   * one row, linked again), all inside one transaction: memory stays bounded
   * whatever the feed's size, and a failed or partial run leaves nothing
   * behind and the previous operation in force.
   */
  updateEnrichments(updater: string, fingerprint: string, records: AsyncIterable<EnrichmentRecord> | Iterable<EnrichmentRecord>): Promise<{ operation: UpdateOperation; count: number }>;
  /**
   * The enrichments of `enricher`'s newest operation whose tags overlap each
   * tag list (claircore `GetEnrichment`, `tags && $tags`), one result list
   * per query, in query order. Within a list, records come in the order of
   * the first query tag they carry, then in storage order.
   */
  enrichments(enricher: string, queries: ReadonlyArray<readonly string[]>): Promise<EnrichmentRecord[][]>;
  /** The fingerprint of the updater's newest update operation (of `kind`, when given). */
  latestFingerprint(updater: string, kind?: UpdateKind): Promise<string | undefined>;
  recordUpdaterStatus(status: UpdaterStatus): Promise<void>;
  updaterStatus(updater: string): Promise<UpdaterStatus | undefined>;
  updateOperations(kind: UpdateKind, latestOnly?: boolean): Promise<Record<string, UpdateOperation[]>>;
  latestUpdateOperation(kind: UpdateKind): Promise<string | undefined>;
  deleteUpdateOperations(refs: readonly string[]): Promise<number>;
  updateDiff(prev: string | undefined, cur: string): Promise<UpdateDiff>;
  /**
   * Keeps each updater's newest `keep` operations (of either kind), deleting
   * at most `batch` older ones per call, then the vulnerabilities and
   * enrichments no operation holds any more.
   * Returns how many deletable operations remain (call again while > 0).
   */
  gc(keep: number, batch?: number): Promise<number>;
  /** Runs lookups against the latest operation of every updater; results in query order. */
  query(queries: readonly VulnerabilityQuery[]): Promise<MatchCandidate[][]>;
}
