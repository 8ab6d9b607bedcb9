/** @module An indexer on another node, reached over Clair's HTTP API. */
import type { IndexerService } from '../../indexer/service.js';
import type { AffectedManifests, IndexReport, Manifest, Vulnerability } from '../../model/index.js';
import { RemoteClient, type RemoteOptions } from './remote.js';

const BASE = 'indexer/api/v1';

export class RemoteIndexer implements IndexerService {
  readonly #client: RemoteClient;

  constructor(options: RemoteOptions) {
    this.#client = new RemoteClient(options);
  }

  async index(manifest: Manifest, signal?: AbortSignal): Promise<IndexReport> {
    const r = await this.#client.call('POST', `${BASE}/index_report`, { body: manifest, expect: [201], signal });
    return r.body as IndexReport;
  }

  async indexReport(digest: string, signal?: AbortSignal): Promise<IndexReport | undefined> {
    const r = await this.#client.call('GET', `${BASE}/index_report/${digest}`, { expect: [200, 404], signal });
    return r.status === 404 ? undefined : (r.body as IndexReport);
  }

  async deleteManifests(digests: readonly string[], signal?: AbortSignal): Promise<string[]> {
    const r = await this.#client.call('DELETE', `${BASE}/index_report`, { body: digests, expect: [200], signal });
    return r.body as string[];
  }

  async state(signal?: AbortSignal): Promise<string> {
    const r = await this.#client.call('GET', `${BASE}/index_state`, { expect: [200], signal });
    return (r.body as { state: string }).state;
  }

  async affectedManifests(vulnerabilities: readonly Vulnerability[], signal?: AbortSignal): Promise<AffectedManifests> {
    const r = await this.#client.call('POST', `${BASE}/internal/affected_manifest`, { body: { vulnerabilities }, expect: [200], signal });
    return r.body as AffectedManifests;
  }
}

export type { RemoteOptions };
