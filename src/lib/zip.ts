/**
 * @module Reading zip archives with yauzl, one entry at a time and bounded:
 * from memory (the Java scanner's jars, nested ones included) or from a file
 * on disk (the OSV updater's `all.zip`). Entries come in central-directory
 * order, the next only when asked for (`lazyEntries`); an entry's contents
 * are read only up to a caller-given limit, checked against the declared
 * size before inflating, and yauzl verifies the inflated size matches the
 * declared one, so a lying header cannot inflate past the limit. A damaged
 * or truncated archive rejects; it never hangs.
 *
 * Entry names are read one of two ways ({@link ZipNames}): as claircore's
 * Java scanner reads them (raw bytes as UTF-8, normalised, never failing),
 * or checked by yauzl (an absolute or `..` name fails the archive).
 */
import yauzl from 'yauzl';

/**
 * How entry names are read.
 *
 * - `normalized`: the raw bytes as UTF-8, normalised as claircore's
 *   `normName` does (`path.Join("/", name)[1:]`), so odd names such as
 *   `../x` or `/abs` neither fail the archive nor escape it.
 * - `checked`: decoded by yauzl (UTF-8 when flagged, else CP437;
 *   backslashes become `/`), and an absolute or `..` name is an error of
 *   the archive.
 */
export type ZipNames = 'normalized' | 'checked';

/** One entry of an archive. */
export interface ZipEntry {
  /** The path inside the archive, read as {@link ZipNames} says. */
  readonly name: string;
  readonly isDirectory: boolean;
  readonly uncompressedSize: number;
  /** @internal */
  readonly raw: yauzl.Entry;
}

/** An archive read entry by entry. */
export interface ZipReader {
  /** The next entry, or `undefined` after the last; rejects when the archive is damaged. */
  next(): Promise<ZipEntry | undefined>;
  /** An entry's contents; rejects if it declares more than `maxBytes`. */
  read(entry: ZipEntry, maxBytes: number): Promise<Buffer>;
  /** Releases a file-backed archive's descriptor (a no-op for memory). */
  close(): void;
}

/** An opened archive with every entry listed (small archives, such as jars). */
export interface ZipArchive {
  readonly entries: readonly ZipEntry[];
  /** The entry's contents; rejects if it declares more than `maxBytes`. */
  read(entry: ZipEntry, maxBytes: number): Promise<Buffer>;
}

/** One file member and its contents. */
export interface ZipMember {
  name: string;
  data: Buffer;
}

/** An archive in memory, or the path of one on disk. */
export type ZipSource = Buffer | string;

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

function openZipFile(source: ZipSource, names: ZipNames): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false, decodeStrings: names === 'checked' };
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip?: yauzl.ZipFile): void => {
      if (err || !zip) reject(err ?? new Error('zip: unreadable'));
      else resolve(zip);
    };
    if (typeof source === 'string') yauzl.open(source, options, done);
    else yauzl.fromBuffer(source, options, done);
  });
}

function toEntry(raw: yauzl.Entry, names: ZipNames): ZipEntry {
  if (names === 'checked') return { name: raw.fileName, isDirectory: raw.fileName.endsWith('/'), uncompressedSize: raw.uncompressedSize, raw };
  // With decodeStrings off, yauzl hands over the name's bytes.
  const bytes = raw.fileName as unknown as Buffer;
  const rawName = Buffer.isBuffer(bytes) ? bytes.toString('utf8') : String(bytes);
  return { name: normalizeZipName(rawName), isDirectory: rawName.endsWith('/'), uncompressedSize: raw.uncompressedSize, raw };
}

function readEntry(zip: yauzl.ZipFile, entry: ZipEntry, maxBytes: number): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) {
    // A plain Error: the archive is too large for the caller, which is not a RangeError of this code.
    return Promise.reject(new Error(`zip: ${entry.name} declares ${entry.uncompressedSize} bytes, more than ${maxBytes}`));
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

/** Opens an archive for reading entry by entry; rejects when it is not a valid one. */
export async function openZipReader(source: ZipSource, options: { names: ZipNames }): Promise<ZipReader> {
  const { names } = options;
  const zip = await openZipFile(source, names);
  // Errors can arrive between reads; keep one so none goes unhandled.
  let failure: Error | undefined;
  let ended = false;
  let waiter: { resolve: (e: yauzl.Entry | null) => void; reject: (e: Error) => void } | undefined;
  zip.on('error', (err: Error) => {
    failure ??= err;
    waiter?.reject(err);
    waiter = undefined;
  });
  zip.on('entry', (entry: yauzl.Entry) => {
    waiter?.resolve(entry);
    waiter = undefined;
  });
  zip.on('end', () => {
    ended = true;
    waiter?.resolve(null);
    waiter = undefined;
  });
  return {
    async next() {
      if (failure) throw failure;
      if (ended) return undefined;
      const next = new Promise<yauzl.Entry | null>((resolve, reject) => {
        waiter = { resolve, reject };
      });
      zip.readEntry();
      const raw = await next;
      return raw === null ? undefined : toEntry(raw, names);
    },
    read: (entry, maxBytes) => readEntry(zip, entry, maxBytes),
    close: () => zip.close(),
  };
}

/**
 * Opens `source` as a zip archive and lists every entry, names
 * {@link ZipNames | normalized}; rejects when it is not a valid archive.
 */
export async function openZip(source: ZipSource): Promise<ZipArchive> {
  const reader = await openZipReader(source, { names: 'normalized' });
  const entries: ZipEntry[] = [];
  for (let entry = await reader.next(); entry !== undefined; entry = await reader.next()) entries.push(entry);
  return { entries, read: (entry, maxBytes) => reader.read(entry, maxBytes) };
}

/**
 * Yields each file member of `source` in archive order, one in memory at a
 * time; a member declaring more than `maxEntryBytes` rejects. The archive is
 * closed when the consumer stops, early or not.
 */
export async function* zipMembers(source: ZipSource, options: { maxEntryBytes: number; names: ZipNames }): AsyncGenerator<ZipMember> {
  const reader = await openZipReader(source, { names: options.names });
  try {
    for (let entry = await reader.next(); entry !== undefined; entry = await reader.next()) {
      if (entry.isDirectory) continue;
      yield { name: entry.name, data: await reader.read(entry, options.maxEntryBytes) };
    }
  } finally {
    reader.close();
  }
}
