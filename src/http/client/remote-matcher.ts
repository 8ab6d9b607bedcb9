/** @module A matcher on another node, reached over Clair's HTTP API. */
import type { MatcherService } from '../../matcher/service.js';
import type { IndexReport, UpdateDiff, UpdateKind, UpdateOperation, VulnerabilityReport } from '../../model/index.js';
import { clairError } from '../../lib/errors.js';
import { RemoteClient, type RemoteOptions } from './remote.js';

const BASE = 'matcher/api/v1';

export class RemoteMatcher implements MatcherService {
  readonly #client: RemoteClient;
  /** Cached latest-operations answer, revalidated with its ETag as upstream's client does. */
  #latest = new Map<UpdateKind, { etag: string; body: Record<string, UpdateOperation[]> }>();

  constructor(options: RemoteOptions) {
    this.#client = new RemoteClient(options);
  }

  /** A remote matcher is asked directly for reports; it answers 202 itself until initialized. */
  async initialized(): Promise<boolean> {
    return true;
  }

  async scan(report: IndexReport, signal?: AbortSignal): Promise<VulnerabilityReport> {
    const r = await this.#client.call('GET', `${BASE}/vulnerability_report/${report.manifest_hash}`, { expect: [200, 202], signal });
    if (r.status === 202) throw clairError('REMOTE_CALL', 'remote: matcher has not loaded vulnerability data yet');
    return r.body as VulnerabilityReport;
  }

  async updateOperations(kind: UpdateKind, signal?: AbortSignal): Promise<Record<string, UpdateOperation[]>> {
    const r = await this.#client.call('GET', `${BASE}/internal/update_operation?kind=${kind}`, { expect: [200], signal });
    return r.body as Record<string, UpdateOperation[]>;
  }

  async latestUpdateOperations(kind: UpdateKind, signal?: AbortSignal): Promise<Record<string, UpdateOperation[]>> {
    const cached = this.#latest.get(kind);
    const headers: Record<string, string> = cached ? { 'if-none-match': cached.etag } : {};
    const r = await this.#client.call('GET', `${BASE}/internal/update_operation?kind=${kind}&latest=true`, { headers, expect: [200, 304], signal });
    if (r.status === 304 && cached) return cached.body;
    const body = r.body as Record<string, UpdateOperation[]>;
    const etag = r.headers.get('etag');
    if (etag) this.#latest.set(kind, { etag, body });
    return body;
  }

  async latestUpdateOperation(kind: UpdateKind, signal?: AbortSignal): Promise<string | undefined> {
    const latest = Object.values(await this.latestUpdateOperations(kind, signal)).flat();
    latest.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
    return latest[0]?.ref;
  }

  async deleteUpdateOperations(refs: readonly string[], signal?: AbortSignal): Promise<number> {
    let deleted = 0;
    for (const ref of refs) {
      await this.#client.call('DELETE', `${BASE}/internal/update_operation/${ref}`, { expect: [200], signal });
      deleted++;
    }
    return deleted;
  }

  async updateDiff(prev: string | undefined, cur: string, signal?: AbortSignal): Promise<UpdateDiff> {
    const query = prev ? `cur=${cur}&prev=${prev}` : `cur=${cur}`;
    const r = await this.#client.call('GET', `${BASE}/internal/update_diff?${query}`, { expect: [200], signal });
    return r.body as UpdateDiff;
  }
}
