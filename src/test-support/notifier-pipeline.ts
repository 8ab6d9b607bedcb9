/**
 * @module The notifier's end-to-end scene: two small Alpine 3.19 images
 * served as layer blobs, Alpine's secdb for v3.19/main served on loopback
 * (changed by the test to add or withdraw a vulnerability), and a webhook
 * receiver that records deliveries and answers as scripted.
 *
 * - image `openssl` has musl and openssl 3.1.4-r0;
 * - image `busybox` has musl and busybox 1.36.1-r15.
 *
 * So a secfix for openssl affects only the first image, one for musl both.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Manifest } from '../model/index.js';
import { startFeedServer, type FeedServer } from './feed-server.js';
import { buildTar, digestOf, gzip, serveBlobs, type BlobServer } from './layer-builder.js';

const OS_RELEASE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n';
/** The updater the secdb below makes (claircore's naming). */
export const ALPINE_UPDATER = 'alpine-main-v3.19-updater';

const installed = (packages: ReadonlyArray<[string, string]>) => packages.map(([name, version]) => `P:${name}\nV:${version}\nA:x86_64\no:${name}\n`).join('\n') + '\n';

/** Secfixes per package: fixed version → advisory names (`0` for never fixed). */
export type Secfixes = Record<string, Record<string, string[]>>;

/** Alpine's secdb JSON for v3.19/main with these fixes. */
export function secdb(fixes: Secfixes): string {
  return JSON.stringify({
    distroversion: 'v3.19',
    reponame: 'main',
    archs: ['x86_64'],
    urlprefix: 'https://dl-cdn.alpinelinux.org/alpine',
    apkurl: '{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk',
    packages: Object.entries(fixes).map(([name, secfixes]) => ({ pkg: { name, secfixes } })),
  });
}

/** The feed before any test change: one advisory that affects neither image. */
export const BASE_FIXES: Secfixes = { xen: { '4.18.0-r1': ['CVE-2023-0001'] } };

export interface PipelineImages {
  manifests: { openssl: Manifest; busybox: Manifest };
  /** Updaters config for `updaters` reading the loopback secdb. */
  updaters: Record<string, unknown>;
  /** Replaces the served secdb. */
  setFixes(fixes: Secfixes): void;
  close(): Promise<void>;
}

export async function servePipelineImages(): Promise<PipelineImages> {
  const layers = {
    openssl: gzip(buildTar([{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'lib/apk/db/installed', content: installed([['musl', '1.2.4_git20230717-r4'], ['openssl', '3.1.4-r0']]) }])),
    busybox: gzip(buildTar([{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'lib/apk/db/installed', content: installed([['musl', '1.2.4_git20230717-r4'], ['busybox', '1.36.1-r15']]) }])),
  };
  const blobs: BlobServer = await serveBlobs({ '/openssl': { body: layers.openssl }, '/busybox': { body: layers.busybox } });
  const feeds: FeedServer = await startFeedServer({ '/v3.19/main.json': { body: secdb(BASE_FIXES), contentType: 'application/json' } });
  const manifest = (name: 'openssl' | 'busybox'): Manifest =>
    ({
      // A manifest digest of its own: the digest of the layer's digest.
      hash: digestOf(Buffer.from(`manifest:${digestOf(layers[name])}`)),
      layers: [{ hash: digestOf(layers[name]), uri: blobs.url(`/${name}`), headers: {} }],
    }) as unknown as Manifest;
  return {
    manifests: { openssl: manifest('openssl'), busybox: manifest('busybox') },
    updaters: { sets: ['alpine'], config: { alpine: { url: feeds.url, releases: ['v3.19'], repos: ['main'] } } },
    setFixes(fixes) {
      feeds.routes.set('/v3.19/main.json', { body: secdb(fixes), contentType: 'application/json' });
    },
    async close() {
      await Promise.all([blobs.close(), feeds.close()]);
    },
  };
}

export interface ReceivedDelivery {
  body: { notification_id: string; callback: string };
  headers: IncomingHttpHeaders;
}

export interface WebhookReceiver {
  /** The target URL. */
  url: string;
  received: ReceivedDelivery[];
  /** Statuses to answer, in order, before answering 200; `'hang'` never answers. */
  script: Array<number | 'hang'>;
  /** Resolves once `n` deliveries have arrived, or rejects after `ms`. */
  waitFor(n: number, ms?: number): Promise<ReceivedDelivery[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const hanging: ServerResponse[] = [];
  const receiver: WebhookReceiver = {
    url: '',
    received,
    script: [],
    async waitFor(n, ms = 30_000) {
      const deadline = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`webhook receiver: ${received.length} deliveries after ${ms} ms, wanted ${n}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return received.slice(0, n);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedDelivery['body'], headers: req.headers });
      const step = receiver.script.shift() ?? 200;
      if (step === 'hang') hanging.push(res);
      else res.writeHead(step).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}

/** Waits until `check` holds, polling, or rejects naming `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
