/**
 * @module A distributed Clair for benchmarks, built from the deployment
 * tests' helpers (src/test-support): real `clair -mode …` processes on the
 * local PostgreSQL with PSK auth, behind the shipped nginx template
 * (deploy/nginx/clair.conf rendered by deploy/render.sh) over TLS from a
 * throw-away CA. The front door keeps its two ports for the whole run, so
 * nginx can be restarted with other upstreams while the matchers, whose
 * `indexer_addr` names the node listener, keep running.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePskKey, signToken } from '../../src/http/auth.js';
import { spawnCli, type Spawned } from '../../src/test-support/spawn.js';
import { freePort, renderTemplate, startNginx, type RunningNginx } from '../../src/test-support/load-balancers.js';
import { caFetch, makeTestCa, type TestCa } from '../../src/test-support/test-ca.js';

/** The PSK every node and the benchmark's client share. */
const PSK = { key: Buffer.from('distributed-benchmark-key').toString('base64'), iss: ['bench'] };

/** A running `clair` process. */
export interface ClairNode {
  mode: 'indexer' | 'matcher';
  run: Spawned;
  /** host:port of its API. */
  api: string;
  /** host:port of its introspection server (/metrics). */
  introspection: string;
  pid: number;
}

/** The benchmark's deployment: CA, front-door ports, signed HTTPS client, the nodes it started. */
export class BenchCluster {
  readonly dir: string;
  readonly ca: TestCa;
  readonly publicBase: string;
  readonly nodeBase: string;
  readonly #ports: { public: number; node: number };
  readonly #key: Uint8Array;
  #https: ReturnType<typeof caFetch>;
  #nginx: RunningNginx | undefined;
  #configs = 0;
  readonly #nodes = new Set<ClairNode>();

  private constructor(dir: string, ca: TestCa, ports: { public: number; node: number }) {
    this.dir = dir;
    this.ca = ca;
    this.#ports = ports;
    this.publicBase = `https://127.0.0.1:${ports.public}`;
    this.nodeBase = `https://127.0.0.1:${ports.node}`;
    this.#key = decodePskKey(PSK.key);
    this.#https = caFetch(ca);
  }

  /** Makes the CA in `dir` and picks the front door's ports. */
  static async create(dir: string): Promise<BenchCluster> {
    const ca = makeTestCa(mkdtempSync(join(dir, 'ca-')));
    return new BenchCluster(dir, ca, { public: await freePort(), node: await freePort() });
  }

  /** Writes a config file: loopback ports, PSK auth, and `config`'s blocks. */
  writeConfig(config: Record<string, unknown>): string {
    const path = join(this.dir, `config-${++this.#configs}.json`);
    writeFileSync(path, JSON.stringify({ http_listen_addr: '127.0.0.1:0', introspection_addr: '127.0.0.1:0', log_level: 'info', auth: { psk: PSK }, ...config }));
    return path;
  }

  /** Starts `clair -mode <mode> -conf <conf>` and resolves once it is ready. */
  async start(mode: ClairNode['mode'], conf: string): Promise<ClairNode> {
    const run = spawnCli('clair', ['-mode', mode, '-conf', conf], { NODE_EXTRA_CA_CERTS: this.ca.caFile });
    const introspection = JSON.parse(await run.waitFor(/"introspection server listening"/, 120_000)) as { address: string };
    const ready = JSON.parse(await run.waitFor(/"clair ready"/, 120_000)) as { address: string };
    const node = { mode, run, api: new URL(ready.address).host, introspection: new URL(introspection.address).host, pid: run.child.pid! };
    this.#nodes.add(node);
    return node;
  }

  /** Stops a node with SIGTERM and waits for it; a non-zero exit is an error naming its stderr. */
  async stop(node: ClairNode): Promise<void> {
    this.#nodes.delete(node);
    node.run.child.kill('SIGTERM');
    const code = await node.run.exit;
    if (code !== 0) throw new Error(`clair ${node.mode} exited with ${code}: ${node.run.stderr().slice(-2000)}`);
  }

  /** (Re)starts nginx on the front door's ports with these upstreams. */
  async route(upstreams: { indexers: ClairNode[]; matchers: ClairNode[] }): Promise<RunningNginx> {
    await this.#nginx?.stop();
    // Nothing listens behind the notifier prefix: the benchmark runs no notifier.
    const closed = `127.0.0.1:${await freePort()}`;
    const conf = await renderTemplate('nginx/clair.conf', {
      CLAIR_INDEXER_ADDRS: upstreams.indexers.map((n) => n.api).join(' '),
      CLAIR_MATCHER_ADDRS: upstreams.matchers.map((n) => n.api).join(' '),
      CLAIR_NOTIFIER_ADDRS: closed,
      CLAIR_SERVER_NAME: 'localhost',
      CLAIR_PUBLIC_LISTEN: `127.0.0.1:${this.#ports.public}`,
      CLAIR_NODE_LISTEN: `127.0.0.1:${this.#ports.node}`,
      CLAIR_NODE_PORT: String(this.#ports.node),
      CLAIR_TLS_CERT: this.ca.certFile,
      CLAIR_TLS_KEY: this.ca.keyFile,
    });
    this.#nginx = await startNginx(mkdtempSync(join(this.dir, 'nginx-')), conf, this.#ports.public);
    // Pooled connections went to the old nginx.
    await this.#https.close();
    this.#https = caFetch(this.ca);
    return this.#nginx;
  }

  /** A request through the front door (or straight to a node, over plain HTTP), signed with the PSK. */
  async call(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${await signToken(this.#key, 'bench')}`);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    return url.startsWith('https:') ? this.#https.fetch(url, { ...init, headers }) : fetch(url, { ...init, headers });
  }

  /**
   * The node's event-loop delay since the last call (prom-client's default
   * metrics reset the histogram at each scrape): mean and p99, in ms. The
   * histogram samples every 10 ms, so an idle loop reads about 10 ms; a
   * saturated one reads tens to hundreds.
   */
  async eventLoopDelay(node: ClairNode): Promise<{ meanMs: number; p99Ms: number }> {
    const text = await (await fetch(`http://${node.introspection}/metrics`)).text();
    const metric = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN) * 1000;
    return { meanMs: metric('nodejs_eventloop_lag_mean_seconds'), p99Ms: metric('nodejs_eventloop_lag_p99_seconds') };
  }

  /** Stops nginx and every node still running (SIGTERM, then SIGKILL after 10 s). */
  async close(): Promise<void> {
    await this.#nginx?.stop();
    for (const node of this.#nodes) {
      node.run.child.kill('SIGTERM');
      const timer = setTimeout(() => node.run.child.kill('SIGKILL'), 10_000);
      await node.run.exit;
      clearTimeout(timer);
    }
    this.#nodes.clear();
    await this.#https.close();
  }
}
