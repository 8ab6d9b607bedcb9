/**
 * @module Opening a layer: fetch → verify digest → decompress → spool and
 * index, in one streaming pass with backpressure end to end, so memory stays
 * bounded whatever the layer size. Every failure path deletes the spool.
 *
 * @example
 * ```ts
 * const layer = await openLayer({ digest, uri, headers, mediaType }, { spool: { dir: '/var/tmp' } });
 * try {
 *   const osRelease = await layer.readFile('etc/os-release');
 * } finally {
 *   await layer.close();
 * }
 * ```
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { clairError, isClairError } from '../../lib/errors.js';
import { isDigest } from '../../model/digest.js';
import { checkCompression, decompressor, detectCompression, DigestTap, MAGIC_BYTES, SizeLimit, type Compression, type DecompressLimits } from './decompress.js';
import { fetchLayer, retryPolicy, type FetchLayerOptions, type LayerDescription } from './fetch.js';
import { backoffDelay, sleep } from './retry.js';
import { Spool, SpoolSink, type SpoolOptions } from './spool.js';
import { TarIndexWriter, type TarIndexLimits } from './tar-index.js';
import type { IndexerLimits } from '../../config/types.js';
import { TarLayerFS } from './tar-layer-fs.js';

export { TarLayerFS } from './tar-layer-fs.js';
export { SpoolBudget, type SpoolOptions } from './spool.js';
export type { LayerDescription } from './fetch.js';
export { DEFAULT_MAX_COMPRESSION_RATIO, DEFAULT_MAX_UNCOMPRESSED_BYTES, RATIO_GRACE_BYTES, type DecompressLimits } from './decompress.js';
export { DEFAULT_MAX_ENTRIES, DEFAULT_MAX_PATH_DEPTH, type TarIndexLimits } from './tar-index.js';

/**
 * Per-layer resource caps, each refused while the layer streams in (before
 * the rest is spooled) with LAYER_TOO_LARGE naming its config key. Every
 * default equals the `indexer.limits` default; `Number.POSITIVE_INFINITY`
 * turns a cap off.
 */
export interface LayerLimits extends DecompressLimits, TarIndexLimits {}

/**
 * The layer caps of the `indexer.limits` config block. The spool cap
 * (`spool_bytes`) is not among them: it is shared by all layers, through
 * {@link SpoolOptions.budget}.
 */
export function layerLimitsFrom(limits: IndexerLimits): LayerLimits {
  return {
    maxUncompressedBytes: limits.layer_bytes,
    maxCompressionRatio: limits.compression_ratio,
    maxEntries: limits.layer_entries,
    maxPathDepth: limits.path_depth,
  };
}

/** Options of {@link openLayer}: download, resource limits and spool. */
export interface OpenLayerOptions extends FetchLayerOptions, LayerLimits {
  spool?: SpoolOptions | undefined;
}

/** Options of the local variants: no download, but limits, spool and cancellation. */
export interface OpenLocalLayerOptions extends LayerLimits {
  spool?: SpoolOptions | undefined;
  signal?: AbortSignal | undefined;
  /** Content-Type to check the bytes against, as a server would send it (default: none). */
  contentType?: string | undefined;
  /** The layer's declared media type. */
  mediaType?: string | undefined;
}

/** Errors from a download that broke mid-body: retried from the start. */
const interrupted = new WeakSet<Error>();

/**
 * Downloads, verifies and indexes one layer. A download that breaks mid-body
 * is restarted (the spool is discarded), within the same attempt budget as
 * status retries. Rejects with a catalogued LAYER_* error, or with the
 * signal's reason when aborted. The caller must {@link TarLayerFS.close} it.
 */
export async function openLayer(description: LayerDescription, options: OpenLayerOptions = {}): Promise<TarLayerFS> {
  checkDigest(description.digest);
  const policy = retryPolicy(options);
  for (let attempt = 1; ; attempt++) {
    const response = await fetchLayer(description, options);
    try {
      return await ingest(response.body, `GET ${response.url}`, {
        ...options,
        digest: description.digest,
        contentType: response.contentType,
        mediaType: description.mediaType,
      });
    } catch (err) {
      if (!(err instanceof Error) || !interrupted.has(err) || attempt >= policy.attempts) throw err;
      options.logger?.warn({ digest: description.digest, attempt }, 'layer download retry');
      await sleep(backoffDelay(attempt, policy), options.signal);
    }
  }
}

/** Indexes a local tar, tar.gz or tar.zst file whose bytes must hash to `digest`. */
export async function openLayerFromFile(path: string, digest: string, options: OpenLocalLayerOptions = {}): Promise<TarLayerFS> {
  checkDigest(digest);
  return ingest(createReadStream(path, { highWaterMark: 64 * 1024 }), `reading ${JSON.stringify(path)}`, { ...options, digest });
}

/** Indexes a layer blob from any byte stream (tests, `file://` and future sources). */
export async function openLayerFromStream(source: Readable, digest: string, options: OpenLocalLayerOptions = {}): Promise<TarLayerFS> {
  checkDigest(digest);
  return ingest(source, 'reading the layer stream', { ...options, digest });
}

function checkDigest(digest: string): void {
  if (!isDigest(digest)) throw clairError('LAYER_FETCH', `layer ${JSON.stringify(digest)}: not a sha256 or sha512 digest`);
}

interface IngestOptions extends OpenLocalLayerOptions {
  digest: string;
}

async function ingest(source: Readable, origin: string, options: IngestOptions): Promise<TarLayerFS> {
  const { digest, signal } = options;
  let sourceError: unknown;
  source.once('error', (err) => {
    sourceError ??= err;
  });
  let stream: Readable;
  let compression: Compression;
  try {
    signal?.throwIfAborted();
    const peeked = await peek(source, MAGIC_BYTES, signal);
    stream = peeked.stream;
    compression = checkCompression(detectCompression(peeked.head), options);
  } catch (err) {
    source.destroy();
    throw classify(err, sourceError, origin, digest, signal);
  }

  const spool = await Spool.create(options.spool).catch((err: unknown) => {
    stream.destroy();
    throw err;
  });
  const tap = new DigestTap(digest);
  const limit = new SizeLimit(options, () => tap.bytes);
  const sink = new SpoolSink(spool, new TarIndexWriter(options));
  const stage = decompressor(compression, options);
  const opts = signal === undefined ? {} : { signal };
  try {
    if (stage === undefined) await pipeline(stream, tap, limit, sink, opts);
    else await pipeline(stream, tap, stage, limit, sink, opts);
    tap.verify();
    return new TarLayerFS(digest, sink.index!, spool);
  } catch (err) {
    await spool.remove();
    throw classify(err, sourceError, origin, digest, signal);
  }
}

/** Maps a pipeline failure to the error the caller should see. */
function classify(err: unknown, sourceError: unknown, origin: string, digest: string, signal: AbortSignal | undefined): unknown {
  signal?.throwIfAborted();
  if (isClairError(err)) {
    // Stages do not know the digest; errors they raise start "layer: ".
    if (err.message.startsWith('layer: ')) err.message = `layer ${digest}: ${err.message.slice('layer: '.length)}`;
    return err;
  }
  if (err === sourceError && err !== undefined) {
    const wrapped = clairError('LAYER_FETCH', `layer ${digest}: ${origin} failed: ${describe(err)}`, { cause: err });
    interrupted.add(wrapped);
    return wrapped;
  }
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return clairError('LAYER_FORMAT', `layer ${digest}: gzip data is corrupt or truncated: ${describe(err)}`, { cause: err });
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return clairError('LAYER_SPOOL_FULL', `layer ${digest}: the spool directory is out of space`, { cause: err });
  }
  return err;
}

function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  const message = err instanceof Error ? err.message : String(err);
  return typeof cause?.code === 'string' ? `${message} (${cause.code})` : message;
}

/**
 * Reads the first `n` bytes without consuming them: they are unshifted back,
 * or, when the stream ended sooner, a fresh stream of what was read is returned.
 */
function peek(stream: Readable, n: number, signal: AbortSignal | undefined): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let length = 0;
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while (length < n && (chunk = stream.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        length += chunk.length;
      }
      if (length < n) return;
      cleanup();
      const all = Buffer.concat(chunks);
      stream.unshift(all);
      resolve({ head: all.subarray(0, n), stream });
    };
    const onEnd = (): void => {
      cleanup();
      const all = Buffer.concat(chunks);
      resolve({ head: all, stream: Readable.from(all.length > 0 ? [all] : []) });
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onAbort = (): void => {
      cleanup();
      reject(signal!.reason);
    };
    stream.on('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
