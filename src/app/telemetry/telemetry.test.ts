import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { Counter, Histogram, Registry } from 'prom-client';
import { startClair, type ClairProcess } from '../start.js';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../../test-support/databases.js';
import { quietLogger, testConfig } from '../../test-support/config.js';
import { startTelemetry } from './setup.js';
import { createSocket } from 'node:dgram';
import { inSpan } from '../../lib/tracing.js';

/** A loopback OTLP/HTTP collector keeping every JSON body by path. */
async function collector(): Promise<{ server: Server; endpoint: string; bodies: Map<string, unknown[]> }> {
  const bodies = new Map<string, unknown[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const list = bodies.get(req.url ?? '') ?? [];
      list.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      bodies.set(req.url ?? '', list);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { server, endpoint: `127.0.0.1:${port}`, bodies };
}

interface OtlpSpan { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes: Array<{ key: string; value: Record<string, unknown> }> }

const spansOf = (bodies: unknown[]): OtlpSpan[] =>
  (bodies as Array<{ resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }>).flatMap((b) => b.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
const attribute = (span: OtlpSpan, key: string) => Object.values(span.attributes.find((a) => a.key === key)?.value ?? {})[0];

const pgSkip = await postgresUnavailable();

describe('OpenTelemetry export to a loopback OTLP collector', () => {
  let otlp: Awaited<ReturnType<typeof collector>>;
  before(async () => {
    otlp = await collector();
  });
  after(() => otlp.server.close());

  it('exports every prom-client metric, histograms as per-bucket counts, with the service name', async () => {
    const registry = new Registry();
    new Counter({ name: 'clair_test_total', help: 'Counted things.', labelNames: ['kind'], registers: [registry] }).inc({ kind: 'a' }, 3);
    const h = new Histogram({ name: 'clair_test_seconds', help: 'Timed things.', buckets: [0.1, 1], registers: [registry] });
    for (const v of [0.05, 0.5, 0.7, 5]) h.observe(v);
    const config = testConfig('indexer', { metrics: { name: 'otlp', otlp: { http: { endpoint: otlp.endpoint, insecure: true } } } });
    const telemetry = startTelemetry(config, 'indexer', registry, quietLogger(), { metricsIntervalMs: 100 });
    await telemetry.shutdown(); // flushes one export
    const body = otlp.bodies.get('/v1/metrics')?.[0] as { resourceMetrics: Array<{ resource: { attributes: OtlpSpan['attributes'] }; scopeMetrics: Array<{ metrics: Array<Record<string, any>> }> }> };
    assert.ok(body, 'the collector got a metrics export');
    const rm = body.resourceMetrics[0]!;
    assert.deepEqual(rm.resource.attributes.find((a) => a.key === 'service.name')?.value, { stringValue: 'clairv4/indexer' });
    const metrics = new Map(rm.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.name as string, m]));
    const counter = metrics.get('clair_test_total')!;
    assert.equal(counter.description, 'Counted things.');
    assert.equal(counter.sum.isMonotonic, true);
    assert.deepEqual(counter.sum.dataPoints.map((p: any) => [p.attributes, p.asDouble]), [[[{ key: 'kind', value: { stringValue: 'a' } }], 3]]);
    const hist = metrics.get('clair_test_seconds')!.histogram.dataPoints[0];
    assert.deepEqual([hist.explicitBounds, hist.bucketCounts.map(Number), Number(hist.count), hist.sum], [[0.1, 1], [1, 2, 1], 4, 6.25]);
  });

  it('sends spans to a Jaeger agent over UDP for Clair\'s deprecated jaeger provider', async () => {
    const agent = createSocket('udp4');
    const packets: Buffer[] = [];
    agent.on('message', (m) => packets.push(m));
    agent.bind(0, '127.0.0.1');
    await once(agent, 'listening');
    try {
      const config = testConfig('indexer', { trace: { name: 'jaeger', probability: 1, jaeger: { agent: { endpoint: `127.0.0.1:${agent.address().port}` }, tags: { site: 'lab' } } } });
      const telemetry = startTelemetry(config, 'indexer', new Registry(), quietLogger());
      await inSpan('jaeger-probe-span', { 'clair.updater': 'x' }, async () => {});
      await telemetry.shutdown();
      for (let i = 0; i < 50 && packets.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const sent = Buffer.concat(packets).toString('latin1');
      assert.ok(sent.includes('jaeger-probe-span') && sent.includes('clairv4/indexer') && sent.includes('lab'), 'the span, service and tags reached the agent');
    } finally {
      agent.close();
    }
  });

  it('exports a span per request, child of the caller\'s traceparent, with the indexer\'s spans inside it', { skip: pgSkip }, async () => {
    let db: TestDatabase | undefined;
    let clair: ClairProcess | undefined;
    try {
      db = await createTestDatabase('postgres');
      const store = { connstring: db.connstring, migrations: true };
      clair = await startClair({
        config: testConfig('indexer', { indexer: store, trace: { name: 'otlp', otlp: { http: { endpoint: otlp.endpoint, insecure: true } } } }),
        mode: 'indexer',
        log: quietLogger(),
      });
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parentId = '00f067aa0ba902b7';
      const res = await fetch(`${clair.apiUrl}/indexer/api/v1/index_report`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${parentId}-01` },
        // A layer nobody serves: the index fails in FetchLayers, after its spans began.
        body: JSON.stringify({ hash: `sha256:${'c'.repeat(64)}`, layers: [{ hash: `sha256:${'d'.repeat(64)}`, uri: 'http://192.0.2.1:9/layer', headers: {} }] }),
      });
      const status = res.status;
      const report = (await res.json()) as { state: string };
      const untraced = await fetch(`${clair.apiUrl}/indexer/api/v1/index_state`);
      assert.equal(untraced.status, 200);
      await clair.close(); // flushes the batch
      clair = undefined;
      const spans = spansOf(otlp.bodies.get('/v1/traces') ?? []);
      const request = spans.find((s) => s.name === 'POST /indexer/api/v1/index_report')!;
      assert.ok(request, `a request span among ${spans.map((s) => s.name).join(', ')}`);
      assert.equal(request.traceId, traceId);
      assert.equal(request.parentSpanId, parentId);
      assert.equal(attribute(request, 'http.response.status_code'), status);
      assert.equal(report.state, 'IndexError');
      const manifest = spans.find((s) => s.name === 'index manifest')!;
      assert.equal(manifest.parentSpanId, request.spanId, 'the indexer runs inside the request span');
      assert.ok(spans.some((s) => s.name === 'index state CheckManifest' && s.parentSpanId === manifest.spanId));
      assert.equal(spans.some((s) => s.name === 'GET /indexer/api/v1/index_state'), false, 'no probability set: only what the caller sampled, as upstream');
    } finally {
      await clair?.close();
      await db?.drop();
    }
  });
});
