/**
 * @module Reading zip archives from memory with yauzl, bounded.
 *
 * Names are taken as raw bytes (decoded as UTF-8) and normalised as
 * claircore's `normName` does (`path.Join("/", name)[1:]`), so odd names such
 * as `../x` or `/abs` neither fail the archive nor escape it. Entry contents
 * are read only up to a caller-given limit, checked against the declared
 * size before inflating; yauzl verifies the inflated size matches the
 * declared one, so a lying header cannot inflate past the limit.
 */
import yauzl from 'yauzl';

/** One file in an archive. */
export interface ZipEntry {
  /** Normalised path inside the archive (no leading `/`, no `.`/`..`). */
  readonly name: string;
  readonly isDirectory: boolean;
  readonly uncompressedSize: number;
  /** @internal */
  readonly raw: yauzl.Entry;
}

/** An opened archive. */
export interface ZipArchive {
  readonly entries: readonly ZipEntry[];
  /** The entry's contents; rejects if it declares more than `maxBytes`. */
  read(entry: ZipEntry, maxBytes: number): Promise<Buffer>;
}

/** Go `path.Join("/", p)[1:]`. */
export function normalizeZipName(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

/** Opens `buf` as a zip archive; rejects when it is not a valid one. */
export function openZip(buf: Buffer): Promise<ZipArchive> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) {
        reject(err ?? new Error('zip: unreadable'));
        return;
      }
      const entries: ZipEntry[] = [];
      zip.on('error', reject);
      zip.on('entry', (raw: yauzl.Entry) => {
        const bytes = raw.fileName as unknown as Buffer;
        const rawName = Buffer.isBuffer(bytes) ? bytes.toString('utf8') : String(bytes);
        entries.push({ name: normalizeZipName(rawName), isDirectory: rawName.endsWith('/'), uncompressedSize: raw.uncompressedSize, raw });
        zip.readEntry();
      });
      zip.on('end', () => resolve({ entries, read: (entry, maxBytes) => readEntry(zip, entry, maxBytes) }));
      zip.readEntry();
    });
  });
}

function readEntry(zip: yauzl.ZipFile, entry: ZipEntry, maxBytes: number): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) {
    return Promise.reject(new RangeError(`zip: ${entry.name} declares ${entry.uncompressedSize} bytes, more than ${maxBytes}`));
  }
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry.raw, (err, stream) => {
      if (err || !stream) {
        reject(err ?? new Error('zip: unreadable entry'));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}
