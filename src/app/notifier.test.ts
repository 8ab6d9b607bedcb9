/**
 * The notifier end to end in combo mode: real images indexed, the Alpine
 * updater reading a loopback secdb that the test changes, and a real
 * webhook receiver. A vulnerability added to the feed notifies exactly the
 * manifest it affects; withdrawn, it notifies `removed`; the callback pages
 * and acknowledges; a failing receiver is retried. Then AMQP and STOMP, in
 * callback and direct mode, each reach a real RabbitMQ consumer.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startClair, type ClairProcess } from './start.js';
import { quietLogger, testConfig } from '../test-support/config.js';
import { indexAndReport, waitForUpdates } from '../test-support/reports.js';
import { ALPINE_UPDATER, BASE_FIXES, eventually, servePipelineImages, startWebhookReceiver, type PipelineImages, type WebhookReceiver } from '../test-support/notifier-pipeline.js';
import type { Notification, NotificationPage } from '../model/index.js';
import { AMQP_URL, amqpQueue, amqpUnavailable, STOMP_ADDR, STOMP_USER, StompSubscriber, stompUnavailable, type ReceivedMessage } from '../test-support/brokers.js';
import { randomUUID } from 'node:crypto';

/** The callback base clair is told; the test pages through clair's real address with the same path. */
const CALLBACK = 'http://notifier.invalid/notifier/api/v1/notification/';
/** A fix in musl, which both images have. */
const MUSL_FIX = { musl: { '1.2.4_git20230717-r5': ['CVE-2026-2222'] } };

describe('notifier in combo mode, over a webhook', () => {
  let images: PipelineImages;
  let receiver: WebhookReceiver;
  let clair: ClairProcess;

  const page = async (callback: string, size: number, next?: string): Promise<NotificationPage> => {
    const url = new URL(new URL(callback).pathname, clair.apiUrl);
    url.searchParams.set('page_size', String(size));
    if (next) url.searchParams.set('next', next);
    const r = await fetch(url);
    assert.equal(r.status, 200);
    return (await r.json()) as NotificationPage;
  };
  const operations = async (): Promise<number> => {
    const r = await fetch(`${clair.apiUrl}/matcher/api/v1/internal/update_operation?kind=vulnerability`);
    return ((await r.json()) as Record<string, unknown[]>)[ALPINE_UPDATER]?.length ?? 0;
  };

  before(async () => {
    images = await servePipelineImages();
    receiver = await startWebhookReceiver();
    const config = testConfig('combo', {
      indexer: { connstring: 'memory://' },
      matcher: { connstring: 'memory://', disable_updaters: false, period: '1s' },
      notifier: { connstring: 'memory://', webhook: { target: receiver.url, callback: CALLBACK, backoff: '50ms' } },
      updaters: images.updaters,
    });
    clair = await startClair({ config, mode: 'combo', log: quietLogger() });
    await waitForUpdates(clair, [ALPINE_UPDATER]);
    for (const manifest of Object.values(images.manifests)) assert.deepEqual((await indexAndReport(clair, manifest)).vulnerabilities, {});
  });
  after(async () => {
    await clair?.close();
    await receiver?.close();
    await images?.close();
  });

  it('starts the notifier in combo mode when a webhook is configured', () => {
    assert.deepEqual(clair.services, ['indexer', 'matcher', 'notifier']);
  });

  it('notifies exactly the manifest an added vulnerability affects, then `removed` when it is withdrawn', async () => {
    const before = await operations();
    images.setFixes({ ...BASE_FIXES, openssl: { '3.1.4-r1': ['CVE-2026-1111'] } });
    const [added] = await receiver.waitFor(1);
    assert.equal(added!.headers['content-type'], 'application/json');
    assert.match(added!.body.notification_id, /^[0-9a-f-]{36}$/);
    assert.equal(added!.body.callback, `${CALLBACK}${added!.body.notification_id}`);
    const first = await page(added!.body.callback, 100);
    assert.deepEqual(first.page, { size: 100 });
    assert.deepEqual(
      first.notifications.map((n) => [n.manifest, n.reason, n.vulnerability.name, n.vulnerability.fixed_in_version, n.vulnerability.package?.name]),
      [[images.manifests.openssl.hash, 'added', 'CVE-2026-1111', '3.1.4-r1', 'openssl']],
    );
    assert.equal(await operations(), before + 1);

    images.setFixes(BASE_FIXES);
    const [, removed] = await receiver.waitFor(2);
    assert.notEqual(removed!.body.notification_id, added!.body.notification_id);
    const second = await page(removed!.body.callback, 100);
    assert.deepEqual(
      second.notifications.map((n) => [n.manifest, n.reason, n.vulnerability.name]),
      [[images.manifests.openssl.hash, 'removed', 'CVE-2026-1111']],
    );
    assert.equal(receiver.received.length, 2, 'one delivery per notification');
  });

  it('pages a notification with page sizes 1 and 100, and acknowledges it', async () => {
    const already = receiver.received.length;
    images.setFixes({ ...BASE_FIXES, ...MUSL_FIX });
    const delivery = (await receiver.waitFor(already + 1))[already]!;
    const whole = await page(delivery.body.callback, 100);
    assert.equal(whole.notifications.length, 2);
    assert.deepEqual(whole.notifications.map((n) => n.manifest).sort(), [images.manifests.busybox.hash, images.manifests.openssl.hash].sort());
    assert.ok(whole.notifications.every((n) => n.reason === 'added' && n.vulnerability.name === 'CVE-2026-2222'));

    const one = await page(delivery.body.callback, 1);
    assert.deepEqual(one.page, { size: 1, next: whole.notifications[0]!.id });
    assert.deepEqual(one.notifications, [whole.notifications[0]]);
    const two = await page(delivery.body.callback, 1, one.page.next);
    assert.deepEqual(two, { page: { size: 1 }, notifications: [whole.notifications[1]] });

    const ack = await fetch(new URL(new URL(delivery.body.callback).pathname, clair.apiUrl), { method: 'DELETE' });
    assert.equal(ack.status, 200);
    const unknown = await fetch(`${clair.apiUrl}/notifier/api/v1/notification/00000000-0000-4000-8000-000000000000`, { method: 'DELETE' });
    assert.equal(unknown.status, 404);
  });

  it('retries a receiver that fails twice, and delivers on the third try', async () => {
    const already = receiver.received.length;
    receiver.script.push(500, 503);
    images.setFixes({ ...BASE_FIXES, ...MUSL_FIX, busybox: { '1.36.1-r16': ['CVE-2026-3333'] } });
    const tries = (await receiver.waitFor(already + 3)).slice(already);
    assert.equal(new Set(tries.map((t) => t.body.notification_id)).size, 1, 'the same notification each try');
    const delivered = await page(tries[2]!.body.callback, 100);
    assert.deepEqual(delivered.notifications.map((n) => [n.manifest, n.reason, n.vulnerability.name]), [[images.manifests.busybox.hash, 'added', 'CVE-2026-3333']]);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(receiver.received.length, already + 3, 'nothing more once delivered');
  });
});

/** Each broker mechanism in both modes, end to end: the update reaches a real consumer. */
describe('notifier in combo mode, over RabbitMQ', async () => {
  const noAmqp = await amqpUnavailable();
  const noStomp = await stompUnavailable();
  const ROUTING_KEY = 'clair.notifications';

  /** Runs the pipeline with `notifier` (a delivery block) until the openssl advisory is added, and returns clair to page with. */
  async function addAdvisory(notifier: Record<string, unknown>, consume: () => Promise<void>): Promise<{ clair: ClairProcess; images: PipelineImages }> {
    const images = await servePipelineImages();
    const config = testConfig('combo', {
      indexer: { connstring: 'memory://' },
      matcher: { connstring: 'memory://', disable_updaters: false, period: '1s' },
      notifier: { connstring: 'memory://', ...notifier },
      updaters: images.updaters,
    });
    const clair = await startClair({ config, mode: 'combo', log: quietLogger() });
    await waitForUpdates(clair, [ALPINE_UPDATER]);
    for (const manifest of Object.values(images.manifests)) await indexAndReport(clair, manifest);
    images.setFixes({ ...BASE_FIXES, openssl: { '3.1.4-r1': ['CVE-2026-1111'] } });
    await consume();
    return { clair, images };
  }

  const expectAdded = (notifications: Notification[], manifest: string) =>
    assert.deepEqual(notifications.map((n) => [n.manifest, n.reason, n.vulnerability.name, n.vulnerability.package?.name]), [[manifest, 'added', 'CVE-2026-1111', 'openssl']]);

  for (const direct of [false, true]) {
    it(`delivers over AMQP in ${direct ? 'direct' : 'callback'} mode`, { skip: noAmqp }, async () => {
      const queue = await amqpQueue(ROUTING_KEY);
      let messages: ReceivedMessage[] = [];
      const amqp = { exchange: { name: queue.exchange, type: 'direct' }, routing_key: ROUTING_KEY, uris: [AMQP_URL], direct, ...(direct ? {} : { callback: CALLBACK }) };
      const { clair, images } = await addAdvisory({ amqp }, async () => {
        messages = await eventually('an AMQP message', async () => {
          const got = await queue.messages();
          return got.length > 0 ? got : undefined;
        });
      });
      try {
        assert.equal(messages.length, 1);
        assert.equal(messages[0]!.headers.contentType, 'application/json');
        await checkMessage(clair, images, direct, messages[0]!.body);
      } finally {
        await clair.close();
        await images.close();
        await queue.close();
      }
    });

    it(`delivers over STOMP in ${direct ? 'direct' : 'callback'} mode`, { skip: noStomp }, async () => {
      const destination = `/topic/clair-test-${randomUUID()}`;
      const subscriber = await StompSubscriber.on(destination);
      let messages: ReceivedMessage[] = [];
      const stomp = { destination, uris: [STOMP_ADDR], user: STOMP_USER, direct, ...(direct ? {} : { callback: CALLBACK }) };
      const { clair, images } = await addAdvisory({ stomp }, async () => {
        messages = await subscriber.waitFor(1, 30_000);
      });
      try {
        assert.equal(messages[0]!.headers['content-type'], 'application/json');
        await checkMessage(clair, images, direct, messages[0]!.body);
      } finally {
        await clair.close();
        await images.close();
        await subscriber.close();
      }
    });
  }

  /** A direct message carries the notifications; a callback message is paged through clair. */
  async function checkMessage(clair: ClairProcess, images: PipelineImages, direct: boolean, body: string): Promise<void> {
    if (direct) {
      expectAdded(JSON.parse(body) as Notification[], images.manifests.openssl.hash);
      return;
    }
    const callback = JSON.parse(body) as { notification_id: string; callback: string };
    assert.equal(callback.callback, `${CALLBACK}${callback.notification_id}`);
    const r = await fetch(new URL(new URL(callback.callback).pathname, clair.apiUrl));
    expectAdded(((await r.json()) as NotificationPage).notifications, images.manifests.openssl.hash);
  }
});
