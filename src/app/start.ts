/**
 * @module Starts Clair in one mode: the introspection server first (so
 * probes answer while the rest starts), then the databases and migrations,
 * then the API. Combo mode wires the node types to each other in process;
 * single modes reach the others over HTTP at their configured addresses.
 */
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { Config, Mode } from '../config/types.js';
import { RemoteIndexer } from '../http/client/remote-indexer.js';
import { RemoteMatcher } from '../http/client/remote-matcher.js';
import { NotifierMetrics } from '../notifier/metrics.js';
import { NotifierWorker } from '../notifier/worker.js';
import { createDeliverer } from './deliverers.js';
import { createIntrospectionServer } from '../http/introspection.js';
import { HttpMetrics } from '../http/metrics.js';
import { buildApiServer, type ApiServices } from '../http/server.js';
import { openApiDocument } from '../http/openapi-document.js';
import { createIndexer } from './indexer.js';
import { DEFAULT_ECOSYSTEMS, DEFAULT_RESOLVERS } from './defaults/ecosystems.js';
import { httpLayerOpener, layerOptionsFrom } from '../indexer/layer-opener.js';
import type { IndexerService } from '../indexer/service.js';
import { LocalMatcher } from '../matcher/local-matcher.js';
import { UpdateManager } from '../updaters/manager.js';
import { UpdaterMetrics } from '../updaters/metrics.js';
import { createHttpClient } from '../lib/http-client.js';
import { OwnListeners } from '../lib/destination-policy.js';
import { clairError } from '../lib/errors.js';
import { LocalNotifier } from '../notifier/local-notifier.js';
import { SqlMatcherStore } from '../store/matcher/sql-matcher-store.js';
import { SqlNotifierStore } from '../store/notifier/sql-notifier-store.js';
import type { Service } from '../store/migrate.js';
import { openServiceDatabases, type ServiceDatabases } from './databases.js';
import { listenAddress } from './listen.js';
import { resolvePlugins, type Plugins } from './plugins.js';
import { startTelemetry } from './telemetry/setup.js';

export interface ClairProcess {
  mode: Mode;
  /** Where the API listens, e.g. `http://127.0.0.1:6060`. */
  apiUrl: string;
  introspectionUrl: string;
  /** The node types this process runs. */
  services: Service[];
  /**
   * Settles when a database this process owns is gone and cannot come back
   * (its embedded PostgreSQL stopped on its own): the process should close
   * and exit with a failure, so its supervisor restarts it, rather than
   * answer 503 for ever.
   */
  lost: Promise<Error>;
  /**
   * Settles when this process's first round of updaters has ended, however
   * it went; at once when it runs none (not a matcher, or updaters disabled).
   */
  firstUpdate: Promise<void>;
  /** Stops taking requests, finishes in-flight ones (bounded), closes pools. */
  close(): Promise<void>;
}

/** The longest shutdown waits for in-flight requests, as upstream's grace period. */
export const SHUTDOWN_GRACE_MS = 10_000; // 10 s

/** Which node types a mode runs. Combo omits the notifier when nothing would be delivered, as upstream. */
export function servicesFor(mode: Mode, config: Config): Service[] {
  switch (mode) {
    case 'combo': {
      const n = config.notifier;
      return n.webhook || n.amqp || n.stomp ? ['indexer', 'matcher', 'notifier'] : ['indexer', 'matcher'];
    }
    default:
      return [mode];
  }
}

interface Wired {
  services: ApiServices;
  updates: UpdateManager | undefined;
  notifier: NotifierWorker | undefined;
}

async function wire(config: Config, mode: Mode, services: Service[], plugins: Plugins, dbs: ServiceDatabases, log: Logger, registry: Registry, ownListeners: OwnListeners): Promise<Wired> {
  const psk = config.auth.psk;
  const wired: ApiServices = {};
  let updates: UpdateManager | undefined;
  let notifier: NotifierWorker | undefined;
  let localMatcher: LocalMatcher | undefined;
  // One matcher set serves the indexer's affected-manifest lookups and the
  // matcher; a notifier-only process has none.
  const { matchers } = plugins;
  let localIndexer: IndexerService | undefined;
  if (services.includes('indexer')) {
    localIndexer = await createIndexer({
      db: dbs.get('indexer'),
      ecosystems: DEFAULT_ECOSYSTEMS,
      resolvers: DEFAULT_RESOLVERS,
      // Layer URIs may never point back at this process's own listeners.
      openLayer: httpLayerOpener({ ...layerOptionsFrom(config.indexer, { ownListeners }), logger: log.child({ component: 'layer' }) }),
      scannerConfig: config.indexer.scanner,
      layerConcurrency: config.indexer.layer_scan_concurrency,
      lockRetryMs: config.indexer.scanlock_retry * 1000,
      limits: config.indexer.limits,
      matchers,
      log: log.child({ component: 'indexer' }),
    });
    wired.indexer = localIndexer;
  }
  if (services.includes('matcher')) {
    // Combo: the in-process indexer; `matcher.indexer_addr` is ignored.
    const indexerClient = localIndexer ?? new RemoteIndexer({ baseUrl: config.matcher.indexer_addr, psk });
    const matcher = new LocalMatcher(new SqlMatcherStore(dbs.get('matcher')), matchers, { enrichers: plugins.enrichers, log: log.child({ component: 'matcher' }) });
    localMatcher = matcher;
    wired.matcher = { matcher, indexerClient, cacheAgeSeconds: Math.floor(config.matcher.cache_age / 1000) };
    if (!config.matcher.disable_updaters) {
      const { factories } = plugins;
      if (factories.length > 0) {
        updates = new UpdateManager({
          db: dbs.get('matcher'),
          store: matcher.store,
          factories,
          config: config.updaters.config,
          http: createHttpClient(),
          log: log.child({ component: 'updater' }),
          metrics: new UpdaterMetrics(registry),
          retention: config.matcher.update_retention,
          // Combo: the notifier looks at a new update operation at once instead of at its next poll.
          onChange: () => notifier?.kick(),
        });
      }
    }
  }
  if (services.includes('notifier')) {
    const store = new SqlNotifierStore(dbs.get('notifier'));
    wired.notifier = new LocalNotifier(store);
    const n = config.notifier;
    notifier = new NotifierWorker({
      store,
      locks: dbs.get('notifier'),
      // Combo: the in-process indexer and matcher; `notifier.*_addr` are ignored.
      indexer: localIndexer ?? new RemoteIndexer({ baseUrl: n.indexer_addr, psk }),
      matcher: localMatcher ?? new RemoteMatcher({ baseUrl: n.matcher_addr, psk }),
      deliverer: createDeliverer(n, psk, log.child({ component: 'deliverer' })),
      summary: !n.disable_summary,
      pollIntervalMs: n.poll_interval,
      deliveryIntervalMs: n.delivery_interval,
      retention: n.retention,
      metrics: new NotifierMetrics(registry),
      log: log.child({ component: 'notifier' }),
    });
  } else if (mode === 'combo') {
    log.info({}, 'notifier not started: no delivery mechanism (notifier.webhook, amqp or stomp) is configured');
  }
  return { services: wired, updates, notifier };
}

export interface StartOptions {
  config: Config;
  mode: Mode;
  log: Logger;
}

export async function startClair({ config, mode, log }: StartOptions): Promise<ClairProcess> {
  const services = servicesFor(mode, config);
  // Before anything listens: a bad plug-in config fails the start, as `-check` does.
  const plugins = resolvePlugins(config, mode);
  log.info({ mode, services }, 'clair start');
  const registry = new Registry();
  registry.setDefaultLabels({ mode });
  collectDefaultMetrics({ register: registry });

  let dbs: ServiceDatabases | undefined;
  let api: FastifyInstance | undefined;
  let updates: UpdateManager | undefined;
  let notifier: NotifierWorker | undefined;
  let closing = false;
  const ready = async (): Promise<boolean> => {
    if (closing || !dbs || !api) return false;
    const checks = dbs.all().map((db) => Promise.race([db.ping().then(() => true), new Promise<boolean>((r) => setTimeout(r, 2000, false))]));
    return (await Promise.all(checks.map((c) => c.catch(() => false)))).every(Boolean);
  };

  // Served whatever metrics.name says: OTLP or stdout export is added, not swapped in.
  const metricsPath = config.metrics.prometheus.endpoint;
  const telemetry = startTelemetry(config, mode, registry, log.child({ component: 'telemetry' }));
  const introspection = createIntrospectionServer({ registry, metricsPath, ready });
  let introspectionUrl: string;
  // Filled in as each server is bound: the layer fetch policy denies their ports.
  const ownListeners = new OwnListeners();
  try {
    introspectionUrl = await listen(introspection, config.introspection_addr);
    ownListeners.add(introspection.address());
  } catch (err) {
    // Upstream carries on without health checks; an orchestrator would then
    // restart a healthy process or route to a broken one, so this refuses.
    await telemetry.shutdown();
    throw clairError('LISTEN', `introspection_addr ${JSON.stringify(config.introspection_addr)}: cannot listen: ${(err as Error).message}`, { cause: err });
  }
  log.info({ address: introspectionUrl }, 'introspection server listening');

  try {
    dbs = await openServiceDatabases(config, services, log.child({ component: 'store' }));
    const wired = await wire(config, mode, services, plugins, dbs, log, registry, ownListeners);
    updates = wired.updates;
    notifier = wired.notifier;
    api = await buildApiServer({
      services: wired.services,
      psk: config.auth.psk,
      logger: log.child({ component: 'http' }),
      metrics: new HttpMetrics(registry),
      indexReportRequestConcurrency: config.indexer.index_report_request_concurrency,
      affectedManifestVulnerabilities: config.indexer.limits.affected_manifest_vulnerabilities,
      tls: config.tls ? { cert: await readFile(config.tls.cert), key: await readFile(config.tls.key) } : undefined,
      openApiDocument,
    });
    const { host, port } = listenAddress(config.http_listen_addr);
    await api.listen({ host, port }).catch((err: unknown) => {
      throw clairError('LISTEN', `http_listen_addr ${JSON.stringify(config.http_listen_addr)}: cannot listen: ${(err as Error).message}`, { cause: err });
    });
    ownListeners.add(api.server.address());
  } catch (err) {
    await api?.close().catch(() => {});
    await dbs?.close();
    await closeServer(introspection);
    await telemetry.shutdown();
    throw err;
  }
  const address = api.server.address() as AddressInfo;
  const apiUrl = `${config.tls ? 'https' : 'http'}://${formatHost(address.address)}:${address.port}`;
  log.info({ address: apiUrl }, 'clair ready');
  updates?.start(config.matcher.period);
  notifier?.start();

  return {
    mode,
    apiUrl,
    introspectionUrl,
    services,
    lost: Promise.race(dbs.all().flatMap((db) => (db.lost ? [db.lost] : []))),
    firstUpdate: updates?.firstRound ?? Promise.resolve(),
    close: async () => {
      if (closing) return;
      closing = true;
      log.info({}, 'clair shutdown start');
      const grace = setTimeout(() => {
        log.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'clair shutdown grace period over; closing connections');
        api?.server.closeAllConnections();
      }, SHUTDOWN_GRACE_MS);
      grace.unref();
      try {
        await updates?.stop();
        await notifier?.stop();
        await api?.close();
      } finally {
        clearTimeout(grace);
        await dbs?.close();
        await closeServer(introspection);
        await telemetry.shutdown();
      }
      log.info({}, 'clair shutdown done');
    },
  };
}

async function listen(server: Server, addr: string): Promise<string> {
  const { host, port } = listenAddress(addr);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://${formatHost(address.address)}:${address.port}`;
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function formatHost(address: string): string {
  if (address === '::' || address === '0.0.0.0') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}
