/**
 * @module The scene of the deployment tests (Clair behind a load balancer):
 * small Alpine 3.19 images whose layer blobs are served on loopback, slowly
 * when asked (so requests are surely in flight together, or when a replica
 * is killed), Alpine's secdb served on loopback and changed by the test, and
 * what each image is expected to hold.
 *
 * - `base`: one layer with musl and openssl;
 * - `derived`: `base`'s layer and a second one that adds busybox, so two
 *   manifests share a layer;
 * - `batch[i]`: an image of its own layer each, with musl, openssl and
 *   `tool-i`.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Manifest } from '../model/index.js';
import { startFeedServer } from './feed-server.js';
import { buildTar, digestOf, gzip } from './layer-builder.js';
import { secdb, type Secfixes } from './notifier-pipeline.js';

const OS_RELEASE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n';

/** Package name → version, as an image's apk database lists them. */
export type PackageSet = Record<string, string>;

const apkDatabase = (packages: PackageSet) => Object.entries(packages).map(([name, version]) => `P:${name}\nV:${version}\nA:x86_64\no:${name}\n`).join('\n') + '\n';

const BASE_PACKAGES: PackageSet = { musl: '1.2.4_git20230717-r4', openssl: '3.1.4-r0' };

/** The secdb before any change: openssl 3.1.4-r0 is affected by CVE-2026-1111. */
export const INITIAL_FIXES: Secfixes = { openssl: { '3.1.4-r1': ['CVE-2026-1111'] } };
/** The update the tests make: musl gains CVE-2026-2222, which affects every image. */
export const MUSL_FIXES: Secfixes = { ...INITIAL_FIXES, musl: { '1.2.4_git20230717-r5': ['CVE-2026-2222'] } };

export interface SceneImage {
  manifest: Manifest;
  /** Every package the index report must list. */
  packages: PackageSet;
  /** Blob server paths of its layers, in order. */
  layerPaths: string[];
}

export interface DeploymentScene {
  base: SceneImage;
  derived: SceneImage;
  batch: SceneImage[];
  /** Updaters config for `updaters`, reading the loopback secdb. */
  updaters: Record<string, unknown>;
  setFixes(fixes: Secfixes): void;
  /** Milliseconds each blob response waits before its body (default 0). */
  setBlobDelay(ms: number): void;
  /** GET requests for `path` whose body was sent in full. */
  fullFetches(path: string): number;
  /** GET requests for `path`, answered or not. */
  requests(path: string): number;
  close(): Promise<void>;
}

/** Starts the blob and feed servers; `batchSize` images for `batch`. */
export async function startDeploymentScene(batchSize: number): Promise<DeploymentScene> {
  const blobs = new Map<string, Buffer>();
  const layer = (path: string, files: Array<{ path: string; content: string }>): string => {
    blobs.set(path, gzip(buildTar(files)));
    return path;
  };
  const baseLayer = layer('/layers/base', [{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'lib/apk/db/installed', content: apkDatabase(BASE_PACKAGES) }]);
  const derivedPackages = { ...BASE_PACKAGES, busybox: '1.36.1-r15' };
  const busyboxLayer = layer('/layers/busybox', [{ path: 'lib/apk/db/installed', content: apkDatabase(derivedPackages) }]);
  const batchImages = Array.from({ length: batchSize }, (_, i) => {
    const packages = { ...BASE_PACKAGES, [`tool-${i}`]: `1.${i}.0-r0` };
    return { packages, path: layer(`/layers/batch-${i}`, [{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'lib/apk/db/installed', content: apkDatabase(packages) }]) };
  });

  let delayMs = 0;
  const requested = new Map<string, number>();
  const completed = new Map<string, number>();
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const body = blobs.get(path);
    if (req.method !== 'GET' || body === undefined) return res.writeHead(404).end();
    requested.set(path, (requested.get(path) ?? 0) + 1);
    open.add(res);
    res.once('close', () => open.delete(res));
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
      res.end(body, () => completed.set(path, (completed.get(path) ?? 0) + 1));
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const blobUrl = (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  const feeds = await startFeedServer({ '/v3.19/main.json': { body: secdb(INITIAL_FIXES), contentType: 'application/json' } });

  const image = (name: string, layerPaths: string[], packages: PackageSet): SceneImage => ({
    manifest: {
      hash: digestOf(Buffer.from(`manifest:${name}:${layerPaths.map((p) => digestOf(blobs.get(p)!)).join(',')}`)),
      layers: layerPaths.map((p) => ({ hash: digestOf(blobs.get(p)!), uri: blobUrl(p), headers: {} })),
    } as unknown as Manifest,
    packages,
    layerPaths,
  });
  return {
    base: image('base', [baseLayer], BASE_PACKAGES),
    derived: image('derived', [baseLayer, busyboxLayer], derivedPackages),
    batch: batchImages.map((b, i) => image(`batch-${i}`, [b.path], b.packages)),
    updaters: { sets: ['alpine'], config: { alpine: { url: feeds.url, releases: ['v3.19'], repos: ['main'] } } },
    setFixes(fixes) {
      feeds.routes.set('/v3.19/main.json', { body: secdb(fixes), contentType: 'application/json' });
    },
    setBlobDelay(ms) {
      delayMs = ms;
    },
    fullFetches: (path) => completed.get(path) ?? 0,
    requests: (path) => requested.get(path) ?? 0,
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await Promise.all([new Promise((resolve) => server.close(resolve)), feeds.close()]);
    },
  };
}
