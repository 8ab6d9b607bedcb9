/**
 * Test support for the image sources (excluded from the build by its
 * `.case.ts` name): small images built in the test itself, written as OCI
 * layouts (directory or tar) and `docker save` archives with tar-stream, and
 * a throw-away `docker-registry` with `skopeo` to push them.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export const run = promisify(execFile);

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export async function tempDir(t: { after(fn: () => Promise<void>): void }, prefix = 'clairctl-images-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface TarMember {
  name: string;
  data?: Buffer | string;
  type?: 'file' | 'directory' | 'symlink';
  linkname?: string;
}

/** A tar of the given members, in memory (tests use small ones). */
export async function tarBuffer(members: readonly TarMember[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c) => void chunks.push(c as Buffer));
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  addMembers(pack, members);
  await done;
  return Buffer.concat(chunks);
}

export async function writeTarFile(path: string, members: readonly TarMember[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const pack = tar.pack();
  const written = pipeline(pack, createWriteStream(path));
  addMembers(pack, members);
  await written;
}

function addMembers(pack: tar.Pack, members: readonly TarMember[]): void {
  for (const m of members) {
    const type = m.type ?? 'file';
    if (type === 'file') pack.entry({ name: m.name, mode: 0o644, mtime: new Date(0) }, Buffer.from(m.data ?? ''));
    else pack.entry({ name: m.name, type, ...(m.linkname !== undefined ? { linkname: m.linkname } : {}), mode: 0o755, mtime: new Date(0) });
  }
  pack.finalize();
}

/** A layer: a tar with one text file. */
export function layerTar(file: string, content: string): Promise<Buffer> {
  return tarBuffer([{ name: file, data: content }]);
}

export interface BuiltImage {
  config: Buffer;
  layers: Buffer[];
  /** The OCI image manifest's bytes and descriptor. */
  manifest: Buffer;
  digest: string;
  platform?: { os: string; architecture: string; variant?: string };
}

/** An OCI image: config (with diff_ids of the uncompressed layers) and manifest over the given layer blobs. */
export function ociImage(layers: Buffer[], options: { platform?: { os: string; architecture: string; variant?: string }; diffIds?: string[] } = {}): BuiltImage {
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      rootfs: { type: 'layers', diff_ids: options.diffIds ?? layers.map((l) => sha256(l)) },
      config: {},
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: isGzip(l) ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar', digest: sha256(l), size: l.length })),
    }),
  );
  return { config, layers, manifest, digest: sha256(manifest), ...(options.platform ? { platform: options.platform } : {}) };
}

function isGzip(b: Buffer): boolean {
  return b[0] === 0x1f && b[1] === 0x8b;
}

export interface IndexEntry {
  /** An image, or a nested index of images (each with a platform). */
  image?: BuiltImage;
  index?: BuiltImage[];
  ref?: string;
  /** Put the image's platform on the index.json descriptor. */
  withPlatform?: boolean;
}

/** The members of an OCI layout holding the entries; `nestedIndexDigest` is filled for index entries. */
export function ociLayoutMembers(entries: readonly IndexEntry[]): { members: TarMember[]; nestedIndexDigests: string[] } {
  const blobs = new Map<string, Buffer>();
  const add = (b: Buffer) => blobs.set(sha256(b), b);
  const nestedIndexDigests: string[] = [];
  const descriptors = entries.map((entry) => {
    const annotations = entry.ref !== undefined ? { annotations: { 'org.opencontainers.image.ref.name': entry.ref } } : {};
    if (entry.image) {
      const img = entry.image;
      add(img.config);
      img.layers.forEach(add);
      add(img.manifest);
      const platform = entry.withPlatform && img.platform ? { platform: img.platform } : {};
      return { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: img.digest, size: img.manifest.length, ...platform, ...annotations };
    }
    const images = entry.index ?? [];
    for (const img of images) {
      add(img.config);
      img.layers.forEach(add);
      add(img.manifest);
    }
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: images.map((img) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: img.digest, size: img.manifest.length, platform: img.platform })),
      }),
    );
    add(index);
    nestedIndexDigests.push(sha256(index));
    return { mediaType: 'application/vnd.oci.image.index.v1+json', digest: sha256(index), size: index.length, ...annotations };
  });
  const members: TarMember[] = [
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', data: JSON.stringify({ schemaVersion: 2, manifests: descriptors }) },
    ...[...blobs].map(([digest, data]) => ({ name: `blobs/sha256/${digest.slice(7)}`, data })),
  ];
  return { members, nestedIndexDigests };
}

export async function writeDirectory(dir: string, members: readonly TarMember[]): Promise<void> {
  for (const m of members) {
    if ((m.type ?? 'file') !== 'file') continue;
    await mkdir(dirname(join(dir, m.name)), { recursive: true });
    await writeFile(join(dir, m.name), m.data ?? '');
  }
}

export interface DockerArchiveImage {
  repoTags: string[];
  layers: Buffer[];
  /** diff_ids to record; default the sha256 of each (uncompressed) layer. */
  diffIds?: string[];
}

/**
 * The members of a `docker save` archive. `legacy`: `<hex>.json` configs and
 * `<id>/layer.tar` symlinks to `<hex>.tar` (as skopeo and Docker < 25
 * write); `flat`: `<hex>.json` and `<hex>.tar` named directly (as skopeo
 * writes); `blobs`: Docker 25's `blobs/sha256/<hex>`.
 */
export function dockerArchiveMembers(images: readonly DockerArchiveImage[], style: 'legacy' | 'flat' | 'blobs'): { members: TarMember[]; configs: Buffer[] } {
  const members: TarMember[] = [];
  const seen = new Set<string>();
  const configs: Buffer[] = [];
  const manifest = images.map((img, i) => {
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: img.diffIds ?? img.layers.map((l) => sha256(l)) }, config: { Labels: { n: String(i) } } }));
    configs.push(config);
    const configName = style === 'blobs' ? `blobs/sha256/${sha256(config).slice(7)}` : `${sha256(config).slice(7)}.json`;
    members.push({ name: configName, data: config });
    const layerNames = img.layers.map((layer, j) => {
      const hex = sha256(layer).slice(7);
      if (style === 'blobs') {
        if (!seen.has(hex)) members.push({ name: `blobs/sha256/${hex}`, data: layer });
        seen.add(hex);
        return `blobs/sha256/${hex}`;
      }
      if (!seen.has(hex)) members.push({ name: `${hex}.tar`, data: layer });
      seen.add(hex);
      if (style === 'flat') return `${hex}.tar`;
      const id = createHash('sha256').update(`${i}/${j}/${hex}`).digest('hex');
      members.push({ name: `${id}/`, type: 'directory' }, { name: `${id}/layer.tar`, type: 'symlink', linkname: `../${hex}.tar` });
      return `${id}/layer.tar`;
    });
    return { Config: configName, RepoTags: img.repoTags, Layers: layerNames };
  });
  members.push({ name: 'manifest.json', data: JSON.stringify(manifest) });
  return { members, configs };
}

/** The Docker schema 2 manifest containers/image synthesizes for a docker-archive image, as bytes. */
export function skopeoArchiveManifest(config: Buffer, layers: readonly { digest: string; size: number }[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: sha256(config) },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: l.size, digest: l.digest })),
  });
}

export { gzipSync };

/** Why tests needing a tool cannot run, or `undefined` when they can; in CI a missing tool fails instead. */
export async function missingTools(...tools: string[]): Promise<string | undefined> {
  for (const tool of tools) {
    try {
      await run('sh', ['-c', `command -v ${tool}`]);
    } catch {
      if (process.env.CI) throw new Error(`${tool} is required in CI (.ci/run installs it)`);
      return `${tool} is not installed (apt-get install docker-registry skopeo)`;
    }
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  stop(): Promise<void>;
}

/** A `docker-registry` on a free loopback port, storing under `dir`. */
export async function startRegistry(dir: string): Promise<TestRegistry> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = join(dir, 'registry.yml');
  await writeFile(
    config,
    ['version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'data')}`, '  delete:', '    enabled: true', 'http:', `  addr: ${host}`, ''].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://${host}/v2/`);
      if (res.status === 200) {
        return {
          host,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        };
      }
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`docker-registry did not start: ${stderr}`);
}

/** Pushes `oci:<layout>:<ref>` to `docker://<host>/<repo>` with skopeo (`--all` keeps an index). */
export async function pushLayout(layout: string, ref: string, destination: string, all = false): Promise<void> {
  await run('skopeo', ['copy', '--quiet', ...(all ? ['--all'] : []), '--dest-tls-verify=false', `oci:${layout}:${ref}`, `docker://${destination}`]);
}
