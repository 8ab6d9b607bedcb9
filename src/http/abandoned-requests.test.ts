/**
 * Requests whose client gives up (issue: indexing stopped for good after
 * clients disconnected). The indexing slot is held until the work ends and
 * then always given back; the work finishes and its result is kept for the
 * next request; the in-flight gauge returns to zero.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { buildApiServer } from './server.js';
import { HttpMetrics } from './metrics.js';
import type { IndexerService } from '../indexer/service.js';
import type { IndexReport, Manifest } from '../model/index.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const manifest = { hash: DIGEST, layers: [{ hash: `sha256:${'b'.repeat(64)}`, uri: 'http://registry.example/blob' }] } as unknown as Manifest;
const report: IndexReport = { manifest_hash: DIGEST, state: 'IndexFinished', packages: {}, distributions: {}, repository: {}, environments: {}, success: true, err: '' };

/** An indexer whose `index` takes `ms` and counts what started and finished. */
function slowIndexer(ms: number) {
  const done = { count: 0, started: 0 };
  const indexer: IndexerService = {
    index: async () => {
      done.started++;
      await new Promise((r) => setTimeout(r, ms));
      done.count++;
      return report;
    },
    indexReport: async () => (done.count > 0 ? report : undefined),
    deleteManifests: async () => [],
    state: async () => 's',
    affectedManifests: async () => ({ vulnerabilities: {}, vulnerable_manifests: {} }),
  };
  return { indexer, done };
}

async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const post = (address: string) => fetch(`${address}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(manifest), headers: { 'content-type': 'application/json' } });

describe('abandoned requests', () => {
  it('give their indexing slot back once their work ends, and the work\'s result is kept', async () => {
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const gate = new Promise<void>((r) => (release = r));
    let finished = false;
    const indexer: IndexerService = {
      index: async () => {
        entered();
        await gate;
        finished = true;
        return report;
      },
      indexReport: async () => (finished ? report : undefined),
      deleteManifests: async () => [],
      state: async () => 's',
      affectedManifests: async () => ({ vulnerabilities: {}, vulnerable_manifests: {} }),
    };
    const app = await buildApiServer({ services: { indexer }, indexReportRequestConcurrency: 1 });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const client = new AbortController();
      const abandoned = fetch(`${address}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(manifest), headers: { 'content-type': 'application/json' }, signal: client.signal });
      await inside;
      client.abort();
      await assert.rejects(abandoned, { name: 'AbortError' });
      // While the abandoned work runs it still holds the only slot: work stays bounded.
      assert.equal((await post(address)).status, 429);
      release();
      await until(() => finished);
      await until(async () => (await post(address)).status === 201);
      assert.equal((await fetch(`${address}/indexer/api/v1/index_report/${DIGEST}`)).status, 200, 'the abandoned work\'s result is there for the next request');
    } finally {
      await app.close();
    }
  });

  it('leak no slot and leave no request counted in flight after 1,000 abandoned requests', async () => {
    const { indexer, done } = slowIndexer(5);
    const registry = new Registry();
    const app = await buildApiServer({ services: { indexer }, indexReportRequestConcurrency: 8, metrics: new HttpMetrics(registry) });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      let abandoned = 0;
      for (let batch = 0; batch < 125; batch++) {
        await Promise.all(
          Array.from({ length: 8 }, () =>
            fetch(`${address}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(manifest), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(2) }).then(
              (r) => r.body?.cancel(),
              () => abandoned++,
            ),
          ),
        );
      }
      assert.ok(abandoned > 500, `most requests were abandoned (${abandoned})`);
      const inFlight = async () => (await registry.getSingleMetric('clair_http_indexerv1_in_flight_requests')!.get()).values.reduce((sum, v) => sum + v.value, 0);
      // The server still reads abandoned requests from its sockets for a while: wait until it has been idle for a moment.
      let quietSince = Date.now();
      let last = -1;
      await until(() => {
        if (done.started !== last || done.count !== done.started) [last, quietSince] = [done.started, Date.now()];
        return Date.now() - quietSince > 300;
      });
      assert.equal(await inFlight(), 0, 'no request is counted in flight');
      const statuses = await Promise.all(Array.from({ length: 8 }, () => post(address).then((r) => r.status)));
      assert.deepEqual(statuses, Array(8).fill(201), 'all eight slots are free');
    } finally {
      await app.close();
    }
  });
});
