/**
 * @module The introspection server (default `:8089`, plain HTTP, never
 * authenticated): Prometheus metrics, liveness and readiness.
 */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface IntrospectionOptions {
  registry: Registry;
  /** Path of the Prometheus exposition; `undefined` disables it. */
  metricsPath: string | undefined;
  /** Resolves true when the process is ready for traffic. */
  ready: () => Promise<boolean>;
}

export function createIntrospectionServer(options: IntrospectionOptions): Server {
  return createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    void (async () => {
      if (path === options.metricsPath) {
        return send(200, await options.registry.metrics(), options.registry.contentType);
      }
      if (path === '/healthz') return send(200, 'ok');
      if (path === '/readyz') {
        if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, '');
        return send((await options.ready()) ? 200 : 503, '');
      }
      return send(404, 'not found');
    })().catch(() => send(500, 'internal error'));
  });
}
