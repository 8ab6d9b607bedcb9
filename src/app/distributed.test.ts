/**
 * Clair deployed as docs/deployment.md describes, on real `clair`
 * processes behind the shipped load-balancer templates (deploy/nginx,
 * deploy/haproxy, rendered by deploy/render.sh) over TLS from a test CA,
 * with PSK auth on, on the local PostgreSQL:
 *
 * - distributed: one config file; two indexers, two matchers and a notifier,
 *   started by -mode or CLAIR_MODE, reaching each other through nginx's node
 *   listener. Through nginx: index, vulnerability reports, a notification
 *   after an update. Concurrent submissions sharing layers scan and fetch
 *   each layer once. SIGKILL of an indexer and a matcher mid-run loses and
 *   corrupts nothing: nginx retries on the survivors;
 * - combo on one database, and combo on three, behind nginx;
 * - combo behind HAProxy, whose /readyz health checks and retries keep
 *   requests off a replica that is down.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { killSpawned, spawnCli, type Spawned } from '../test-support/spawn.js';
import { createPostgresDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { ALPINE_UPDATER, eventually, startWebhookReceiver, type WebhookReceiver } from '../test-support/notifier-pipeline.js';
import { INITIAL_FIXES, MUSL_FIXES, startDeploymentScene, type DeploymentScene, type SceneImage } from '../test-support/deployment-scene.js';
import { caFetch, makeTestCa, opensslUnavailable, type TestCa } from '../test-support/test-ca.js';
import { freePort, renderTemplate, startHaproxy, startNginx, toolUnavailable, type RunningNginx, type RunningProxy } from '../test-support/load-balancers.js';
import { decodePskKey, signToken } from '../http/auth.js';
import type { IndexReport, NotificationPage, VulnerabilityReport } from '../model/index.js';

const PSK = { key: Buffer.from('distributed-deployment-test-key').toString('base64'), iss: ['tester'] };
const BATCH = 4;

const noPostgres = await postgresUnavailable();
const noOpenssl = opensslUnavailable();
if (noOpenssl && process.env.CI) throw new Error(`${noOpenssl}: required in CI`);
const noNginx = await toolUnavailable('nginx');
const noHaproxy = await toolUnavailable('haproxy');
const common = noPostgres ?? noOpenssl;

const dir = mkdtempSync(join(tmpdir(), 'clair-distributed-'));
chmodSync(dir, 0o711);
const databases: TestDatabase[] = [];
const proxies: RunningProxy[] = [];
let ca: TestCa;
let https: ReturnType<typeof caFetch>;
let scene: DeploymentScene;
let receiver: WebhookReceiver;

before(async () => {
  if (common) return;
  ca = makeTestCa(mkdtempSync(join(dir, 'ca-')));
  https = caFetch(ca);
  scene = await startDeploymentScene(BATCH);
  receiver = await startWebhookReceiver();
});

after(async () => {
  killSpawned();
  for (const proxy of proxies) await proxy.stop();
  await https?.close();
  await scene?.close();
  await receiver?.close();
  for (const db of databases) await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function database(): Promise<string> {
  const made = await createPostgresDatabase();
  databases.push(made);
  return made.connstring;
}

let configs = 0;
function writeConfig(config: Record<string, unknown>): string {
  const path = join(dir, `config-${++configs}.json`);
  writeFileSync(path, JSON.stringify({ http_listen_addr: '127.0.0.1:0', introspection_addr: '127.0.0.1:0', auth: { psk: PSK }, updaters: scene.updaters, ...config }));
  return path;
}

interface Node {
  run: Spawned;
  /** host:port of the API. */
  api: string;
  /** Port of the introspection server. */
  introspectionPort: number;
}

/** Starts `clair` in `mode`, chosen by the -mode flag or by CLAIR_MODE, trusting the test CA. */
async function startNode(mode: string, conf: string, how: 'flag' | 'env'): Promise<Node> {
  const env = { NODE_EXTRA_CA_CERTS: ca.caFile, ...(how === 'env' ? { CLAIR_MODE: mode, CLAIR_CONF: conf } : {}) };
  const run = spawnCli('clair', how === 'flag' ? ['-mode', mode, '-conf', conf] : [], env);
  const introspection = JSON.parse(await run.waitFor(/"introspection server listening"/, 90_000)) as { address: string };
  const ready = JSON.parse(await run.waitFor(/"clair ready"/, 90_000)) as { address: string };
  return { run, api: new URL(ready.address).host, introspectionPort: Number(new URL(introspection.address).port) };
}

async function stopNode(node: Node): Promise<void> {
  node.run.child.kill('SIGTERM');
  assert.equal(await node.run.exit, 0, node.run.stderr().slice(-2000));
}

/** Requests through the proxy, over TLS that trusts only the test CA, signed with the test's PSK unless `signed` is false. */
async function call(url: string, init: RequestInit & { signed?: boolean } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.signed !== false) headers.set('authorization', `Bearer ${await signToken(decodePskKey(PSK.key), 'tester')}`);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  return https.fetch(url, { ...init, headers });
}

async function json<T>(response: Response, status: number, what: string): Promise<T> {
  const text = await response.text();
  assert.equal(response.status, status, `${what}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

async function index(base: string, image: SceneImage): Promise<IndexReport> {
  const report = await json<IndexReport>(await call(`${base}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(image.manifest) }), 201, `index ${image.manifest.hash}`);
  assertIndexed(report, image);
  return report;
}

/** The report is finished and lists exactly the image's packages. */
function assertIndexed(report: IndexReport, image: SceneImage): void {
  assert.equal(report.state, 'IndexFinished', report.err);
  assert.equal(report.manifest_hash, image.manifest.hash);
  const packages = Object.fromEntries(Object.values(report.packages).map((p) => [p.name, p.version]));
  assert.deepEqual(packages, image.packages);
  assert.deepEqual(Object.values(report.distributions).map((d) => [d.did, d.version]), [['alpine', '3.19']]);
}

/** Package name → the names of the vulnerabilities that affect it. */
async function vulnerabilities(base: string, image: SceneImage): Promise<Record<string, string[]>> {
  const report = await json<VulnerabilityReport>(await call(`${base}/matcher/api/v1/vulnerability_report/${image.manifest.hash}`), 200, `vulnerability report ${image.manifest.hash}`);
  const affected: Record<string, string[]> = {};
  for (const [id, vulns] of Object.entries(report.package_vulnerabilities)) {
    affected[report.packages[id]!.name] = vulns.map((v) => report.vulnerabilities[v]!.name).sort();
  }
  return affected;
}

/** Resolves the number of update operations of the Alpine updater once it is at least `n`. */
function operations(nodeBase: string, n: number): Promise<number> {
  return eventually(`${n} update operations`, async () => {
    const r = await call(`${nodeBase}/matcher/api/v1/internal/update_operation?kind=vulnerability`);
    const ops = r.status === 200 ? ((await r.json()) as Record<string, unknown[]>) : {};
    const count = ops[ALPINE_UPDATER]?.length ?? 0;
    return count >= n ? count : undefined;
  }, 60_000);
}

/** The webhook delivery after `already`, paged through `publicBase`: [manifest, reason, vulnerability] rows. */
async function nextNotification(already: number, publicBase: string): Promise<{ id: string; rows: string[][] }> {
  const [delivery] = (await receiver.waitFor(already + 1, 60_000)).slice(already);
  const { payload } = await jwtVerify(String(delivery!.headers.authorization).replace(/^Bearer /, ''), decodePskKey(PSK.key));
  assert.equal(payload.iss, 'clair-notifier');
  const callback = new URL(delivery!.body.callback);
  assert.equal(callback.origin, publicBase, 'the callback points at the public listener');
  const page = await json<NotificationPage>(await call(`${publicBase}${callback.pathname}?page_size=100`), 200, 'notification page');
  return { id: delivery!.body.notification_id, rows: page.notifications.map((n) => [n.manifest, n.reason, n.vulnerability.name]).sort() };
}

/** Debug log lines of `nodes` with message `msg` (and every binding in `match`). */
function logLines(nodes: Node[], msg: string, match: Record<string, string> = {}): Array<Record<string, unknown>> {
  return nodes.flatMap((n) =>
    n.run.stdout().split('\n').flatMap((line) => {
      if (!line.includes(`"${msg}"`)) return [];
      const entry = JSON.parse(line) as Record<string, unknown>;
      return entry.msg === msg && Object.entries(match).every(([k, v]) => entry[k] === v) ? [entry] : [];
    }),
  );
}

interface FrontDoor {
  /** https://127.0.0.1:<port> for clients. */
  publicBase: string;
  /** https://127.0.0.1:<port> for nodes (internal paths allowed). */
  nodeBase: string;
  publicPort: number;
  nodePort: number;
}

async function frontDoor(): Promise<FrontDoor> {
  const publicPort = await freePort();
  const nodePort = await freePort();
  return { publicPort, nodePort, publicBase: `https://127.0.0.1:${publicPort}`, nodeBase: `https://127.0.0.1:${nodePort}` };
}

function nginxValues(door: FrontDoor, upstreams: { indexers: Node[] | string[]; matchers: Node[] | string[]; notifiers: Node[] | string[] }): Record<string, string> {
  const addrs = (nodes: Node[] | string[]) => nodes.map((n) => (typeof n === 'string' ? n : n.api)).join(' ');
  return {
    CLAIR_INDEXER_ADDRS: addrs(upstreams.indexers),
    CLAIR_MATCHER_ADDRS: addrs(upstreams.matchers),
    CLAIR_NOTIFIER_ADDRS: addrs(upstreams.notifiers),
    CLAIR_SERVER_NAME: 'localhost',
    CLAIR_PUBLIC_LISTEN: `127.0.0.1:${door.publicPort}`,
    CLAIR_NODE_LISTEN: `127.0.0.1:${door.nodePort}`,
    CLAIR_NODE_PORT: String(door.nodePort),
    CLAIR_TLS_CERT: ca.certFile,
    CLAIR_TLS_KEY: ca.keyFile,
  };
}

async function nginx(door: FrontDoor, upstreams: Parameters<typeof nginxValues>[1]): Promise<RunningNginx> {
  const proxy = await startNginx(mkdtempSync(join(dir, 'nginx-')), await renderTemplate('nginx/clair.conf', nginxValues(door, upstreams)), door.publicPort);
  proxies.push(proxy);
  return proxy;
}

/** What every front door must do: TLS, auth passed through, internal paths only on the node listener, unknown paths 404. */
async function assertRouting(door: FrontDoor): Promise<void> {
  assert.equal((await call(`${door.publicBase}/indexer/api/v1/index_state`, { signed: false })).status, 401, 'Clair itself refuses an unsigned request');
  assert.match(await (await call(`${door.publicBase}/indexer/api/v1/index_state`)).text(), /^\{"state":"[0-9a-f]+"\}$/);
  assert.equal((await call(`${door.publicBase}/matcher/api/v1/internal/update_operation`)).status, 404, 'internal paths are not public');
  assert.equal((await call(`${door.publicBase}/indexer/api/v1/internal/affected_manifest`, { method: 'POST', body: '{"vulnerabilities":[]}' })).status, 404);
  assert.equal((await call(`${door.nodeBase}/matcher/api/v1/internal/update_operation`)).status, 200, 'the node listener serves them');
  assert.equal((await call(`${door.publicBase}/elsewhere`)).status, 404);
  assert.equal((await call(`${door.publicBase}/openapi/v1`)).status, 200);
}

describe('distributed Clair behind nginx over TLS', { skip: common ?? noNginx }, () => {
  it('indexes, reports and notifies through nginx, scans shared layers once, and survives SIGKILL of an indexer and a matcher', async () => {
    scene.setFixes(INITIAL_FIXES);
    scene.setBlobDelay(0);
    const door = await frontDoor();
    const [indexerDb, matcherDb, notifierDb] = [await database(), await database(), await database()];
    const conf = writeConfig({
      log_level: 'debug',
      indexer: { connstring: indexerDb, migrations: true },
      matcher: { connstring: matcherDb, migrations: true, indexer_addr: `${door.nodeBase}/`, period: '1s' },
      notifier: { connstring: notifierDb, migrations: true, indexer_addr: `${door.nodeBase}/`, matcher_addr: `${door.nodeBase}/`, webhook: { target: receiver.url, callback: `${door.publicBase}/notifier/api/v1/notification/` } },
    });
    const indexers = await Promise.all([startNode('indexer', conf, 'flag'), startNode('indexer', conf, 'env')]);
    const matchers = await Promise.all([startNode('matcher', conf, 'env'), startNode('matcher', conf, 'flag')]);
    // The notifier joins later, by a reload; until then its upstream is a closed port.
    const closed = `127.0.0.1:${await freePort()}`;
    const proxy = await nginx(door, { indexers, matchers, notifiers: [closed] });
    await assertRouting(door);
    const firstOps = await operations(door.nodeBase, 1);

    // Both images at once on both indexers: the base layer is shared.
    scene.setBlobDelay(1_000);
    const submitted = [scene.base, scene.base, scene.derived, scene.derived];
    const reports = await Promise.all(submitted.map((image) => index(door.publicBase, image)));
    assert.deepEqual(reports[0], reports[1]);
    assert.deepEqual(reports[2], reports[3]);
    for (const node of indexers) assert.ok(logLines([node], 'index start').length >= 1, 'both indexers took part');
    for (const path of [...new Set([...scene.base.layerPaths, ...scene.derived.layerPaths])]) {
      assert.equal(scene.requests(path), 1, `${path} requested once`);
      assert.equal(scene.fullFetches(path), 1, `${path} fetched in full once`);
    }
    for (const layer of new Set([...scene.base.manifest.layers, ...scene.derived.manifest.layers].map((l) => l.hash as string))) {
      assert.equal(logLines(indexers, 'layer scanned', { layer }).length, 1, `${layer} scanned once`);
    }
    const expectedBase = { openssl: ['CVE-2026-1111'] };
    assert.deepEqual(await vulnerabilities(door.publicBase, scene.base), expectedBase);
    assert.deepEqual(await vulnerabilities(door.publicBase, scene.derived), expectedBase);

    // A batch in flight on both indexers, reports being read from both matchers; then one of each is killed.
    scene.setBlobDelay(1_500);
    const batch = Promise.all(scene.batch.map((image) => index(door.publicBase, image)));
    const reading = Promise.all(
      [scene.base, scene.derived].map(async (image) => {
        for (let i = 0; i < 10; i++) assert.deepEqual(await vulnerabilities(door.publicBase, image), expectedBase);
      }),
    );
    await eventually('every batch layer requested', async () => (scene.batch.every((b) => scene.requests(b.layerPaths[0]!) >= 1) ? true : undefined));
    // The indexer to kill is one in the middle of indexing a batch image.
    const midIndex = (node: Node) => {
      const started = logLines([node], 'index start').map((l) => l.manifest);
      const done = logLines([node], 'index done').map((l) => l.manifest);
      return scene.batch.some((b) => started.includes(b.manifest.hash) && !done.includes(b.manifest.hash));
    };
    const doomedIndexer = indexers.find(midIndex);
    assert.ok(doomedIndexer, 'an indexer is in the middle of an index');
    const survivingIndexer = indexers.find((n) => n !== doomedIndexer)!;
    const [doomedMatcher, survivingMatcher] = matchers as [Node, Node];
    doomedIndexer.run.child.kill('SIGKILL');
    doomedMatcher.run.child.kill('SIGKILL');
    const batchReports = await batch;
    await reading;
    // nginx saw the replica go, mid-request, and sent the POST on to the survivor.
    assert.match(proxy.output(), new RegExp(`request: "POST /indexer/api/v1/index_report HTTP/1\\.1", upstream: "http://${doomedIndexer.api.replace(/\./g, '\\.')}/`));
    for (const [i, image] of scene.batch.entries()) {
      const stored = await json<IndexReport>(await call(`${door.publicBase}/indexer/api/v1/index_report/${image.manifest.hash}`), 200, 'stored report');
      assert.deepEqual(stored, batchReports[i], 'the stored report is the one answered');
      assert.deepEqual(await vulnerabilities(door.publicBase, image), expectedBase);
    }
    assert.equal(await doomedIndexer.run.exit, null);
    assert.equal(await doomedMatcher.run.exit, null);

    // An update, seen by the surviving matcher; the notifier reaches the survivors through nginx.
    scene.setBlobDelay(0);
    const before = await operations(door.nodeBase, firstOps);
    scene.setFixes(MUSL_FIXES);
    await operations(door.nodeBase, before + 1);
    const already = receiver.received.length;
    const notifier = await startNode('notifier', conf, 'flag');
    await reloadNginx(proxy, door, { indexers, matchers, notifiers: [notifier] });
    const notification = await nextNotification(already, door.publicBase);
    const every = [scene.base, scene.derived, ...scene.batch].map((image) => [image.manifest.hash, 'added', 'CVE-2026-2222']).sort();
    assert.deepEqual(notification.rows, every);
    assert.equal((await call(`${door.publicBase}/notifier/api/v1/notification/${notification.id}`, { method: 'DELETE' })).status, 200);
    assert.deepEqual(await vulnerabilities(door.publicBase, scene.base), { ...expectedBase, musl: ['CVE-2026-2222'] });

    for (const node of [notifier, survivingMatcher, survivingIndexer]) await stopNode(node);
  });
});

/** Renders the template again with new upstreams and reloads nginx, as an operator adding a replica does. */
async function reloadNginx(proxy: RunningNginx, door: FrontDoor, upstreams: Parameters<typeof nginxValues>[1]): Promise<void> {
  proxy.reload(await renderTemplate('nginx/clair.conf', nginxValues(door, upstreams)));
  // The old workers close their idle connections: start from a fresh pool.
  await https.close();
  https = caFetch(ca);
  const probe = `${door.publicBase}/notifier/api/v1/notification/00000000-0000-4000-8000-000000000000`;
  // An unknown id is an empty page from the notifier; nginx answers 502 while the upstream is the closed port.
  await eventually('nginx routes to the new notifier', async () => ((await call(probe).catch(() => undefined))?.status === 200 ? true : undefined));
}

/** Combo behind nginx: index, report, a notification after an update, all through the proxy. */
async function comboBehindNginx(connstrings: [string, string, string]): Promise<void> {
  scene.setFixes(INITIAL_FIXES);
  scene.setBlobDelay(0);
  const door = await frontDoor();
  const [indexer, matcher, notifier] = connstrings;
  const conf = writeConfig({
    indexer: { connstring: indexer, migrations: true },
    matcher: { connstring: matcher, migrations: true, period: '1s' },
    notifier: { connstring: notifier, migrations: true, webhook: { target: receiver.url, callback: `${door.publicBase}/notifier/api/v1/notification/` } },
  });
  const combo = await startNode('combo', conf, 'env');
  await nginx(door, { indexers: [combo], matchers: [combo], notifiers: [combo] });
  await assertRouting(door);
  const ops = await operations(door.nodeBase, 1);
  await index(door.publicBase, scene.derived);
  assert.deepEqual(await vulnerabilities(door.publicBase, scene.derived), { openssl: ['CVE-2026-1111'] });
  const already = receiver.received.length;
  scene.setFixes(MUSL_FIXES);
  await operations(door.nodeBase, ops + 1);
  const notification = await nextNotification(already, door.publicBase);
  assert.deepEqual(notification.rows, [[scene.derived.manifest.hash, 'added', 'CVE-2026-2222']]);
  assert.equal((await call(`${door.publicBase}/notifier/api/v1/notification/${notification.id}`, { method: 'DELETE' })).status, 200);
  await stopNode(combo);
}

describe('combo Clair behind nginx over TLS', { skip: common ?? noNginx }, () => {
  it('on one database', async () => {
    const db = await database();
    await comboBehindNginx([db, db, db]);
  });

  it('on three databases', async () => {
    await comboBehindNginx([await database(), await database(), await database()]);
  });
});

describe('Clair behind HAProxy over TLS', { skip: common ?? noHaproxy }, () => {
  it('routes by prefix, checks /readyz, and keeps requests off a replica that is down', async () => {
    scene.setFixes(INITIAL_FIXES);
    scene.setBlobDelay(0);
    const door = await frontDoor();
    const db = await database();
    const conf = writeConfig({
      indexer: { connstring: db, migrations: true },
      matcher: { connstring: db, migrations: true, period: '1s' },
    });
    const combo = await startNode('combo', conf, 'flag');
    // A second "replica" of each backend where nothing listens, API or introspection.
    const down = await freePort();
    const addrs = `${combo.api} 127.0.0.1:${down}`;
    const checks = `${combo.introspectionPort} ${down}`;
    const cfg = await renderTemplate('haproxy/haproxy.cfg', {
      CLAIR_INDEXER_ADDRS: addrs,
      CLAIR_INDEXER_CHECK_PORTS: checks,
      CLAIR_MATCHER_ADDRS: addrs,
      CLAIR_MATCHER_CHECK_PORTS: checks,
      CLAIR_NOTIFIER_ADDRS: addrs,
      CLAIR_NOTIFIER_CHECK_PORTS: checks,
      CLAIR_PUBLIC_BIND: `127.0.0.1:${door.publicPort}`,
      CLAIR_NODE_BIND: `127.0.0.1:${door.nodePort}`,
      CLAIR_TLS_PEM: ca.bundleFile,
    });
    const proxy = await startHaproxy(mkdtempSync(join(dir, 'haproxy-')), cfg, door.publicPort);
    proxies.push(proxy);
    await assertRouting(door);
    // Before the checks have marked it down, and after: every request is answered by the live replica.
    for (let i = 0; i < 6; i++) assert.equal((await call(`${door.publicBase}/indexer/api/v1/index_state`)).status, 200);
    await eventually('the dead replica marked down', async () => (/indexer2 is DOWN/.test(proxy.output()) ? true : undefined));
    assert.doesNotMatch(proxy.output(), /indexer1 is DOWN/);
    await operations(door.nodeBase, 1);
    await index(door.publicBase, scene.base);
    assert.deepEqual(await vulnerabilities(door.publicBase, scene.base), { openssl: ['CVE-2026-1111'] });
    await stopNode(combo);
  });
});
