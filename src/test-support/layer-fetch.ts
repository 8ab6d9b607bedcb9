/**
 * @module For tests of how layers are fetched: an in-process indexer wired
 * from a config exactly as `startClair` wires it (with the test hooks of
 * {@link LayerFetchContext}), and HTTP servers that misbehave on purpose,
 * each on loopback port 0 and keeping a log of what reached it.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalIndexer } from '../indexer/local-indexer.js';
import { createIndexer } from '../app/indexer.js';
import { DEFAULT_ECOSYSTEMS, DEFAULT_RESOLVERS } from '../app/defaults/ecosystems.js';
import { httpLayerOpener, layerOptionsFrom, type LayerFetchContext } from '../indexer/layer-opener.js';
import type { Manifest } from '../model/index.js';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open.js';
import { migrate } from '../store/migrate.js';
import { quietLogger, testConfig } from './config.js';

/** An in-memory indexer database, migrated; open one per test file (it takes seconds) and share it. */
export async function testIndexerDatabase(): Promise<Database> {
  const db = await openDatabase('memory://', { dataDir: 'unused' });
  await migrate(db, 'indexer');
  return db;
}

/** A LocalIndexer over `db`, configured with `indexer` (merged over the test config). */
export function testIndexer(db: Database, indexer: Record<string, unknown>, context: LayerFetchContext = {}): Promise<LocalIndexer> {
  const config = testConfig('indexer', { indexer: { connstring: 'memory://', ...indexer } }).indexer;
  return createIndexer({
    db,
    ecosystems: DEFAULT_ECOSYSTEMS,
    resolvers: DEFAULT_RESOLVERS,
    openLayer: httpLayerOpener(layerOptionsFrom(config, context)),
    layerConcurrency: config.layer_scan_concurrency,
    lockRetryMs: 50,
    limits: config.limits,
    matchers: [],
    log: quietLogger(),
  });
}

let manifests = 0;

/** A manifest with a fresh digest, whose layers are `layers` (URI, and digest when it matters). */
export function manifestOf(layers: ReadonlyArray<string | { uri: string; hash: string }>): Manifest {
  manifests++;
  return {
    hash: `sha256:${createHash('sha256').update(`manifest ${manifests} ${process.pid} ${Date.now()}`).digest('hex')}`,
    layers: layers.map((layer, i) =>
      typeof layer === 'string' ? { hash: `sha256:${createHash('sha256').update(`layer ${manifests} ${i}`).digest('hex')}`, uri: layer } : layer,
    ),
  } as unknown as Manifest;
}

export interface MisbehavingServer {
  /** Absolute URL of `path` on this server. */
  url(path: string): string;
  port: number;
  /** The paths of the requests that reached it, in order. */
  readonly requests: string[];
  /** Requests whose connection the client has hung up (an idle connection it may open again is not counted). */
  readonly hungUp: number;
  close(): Promise<void>;
}

/**
 * A server answering with `respond` (which may never finish the response).
 * Connections are tracked, so a test can tell that the client hung up.
 */
export async function misbehavingServer(respond: (res: ServerResponse, path: string) => void): Promise<MisbehavingServer> {
  const requests: string[] = [];
  let hungUp = 0;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push(path);
    // The client hanging up is its FIN: the server may keep its own half open a while.
    let counted = false;
    const hangUp = (): void => {
      if (!counted) hungUp++;
      counted = true;
    };
    req.socket.once('end', hangUp);
    req.socket.once('close', hangUp);
    respond(res, path);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    port,
    requests,
    get hungUp() {
      return hungUp;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Accepts every request and never answers it. */
export function silentServer(): Promise<MisbehavingServer> {
  return misbehavingServer(() => {});
}

/** Answers 200 with a 1 MB Content-Length, then sends one byte every `intervalMs`, forever. */
export function trickleServer(intervalMs: number): Promise<MisbehavingServer> {
  return misbehavingServer((res) => {
    res.writeHead(200, { 'content-length': String(1_000_000), 'content-type': 'application/octet-stream' });
    // gzip magic first, so the body is taken for a layer and read on.
    res.write(Buffer.from([0x1f, 0x8b]));
    const timer = setInterval(() => {
      if (res.destroyed || res.writableEnded) return clearInterval(timer);
      res.write(Buffer.from([0]));
    }, intervalMs);
    res.once('close', () => clearInterval(timer));
  });
}
