/**
 * @module The real test-image corpus built by
 * `../shared/scripts/build-test-images.sh .test-images` (debootstrapped
 * Debian bookworm plus small Alpine, RPM and language images): serves each
 * image's layer blobs from a loopback HTTP server and reads the oracle lists.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '../model/index.js';

export const IMAGES_DIR = fileURLToPath(new URL('../../.test-images/', import.meta.url));

/** `undefined` when the corpus is there, else why it is not (for `skip`). */
export function imagesUnavailable(): string | undefined {
  if (existsSync(join(IMAGES_DIR, 'expected', 'debian.debs.txt'))) return undefined;
  return 'the test-image corpus is absent: run `bash ../shared/scripts/build-test-images.sh .test-images` (needs root and the Debian mirror)';
}

export function expectedLines(name: string): string[] {
  return readFileSync(join(IMAGES_DIR, 'expected', name), 'utf8').split('\n').filter((l) => l.trim() !== '');
}

export interface LayerServer {
  /** A manifest for an image's layers, compressed as `ext` (`tar.gz` or `tar.zst`). */
  manifest(image: string, ext?: 'tar.gz' | 'tar.zst'): Manifest;
  close(): Promise<void>;
}

/** Serves `.test-images/layers/<image>/NN-<digest>.<ext>` at `/<image>/<file>`, with their real digests. */
export async function serveImageLayers(): Promise<LayerServer> {
  const server: Server = createServer((req, res) => {
    const path = join(IMAGES_DIR, 'layers', decodeURIComponent((req.url ?? '/').slice(1)));
    if (!path.startsWith(join(IMAGES_DIR, 'layers')) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const digestOf = (file: string): string => `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
  return {
    manifest(image, ext = 'tar.gz') {
      const dir = join(IMAGES_DIR, 'layers', image);
      const files = readdirSync(dir).filter((f) => f.endsWith(`.${ext}`)).sort();
      const layers = files.map((f) => ({ hash: digestOf(join(dir, f)), uri: `${base}/${image}/${f}` }));
      const hash = `sha256:${createHash('sha256').update(`${image}:${ext}:${layers.map((l) => l.hash).join(',')}`).digest('hex')}`;
      return { hash, layers } as unknown as Manifest;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
