/**
 * @module The Clair v1 API as clairctl calls it, over HTTP: the same calls
 * Clair's clairctl makes (look up an index report, submit a manifest, fetch
 * the vulnerability report, delete index reports), signed with the config
 * file's PSK under clairctl's `--issuer`.
 *
 * Submitting a manifest blocks until the indexer finishes, which for a large
 * image takes minutes, so calls wait up to `timeoutMs` (10 minutes unless
 * set). A vulnerability report answered 202 (the matcher has no data yet) is
 * waited for, as the user asked for a report, not for a status.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../config/types.js';
import { RemoteClient } from '../../http/client/remote.js';
import { clairError, isClairError } from '../../lib/errors.js';
import type { IndexReport, Manifest, VulnerabilityReport } from '../../model/index.js';

export interface ClairApiOptions {
  /** The API's base URL, e.g. `http://localhost:6060/`. */
  host: string;
  /** The config file, for its PSK; none means unsigned requests. */
  config?: Config | undefined;
  issuer: string;
  timeoutMs?: number;
  /** How long a 202 vulnerability report is waited for, and how often it is asked again. */
  reportWaitMs?: number;
  reportPollMs?: number;
  /**
   * For a Clair in this process: settles when its first updater round has
   * ended. A 202 after that will not change by waiting, so it is an error.
   */
  updatesSettled?: Promise<unknown>;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000; // 10 minutes
const DEFAULT_REPORT_WAIT_MS = 10 * 60_000; // 10 minutes
const DEFAULT_REPORT_POLL_MS = 2_000; // 2 s

export type IndexLookup = { known: false } | { known: true; report: IndexReport };

export class ClairApi {
  readonly #client: RemoteClient;
  readonly #host: string;
  readonly #reportWaitMs: number;
  readonly #reportPollMs: number;
  #updatesSettled = false;

  constructor(options: ClairApiOptions) {
    this.#host = options.host;
    this.#client = new RemoteClient({
      baseUrl: options.host,
      psk: options.config?.auth.psk,
      issuer: options.issuer,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    this.#reportWaitMs = options.reportWaitMs ?? DEFAULT_REPORT_WAIT_MS;
    this.#reportPollMs = options.reportPollMs ?? DEFAULT_REPORT_POLL_MS;
    void options.updatesSettled?.then(() => (this.#updatesSettled = true));
  }

  /** The stored index report of `digest`, if the indexer has one. */
  async indexReport(digest: string, signal?: AbortSignal): Promise<IndexLookup> {
    const res = await this.#call('GET', `indexer/api/v1/index_report/${digest}`, { expect: [200, 404], signal });
    return res.status === 404 ? { known: false } : { known: true, report: res.body as IndexReport };
  }

  /** Submits `manifest` and waits for its index report; an index that failed is an error naming the indexer's cause. */
  async index(manifest: Manifest, signal?: AbortSignal): Promise<IndexReport> {
    const res = await this.#call('POST', 'indexer/api/v1/index_report', { body: manifest, expect: [200, 201], signal });
    const report = res.body as IndexReport;
    if (!report.success && report.err !== '') throw clairError('REMOTE_CALL', `indexing ${manifest.hash} failed: ${report.err}`);
    return report;
  }

  /** The vulnerability report of an indexed manifest, waiting while the matcher answers 202. */
  async vulnerabilityReport(digest: string, signal?: AbortSignal, onWaiting?: () => void): Promise<VulnerabilityReport> {
    const deadline = Date.now() + this.#reportWaitMs;
    for (;;) {
      // Read before asking: a 202 is final only if the updaters had already settled when it was asked.
      const settled = this.#updatesSettled;
      const res = await this.#call('GET', `matcher/api/v1/vulnerability_report/${digest}`, { expect: [200, 201, 202, 404], signal });
      if (res.status === 404) throw clairError('REMOTE_CALL', `no vulnerability report for ${digest}: the indexer has no finished index report for it`);
      if (res.status !== 202) return res.body as VulnerabilityReport;
      if (settled) {
        throw clairError('REMOTE_CALL', 'no vulnerability data: the updaters ran and stored nothing (with -D the log says why; without network access, import a bundle with "clairctl import-updaters")');
      }
      if (Date.now() >= deadline) throw clairError('REMOTE_CALL', `the matcher at ${this.#host} still has no vulnerability data after ${Math.round(this.#reportWaitMs / 1000)} s (answered 202); is it updating, or are its updaters disabled with nothing imported?`);
      onWaiting?.();
      await sleep(this.#reportPollMs, undefined, { signal });
    }
  }

  /** Deletes the index reports of `digests`; returns the digests the indexer deleted. */
  async deleteIndexReports(digests: readonly string[], signal?: AbortSignal): Promise<string[]> {
    const res = await this.#call('DELETE', 'indexer/api/v1/index_report', { body: digests, expect: [200, 204], signal });
    return Array.isArray(res.body) ? (res.body as string[]) : [];
  }

  async #call(method: string, path: string, options: { body?: unknown; expect: readonly number[]; signal?: AbortSignal | undefined }) {
    try {
      return await this.#client.call(method, path, options);
    } catch (err) {
      if (isClairError(err, 'REMOTE_CALL') && / answered 401\b/.test(err.message)) {
        throw clairError('REMOTE_CALL', `the Clair API at ${this.#host} refused the request (401): its auth.psk must be in the config file (-c) and the issuer (--issuer) in its auth.psk.iss`, { cause: err });
      }
      throw err;
    }
  }
}
