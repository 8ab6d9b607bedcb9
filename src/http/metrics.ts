/**
 * @module Per-route HTTP metrics, named as upstream Clair names them:
 * `clair_http_<indexerv1|matcherv1|notificationv1>_…` with `handler` (the
 * route pattern), `code` and `method` labels.
 */
import { finished } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const SERVICES = [
  { prefix: '/indexer/', name: 'indexerv1' },
  { prefix: '/matcher/', name: 'matcherv1' },
  { prefix: '/notifier/', name: 'notificationv1' },
] as const;

interface ServiceMetrics {
  requests: Counter<'handler' | 'code' | 'method'>;
  duration: Histogram<'handler' | 'code' | 'method'>;
  requestSize: Histogram<'handler' | 'code' | 'method'>;
  responseSize: Histogram<'handler' | 'code' | 'method'>;
  inFlight: Gauge<'handler' | 'method'>;
}

export class HttpMetrics {
  readonly #byService = new Map<string, ServiceMetrics>();
  readonly concurrencyLimited: Counter;

  constructor(registry: Registry) {
    const labelNames = ['handler', 'code', 'method'] as const;
    const sizeBuckets = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];
    for (const { name } of SERVICES) {
      const base = `clair_http_${name}`;
      this.#byService.set(name, {
        requests: new Counter({ name: `${base}_request_total`, help: 'Requests handled, by route, status and method.', labelNames, registers: [registry] }),
        duration: new Histogram({ name: `${base}_request_duration_seconds`, help: 'Request latency in seconds.', labelNames, registers: [registry] }),
        requestSize: new Histogram({ name: `${base}_request_size_bytes`, help: 'Request body sizes in bytes.', labelNames, buckets: sizeBuckets, registers: [registry] }),
        responseSize: new Histogram({ name: `${base}_response_size_bytes`, help: 'Response body sizes in bytes.', labelNames, buckets: sizeBuckets, registers: [registry] }),
        inFlight: new Gauge({ name: `${base}_in_flight_requests`, help: 'Requests being served.', labelNames: ['handler', 'method'], registers: [registry] }),
      });
    }
    this.concurrencyLimited = new Counter({ name: 'clair_http_concurrencylimited_total', help: 'Requests refused by a concurrency limit.', registers: [registry] });
  }

  /**
   * Observes every request on `app`'s routes under a service prefix. A request
   * leaves the in-flight gauge when its response closes, including when the
   * client went away first, which is counted with upstream's status 499.
   */
  register(app: FastifyInstance): void {
    const serviceOf = (url: string): ServiceMetrics | undefined => {
      const service = SERVICES.find((s) => url.startsWith(s.prefix));
      return service ? this.#byService.get(service.name) : undefined;
    };
    app.addHook('onRequest', async (request, reply) => {
      const metrics = serviceOf(request.url);
      if (!metrics) return;
      const start = process.hrtime.bigint();
      const handler = request.routeOptions.url ?? 'unmatched';
      metrics.inFlight.inc({ handler, method: request.method });
      // Once the response is done, or the client has gone (possibly already).
      finished(reply.raw, () => {
        const code = reply.raw.writableFinished ? String(reply.statusCode) : '499';
        const labels = { handler, code, method: request.method };
        metrics.inFlight.dec({ handler, method: request.method });
        metrics.requests.inc(labels);
        metrics.duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
        metrics.requestSize.observe(labels, Number(request.headers['content-length'] ?? 0));
        metrics.responseSize.observe(labels, Number(reply.getHeader('content-length') ?? 0));
      });
    });
  }
}
