import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { createIntrospectionServer } from './introspection.js';

describe('introspection server', () => {
  it('serves metrics, liveness, and readiness that follows the ready check', async () => {
    const registry = new Registry();
    new Counter({ name: 'clair_test_total', help: 'test counter', registers: [registry] }).inc(3);
    let ready = false;
    const server = createIntrospectionServer({ registry, metricsPath: '/metrics', ready: async () => ready });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const metrics = await fetch(`${base}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(metrics.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
      assert.match(await metrics.text(), /^clair_test_total 3$/m);
      const health = await fetch(`${base}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(await health.text(), 'ok');
      const notReady = await fetch(`${base}/readyz`);
      assert.equal(notReady.status, 503);
      assert.equal(notReady.headers.get('cache-control'), 'no-store');
      assert.equal(await notReady.text(), '');
      ready = true;
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      assert.equal((await fetch(`${base}/readyz`, { method: 'POST' })).status, 405);
      assert.equal((await fetch(`${base}/nothing`)).status, 404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('can move the metrics endpoint or turn it off', async () => {
    const registry = new Registry();
    for (const [path, expected] of [['/custom', 200], [undefined, 404]] as const) {
      const server = createIntrospectionServer({ registry, metricsPath: path, ready: async () => true });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      assert.equal((await fetch(`${base}${path ?? '/metrics'}`)).status, expected);
      await new Promise((r) => server.close(r));
    }
  });
});
