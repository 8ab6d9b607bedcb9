/**
 * @module The updater contract (claircore `driver.Updater`), split as
 * upstream into fetching and parsing so that a fetch can be recorded and
 * replayed (offline export/import) and parsing can stream from disk.
 *
 * - `fetch` downloads whatever the source needs into `ctx.dir` (a fresh
 *   temporary directory the manager removes afterwards) and returns a
 *   fingerprint of what it got (ETag, Last-Modified, a content hash), or
 *   `unchanged` when the previous fingerprint still holds.
 * - `parse` streams records from those files. It must never hold a whole feed
 *   in memory: read with streams and yield records as they are found.
 */
import type { Logger } from 'pino';
import type { VulnerabilityRecord } from '../model/index.js';
import type { HttpClient } from '../lib/http-client.js';
import type { Lint } from '../lib/config-lint.js';

export interface UpdaterContext {
  /** A private, empty directory for this run's downloads. */
  dir: string;
  http: HttpClient;
  signal: AbortSignal;
  log: Logger;
}

export type FetchOutcome = { unchanged: true } | { unchanged: false; fingerprint: string };

export interface Updater {
  /** Persisted: update operations are keyed by it. Never rename. */
  readonly name: string;
  /**
   * Applies `updaters.config.<updater name>` (claircore's per-updater
   * `Configure`), called before each run when that key is present. Throws
   * `CONFIG_INVALID` naming the key for a wrong type or value (the run is then
   * skipped and recorded as failed, as upstream excludes it); returns lints
   * for what it ignores.
   */
  configure?(config: unknown): Lint[];
  fetch(ctx: UpdaterContext, previousFingerprint: string | undefined): Promise<FetchOutcome>;
  parse(ctx: UpdaterContext): AsyncIterable<VulnerabilityRecord>;
}

/** What a set factory gets to build its updaters. */
export interface SetContext {
  http: HttpClient;
  signal: AbortSignal;
  log: Logger;
  /** `updaters.config.<set name>` from the config file, if any. */
  config: unknown;
}

/**
 * Builds the updaters of one set (claircore `UpdaterSetFactory`), e.g. one
 * per Alpine release found upstream. Named in `updaters.sets`.
 */
export interface UpdaterSetFactory {
  readonly name: string;
  /**
   * Checks `updaters.config.<set name>` as `create` will read it, without any
   * I/O: a wrong type or value throws `CONFIG_INVALID` naming the key path
   * (`clair -check` and start-up both refuse it, as upstream's factory
   * `Configure` does); advice such as unknown keys comes back as lints.
   */
  checkConfig(config: unknown): Lint[];
  create(ctx: SetContext): Promise<Updater[]>;
}
