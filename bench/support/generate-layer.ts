/** Writes a generated gzip layer: `generate-layer.ts <path> <uncompressed MB>`. */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';

const MB = 1024 * 1024;

/** A layer shaped like an image: a dpkg database, Python packages, and many files of mixed sizes (half-compressible content). */
export async function generateLayer(path: string, totalMb: number): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, createGzip({ level: 1 }), createWriteStream(path));
  const add = (name: string, body: Buffer) => new Promise<void>((resolve, reject) => pack.entry({ name, size: body.length, mode: 0o644 }, body, (err) => (err ? reject(err) : resolve())));
  const stanzas = Array.from({ length: 300 }, (_, i) => `Package: pkg${i}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.${i}-1\nSource: src${i % 50}\n`).join('\n');
  await add('etc/os-release', Buffer.from('ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n'));
  await add('var/lib/dpkg/status', Buffer.from(stanzas));
  for (let i = 0; i < 200; i++) await add(`usr/lib/python3/site-packages/p${i}-1.${i}.dist-info/METADATA`, Buffer.from(`Metadata-Version: 2.1\nName: p${i}\nVersion: 1.${i}\n`));
  let written = 0;
  let n = 0;
  const seed = randomBytes(64 * 1024);
  while (written < totalMb * MB) {
    const size = [4096, 65536, 1048576, 8 * MB][n % 4]!;
    const body = Buffer.alloc(size);
    for (let off = 0; off < size; off += seed.length * 2) {
      seed.copy(body, off); // half random, half zeros: compresses about 2:1 like binaries do
    }
    await add(`usr/share/data/${n % 97}/file${n}.bin`, body);
    written += size;
    n++;
  }
  pack.finalize();
  await done;
}


const [path, mb] = process.argv.slice(2);
await generateLayer(path!, Number(mb));
