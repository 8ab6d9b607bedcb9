/**
 * The notifier on real `clair` processes:
 *
 * - killed with -9 while a webhook delivery is in flight, the next start
 *   delivers the same notification again (combo mode, embedded database);
 * - distributed: indexer, matcher and two notifier replicas as separate
 *   processes talking over HTTP with PSK auth, sharing one PostgreSQL
 *   database between the replicas: the notification is delivered once,
 *   signed with a `clair-notifier` JWT, and pages through either replica.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { killSpawned, spawnCli, type Spawned } from '../test-support/spawn.js';
import { createPostgresDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { ALPINE_UPDATER, BASE_FIXES, eventually, servePipelineImages, startWebhookReceiver, type PipelineImages, type WebhookReceiver } from '../test-support/notifier-pipeline.js';
import { decodePskKey, signToken } from '../http/auth.js';
import type { IndexReport, NotificationPage } from '../model/index.js';

const CALLBACK = 'http://notifier.invalid/notifier/api/v1/notification/';
const OPENSSL_FIX = { ...BASE_FIXES, openssl: { '3.1.4-r1': ['CVE-2026-1111'] } };
const PSK = { key: Buffer.from('notifier-processes-test-key').toString('base64'), iss: ['tester'] };

const dir = mkdtempSync(join(tmpdir(), 'clair-notifier-processes-'));
chmodSync(dir, 0o711); // as root the embedded server runs as its own user, which must enter data_dir
after(() => {
  killSpawned();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, config: Record<string, unknown>): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ http_listen_addr: '127.0.0.1:0', introspection_addr: '127.0.0.1:0', log_level: 'info', ...config }));
  return path;
}

async function start(mode: string, conf: string): Promise<{ run: Spawned; api: string }> {
  const run = spawnCli('clair', ['-mode', mode, '-conf', conf]);
  const ready = JSON.parse(await run.waitFor(/"clair ready"/, 90_000)) as { address: string };
  return { run, api: ready.address };
}

/** Fetch with the test's PSK JWT when `signed`. */
async function call(url: string, init: RequestInit = {}, signed = false): Promise<Response> {
  const headers = new Headers(init.headers);
  if (signed) headers.set('authorization', `Bearer ${await signToken(decodePskKey(PSK.key), 'tester')}`);
  return fetch(url, { ...init, headers });
}

async function index(api: string, images: PipelineImages, signed = false): Promise<void> {
  for (const manifest of Object.values(images.manifests)) {
    const r = await call(`${api}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(manifest) }, signed);
    assert.equal(((await r.json()) as IndexReport).state, 'IndexFinished');
  }
}

/** Resolves once the matcher at `api` holds `n` operations of the Alpine updater. */
function operations(api: string, n: number, signed = false): Promise<true> {
  return eventually(`${n} update operations`, async () => {
    const r = await call(`${api}/matcher/api/v1/internal/update_operation?kind=vulnerability`, {}, signed);
    const ops = r.status === 200 ? ((await r.json()) as Record<string, unknown[]>) : {};
    return (ops[ALPINE_UPDATER]?.length ?? 0) >= n ? true : undefined;
  }, 60_000);
}

async function page(api: string, callback: string, signed = false): Promise<NotificationPage> {
  const r = await call(`${api}${new URL(callback).pathname}?page_size=100`, {}, signed);
  assert.equal(r.status, 200);
  return (await r.json()) as NotificationPage;
}

describe('the notifier on clair processes', () => {
  let images: PipelineImages;
  let receiver: WebhookReceiver;
  before(async () => {
    images = await servePipelineImages();
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await receiver?.close();
    await images?.close();
  });

  it('delivers again after clair was killed with -9 in the middle of a delivery', async () => {
    const conf = writeConfig('crash', {
      data_dir: join(dir, 'crash-data'),
      matcher: { period: '1s' },
      updaters: images.updaters,
      notifier: { webhook: { target: receiver.url, callback: CALLBACK, timeout: '5m' } },
    });
    const first = await start('combo', conf);
    await operations(first.api, 1);
    await index(first.api, images);
    receiver.script.push('hang'); // the receiver takes the request and never answers
    images.setFixes(OPENSSL_FIX);
    const [inFlight] = await receiver.waitFor(1);
    first.run.child.kill('SIGKILL');
    await first.run.exit;

    const second = await start('combo', conf);
    try {
      const [, again] = await receiver.waitFor(2);
      assert.equal(again!.body.notification_id, inFlight!.body.notification_id, 'the same notification, delivered again');
      const bodies = await page(second.api, again!.body.callback);
      assert.deepEqual(bodies.notifications.map((n) => [n.manifest, n.reason, n.vulnerability.name]), [[images.manifests.openssl.hash, 'added', 'CVE-2026-1111']]);
    } finally {
      second.run.child.kill('SIGTERM');
      assert.equal(await second.run.exit, 0, second.run.stderr());
    }
  });

  describe('distributed, with two notifier replicas on one database', async () => {
    const noPostgres = await postgresUnavailable();
    const databases: TestDatabase[] = [];
    after(async () => {
      for (const db of databases) await db.drop();
    });

    it('delivers each notification once, signed, over HTTP with PSK auth', { skip: noPostgres }, async () => {
      const db = async () => {
        const made = await createPostgresDatabase();
        databases.push(made);
        return made.connstring;
      };
      const [indexerDb, matcherDb, notifierDb] = [await db(), await db(), await db()];
      const auth = { psk: PSK };
      const indexer = await start('indexer', writeConfig('indexer', { auth, indexer: { connstring: indexerDb, migrations: true } }));
      const matcher = await start('matcher', writeConfig('matcher', { auth, updaters: images.updaters, matcher: { connstring: matcherDb, migrations: true, indexer_addr: indexer.api, period: '1s' } }));
      const already = receiver.received.length;
      images.setFixes(BASE_FIXES);
      await operations(matcher.api, 1, true);
      await index(indexer.api, images, true);
      const before = await call(`${matcher.api}/matcher/api/v1/internal/update_operation?kind=vulnerability`, {}, true);
      const count = ((await before.json()) as Record<string, unknown[]>)[ALPINE_UPDATER]!.length;
      images.setFixes(OPENSSL_FIX);
      await operations(matcher.api, count + 1, true);

      const notifierConf = writeConfig('notifier', {
        auth,
        notifier: { connstring: notifierDb, migrations: true, indexer_addr: indexer.api, matcher_addr: matcher.api, webhook: { target: receiver.url, callback: CALLBACK } },
      });
      const replicas = await Promise.all([start('notifier', notifierConf), start('notifier', notifierConf)]);
      const [delivery] = (await receiver.waitFor(already + 1)).slice(already);
      await new Promise((r) => setTimeout(r, 2_000)); // time for a second, wrong delivery to show up
      assert.equal(receiver.received.length, already + 1, 'delivered once by the two replicas');

      const token = String(delivery!.headers.authorization).replace(/^Bearer /, '');
      const { payload } = await jwtVerify(token, decodePskKey(PSK.key));
      assert.equal(payload.iss, 'clair-notifier');

      for (const replica of replicas) {
        assert.equal((await call(`${replica.api}${new URL(delivery!.body.callback).pathname}`)).status, 401, 'the API wants a JWT');
        const bodies = await page(replica.api, delivery!.body.callback, true);
        assert.deepEqual(bodies.notifications.map((n) => [n.manifest, n.reason, n.vulnerability.name]), [[images.manifests.openssl.hash, 'added', 'CVE-2026-1111']]);
      }
      const ack = await call(`${replicas[0]!.api}${new URL(delivery!.body.callback).pathname}`, { method: 'DELETE' }, true);
      assert.equal(ack.status, 200);
      for (const process of [...replicas, matcher, indexer]) {
        process.run.child.kill('SIGTERM');
        assert.equal(await process.run.exit, 0, process.run.stderr());
      }
    });
  });
});
