/**
 * @module Streaming the VEX archive (`.tar.zst`): regular files are yielded
 * one at a time as `{ name, data }`, so only one document is in memory while
 * the consumer works on it; tar parsing waits for the consumer
 * (backpressure). Decompression reuses the layer fetcher's bounded fzstd
 * stage (block-at-a-time, window-size cap).
 */
import { createReadStream } from 'node:fs';
import { extract, type Extract } from 'tar-stream';
import { clairError, isClairError } from '../../lib/errors.js';
import { zstdDecompressor } from '../../indexer/layer/zstd.js';

/** One archive member. */
export interface ArchiveDocument {
  /** Tar name without a leading `./`, e.g. `2023/cve-2023-0044.json`. */
  name: string;
  data: Buffer;
}

/** Resolves on `drain`, or when the extractor closes (the reader then stops). */
function drained(ex: Extract): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      ex.off('drain', done);
      ex.off('close', done);
      resolve();
    };
    ex.on('drain', done);
    ex.on('close', done);
  });
}

function archiveError(file: string, err: unknown): Error {
  const reason = (err as Error)?.message ?? String(err);
  return clairError('UPDATER_PARSE', `rhel-vex: archive ${file} is unreadable: ${reason}`, { cause: err });
}

/**
 * The regular files of a zstd-compressed tar, in archive order.
 *
 * @throws ClairError `CLAIR_ERR_UPDATER_PARSE` for corrupt or truncated zstd or tar data.
 */
export async function* archiveDocuments(file: string, signal: AbortSignal): AsyncGenerator<ArchiveDocument> {
  const source = createReadStream(file);
  const ex = extract();
  // Feeds the extractor; any failure (including a truncated stream) destroys it,
  // which rejects the iteration below with that error.
  const pump = (async () => {
    for await (const chunk of zstdDecompressor()(source)) {
      if (ex.destroyed) return;
      if (!ex.write(chunk)) await drained(ex);
    }
    if (!ex.destroyed) ex.end(undefined);
  })().catch((err: unknown) => {
    ex.destroy(err as Error);
  });
  try {
    for await (const entry of ex) {
      signal.throwIfAborted();
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file') continue;
      yield { name: entry.header.name.replace(/^(\.\/)+/, ''), data: Buffer.concat(chunks) };
    }
  } catch (err) {
    if (signal.aborted && err === signal.reason) throw err;
    throw isClairError(err, 'UPDATER_PARSE') ? err : archiveError(file, err);
  } finally {
    source.destroy();
    ex.destroy();
    await pump;
  }
}
