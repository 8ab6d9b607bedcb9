/**
 * @module Streams the members of a zip file on disk (yauzl, `lazyEntries`):
 * one entry is read into memory at a time (OSV records are small; a member
 * declaring more than `maxEntryBytes` rejects), the next only when the
 * consumer asks. A damaged or truncated archive rejects; it never hangs.
 */
import yauzl from 'yauzl';

/** One file member. */
export interface ZipMember {
  name: string;
  data: Buffer;
}

/** 64 MiB: the largest OSV record is a few hundred KiB. */
export const DEFAULT_MAX_ENTRY_BYTES = 64 * 1024 * 1024;

function open(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) reject(err ?? new Error('zip: unreadable'));
      else resolve(zip);
    });
  });
}

function readStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
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

/** Yields each file member of `file`, in archive order. */
export async function* zipMembers(file: string, maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES): AsyncGenerator<ZipMember> {
  const zip = await open(file);
  // Errors can arrive between reads; keep one so none goes unhandled.
  let failure: Error | undefined;
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
    waiter?.resolve(null);
    waiter = undefined;
  });
  try {
    for (;;) {
      if (failure) throw failure;
      const next = new Promise<yauzl.Entry | null>((resolve, reject) => {
        waiter = { resolve, reject };
      });
      zip.readEntry();
      const entry = await next;
      if (entry === null) return;
      if (entry.fileName.endsWith('/')) continue;
      if (entry.uncompressedSize > maxEntryBytes) {
        throw new RangeError(`zip: ${entry.fileName} declares ${entry.uncompressedSize} bytes, more than ${maxEntryBytes}`);
      }
      yield { name: entry.fileName, data: await readStream(zip, entry) };
    }
  } finally {
    zip.close();
  }
}
