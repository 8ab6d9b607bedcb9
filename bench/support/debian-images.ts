/**
 * @module Generated Debian bookworm images for the distributed benchmark,
 * shaped like a registry's: every image is three layers,
 *
 * 1. the base layer, shared by every image (os-release, a dpkg database of
 *    `basePackages` packages, their copyright files);
 * 2. one of `runtimes` runtime layers, each shared by a slice of the images
 *    (`runtimePackages` more packages);
 * 3. an application layer of its own (`appPackages` more, with versions that
 *    vary by image, and `appLayerBytes` of half-compressible data).
 *
 * Each layer's dpkg status lists every package installed so far, as real
 * layers do. Package sources are names from the Debian tracker the matcher
 * loads, so every package has candidate vulnerabilities. The blobs are
 * built once, in memory, and served by a loopback blob server.
 */
import { randomBytes } from 'node:crypto';
import type { Manifest } from '../../src/model/index.js';
import { buildTar, digestOf, gzip, serveBlobs, type BlobRoute, type BlobServer, type LayerSpecEntry } from '../../src/test-support/layer-builder.js';

/** The shape of the generated image set. */
export interface DebianImageOptions {
  /** Images to generate. */
  images: number;
  /** Runtime layers, each shared by `images / runtimes` images. */
  runtimes: number;
  basePackages: number;
  runtimePackages: number;
  appPackages: number;
  /** Bytes of filler data in each application layer, before compression. */
  appLayerBytes: number;
  /** Source-package names to build packages from (the tracker's). */
  sourceNames: readonly string[];
}

/** One generated image. */
export interface BenchImage {
  manifest: Manifest;
  /** Packages the index report must list. */
  packages: number;
}

/** The images and the server of their blobs. */
export interface DebianImages {
  images: BenchImage[];
  /** Compressed bytes of every distinct layer. */
  blobBytes: number;
  server: BlobServer;
  close(): Promise<void>;
}

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';

/** The tracker's first sources have thousands of CVEs each (the kernel, browsers); images leave them out so reports stay typical. */
const GIANT_SOURCES = 8;

interface Pkg {
  name: string;
  version: string;
}

const stanza = (p: Pkg): string =>
  `Package: ${p.name}\nStatus: install ok installed\nPriority: optional\nSection: libs\nInstalled-Size: 120\nMaintainer: Bench <bench@example.invalid>\nArchitecture: amd64\nSource: ${p.name}\nVersion: ${p.version}\nDescription: ${p.name} for the benchmark\n`;

/** A dpkg database holding `installed`, and a doc file for each of `added`. */
function dpkgFiles(installed: readonly Pkg[], added: readonly Pkg[]): LayerSpecEntry[] {
  return [
    { type: 'dir', path: 'var/lib/dpkg/info' },
    { path: 'var/lib/dpkg/status', content: installed.map(stanza).join('\n') },
    ...added.flatMap((p): LayerSpecEntry[] => [
      { path: `var/lib/dpkg/info/${p.name}.list`, content: `/usr/share/doc/${p.name}/copyright\n` },
      { path: `usr/share/doc/${p.name}/copyright`, content: `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: ${p.name}\nLicense: MIT\n` },
    ]),
  ];
}

/** Half random, half zeros: compresses about 2:1, like binaries. */
function filler(bytes: number, seed: Buffer): Buffer {
  const out = Buffer.alloc(bytes);
  for (let off = 0; off < bytes; off += seed.length * 2) seed.copy(out, off, 0, Math.min(seed.length, bytes - off));
  return out;
}

/**
 * Builds the image set and serves its blobs on 127.0.0.1.
 *
 * @throws Error when the tracker has too few source names for the asked shape.
 */
export async function serveDebianImages(options: DebianImageOptions): Promise<DebianImages> {
  const sources = options.sourceNames.slice(GIANT_SOURCES);
  const fixed = options.basePackages + options.runtimes * options.runtimePackages;
  if (sources.length < fixed + options.appPackages * 4) {
    throw new Error(`debian images: the tracker has ${sources.length} usable source packages; ${fixed + options.appPackages * 4} are needed (raise BENCH_TRACKER_PACKAGES)`);
  }
  const routes: Record<string, BlobRoute> = {};
  const digests = new Map<string, string>();
  let blobBytes = 0;
  const layer = (path: string, entries: LayerSpecEntry[]): string => {
    const body = gzip(buildTar(entries));
    routes[path] = { body };
    digests.set(path, digestOf(body));
    blobBytes += body.length;
    return path;
  };

  const base = sources.slice(0, options.basePackages).map((name) => ({ name, version: '1.0-1' }));
  const basePath = layer('/layers/base', [{ path: 'etc/os-release', content: OS_RELEASE }, ...dpkgFiles(base, base)]);
  const runtimes = Array.from({ length: options.runtimes }, (_, r) => {
    const start = options.basePackages + r * options.runtimePackages;
    const added = sources.slice(start, start + options.runtimePackages).map((name) => ({ name, version: `2.${r}-1` }));
    const installed = [...base, ...added];
    return { installed, path: layer(`/layers/runtime-${r}`, dpkgFiles(installed, added)) };
  });
  // Application packages come from the rest of the tracker, so images share
  // package names (as real ones do) but differ in which and in what version.
  const appPool = sources.slice(fixed);
  const seed = randomBytes(16 * 1024);
  const images = Array.from({ length: options.images }, (_, i): BenchImage => {
    const runtime = runtimes[i % options.runtimes]!;
    const added = Array.from({ length: options.appPackages }, (_, j) => ({ name: appPool[(i * 7 + j * 13) % appPool.length]!, version: `3.${i % 11}-${1 + (j % 3)}` }));
    const installed = [...runtime.installed, ...added.filter((a) => !runtime.installed.some((p) => p.name === a.name))];
    const appPath = layer(`/layers/app-${i}`, [
      ...dpkgFiles(installed, added),
      { path: `opt/app-${i}/VERSION`, content: `${i}\n` },
      { path: `opt/app-${i}/data.bin`, content: filler(options.appLayerBytes, seed) },
    ]);
    const paths = [basePath, runtime.path, appPath];
    const layerDigests = paths.map((p) => digests.get(p)!);
    return {
      manifest: {
        hash: digestOf(Buffer.from(`bench image ${i}: ${layerDigests.join(',')}`)),
        layers: paths.map((p, k) => ({ hash: layerDigests[k]!, uri: '', headers: {} })),
      } as unknown as Manifest,
      packages: new Set(installed.map((p) => p.name)).size,
    };
  });
  const server = await serveBlobs(routes);
  // URIs are known once the server has its port.
  const byDigest = new Map([...digests].map(([path, digest]) => [digest, server.url(path)]));
  for (const image of images) for (const l of image.manifest.layers) l.uri = byDigest.get(l.hash)!;
  return { images, blobBytes, server, close: () => server.close() };
}
