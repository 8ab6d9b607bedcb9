/**
 * @module Streaming bundle writer.
 *
 * {@link encodeOperation} turns one operation's records into bundle lines,
 * batched into chunks of about {@link CHUNK_CHARS}, as they are pulled.
 * {@link BundleWriter} assembles a bundle from several operations: each is
 * first spooled, compressed, to a file of its own, and only an operation
 * whose records all arrived is appended to the output. So an updater that
 * fails half way leaves nothing of itself in the bundle (upstream buffers
 * each operation in a temporary file for the same reason), several updaters
 * can be spooling at once, and memory stays bounded whatever the sizes.
 * Appended operations are independent zstd frames or gzip members, which
 * decoders (Go's included) read as one stream.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { VulnerabilityRecord } from '../../model/index.js';
import { toClaircoreVulnerability } from './claircore-vulnerability.js';
import { compressor, type BundleCompression } from './compression.js';
import { linePrefix, toClaircoreEnrichment, type EnrichmentRecord, type OperationHeader } from './format.js';

/** Characters gathered before a chunk is handed on: large enough to keep per-write costs low, small enough not to matter. */
export const CHUNK_CHARS = 256 * 1024;

/** Counts what {@link encodeOperation} wrote. */
export interface EncodeTally {
  records: number;
}

/**
 * The bundle lines of one operation, batched into chunks. Vulnerability
 * records for a `vulnerability` header, enrichment records for an
 * `enrichment` one. No records, no lines (the format has no empty
 * operations).
 */
export async function* encodeOperation(
  header: OperationHeader,
  records: AsyncIterable<VulnerabilityRecord | EnrichmentRecord> | Iterable<VulnerabilityRecord | EnrichmentRecord>,
  tally: EncodeTally = { records: 0 },
): AsyncGenerator<string> {
  const prefix = linePrefix(header);
  const encode = header.kind === 'vulnerability' ? (r: unknown) => toClaircoreVulnerability(r as VulnerabilityRecord) : (r: unknown) => toClaircoreEnrichment(r as EnrichmentRecord);
  let chunk = '';
  for await (const record of records) {
    chunk += `${prefix}${JSON.stringify(encode(record))}}\n`;
    tally.records++;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

export interface BundleWriterOptions {
  /** Where the bundle goes: a file stream, or standard output. */
  out: Writable;
  compression: BundleCompression;
  /** A directory for spool files (a private subdirectory is made in it). */
  tmpDir: string;
  /** End `out` on close (false for standard output, which must stay open). */
  endOutput?: boolean;
}

export interface AddedOperation {
  header: OperationHeader;
  records: number;
  /** Compressed bytes appended to the bundle. */
  bytes: number;
}

export class BundleWriter {
  readonly #o: BundleWriterOptions;
  #dir: Promise<string> | undefined;
  #appending: Promise<unknown> = Promise.resolve();
  #spools = 0;
  #closed = false;
  /** Bytes appended so far. */
  bytes = 0;

  /** The output's first error, kept so a broken pipe fails the export instead of the process. */
  #outputError: Error | undefined;

  constructor(options: BundleWriterOptions) {
    this.#o = options;
    options.out.on('error', (err: Error) => {
      this.#outputError ??= err;
    });
  }

  #spoolDir(): Promise<string> {
    this.#dir ??= mkdtemp(join(this.#o.tmpDir, 'clair-bundle-'));
    return this.#dir;
  }

  /**
   * Spools one operation and appends it to the bundle once `records` is
   * exhausted. Safe to call concurrently; operations appear in the order
   * their spooling finishes. An operation with no records appends nothing.
   *
   * @throws whatever `records` throws (nothing is appended then), or an
   *   error of the output.
   */
  async add(header: OperationHeader, records: AsyncIterable<VulnerabilityRecord | EnrichmentRecord> | Iterable<VulnerabilityRecord | EnrichmentRecord>): Promise<AddedOperation> {
    if (this.#closed) throw new Error('bundle writer: add after close');
    const spool = join(await this.#spoolDir(), `${this.#spools++}.part`);
    try {
      const tally: EncodeTally = { records: 0 };
      const stage = compressor(this.#o.compression);
      const lines = Readable.from(encodeOperation(header, records, tally), { objectMode: false });
      await (stage ? pipeline(lines, stage, createWriteStream(spool)) : pipeline(lines, createWriteStream(spool)));
      if (tally.records === 0) return { header, records: 0, bytes: 0 };
      const { size } = await stat(spool);
      const appended = this.#appending.then(() => this.#append(spool));
      this.#appending = appended.catch(() => {});
      await appended;
      this.bytes += size;
      return { header, records: tally.records, bytes: size };
    } finally {
      await rm(spool, { force: true });
    }
  }

  /** Copies a spool file to the output, honouring back-pressure; adds no lasting listeners to the output. */
  async #append(spool: string): Promise<void> {
    const out = this.#o.out;
    for await (const chunk of createReadStream(spool, { highWaterMark: CHUNK_CHARS })) {
      if (this.#outputError ?? out.errored) throw this.#outputError ?? out.errored;
      if (out.destroyed) throw new Error('bundle writer: the output was closed');
      if (!out.write(chunk)) await once(out, 'drain');
    }
  }

  /** Waits for pending appends, ends the output (unless told not to) and removes the spool directory. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#appending;
    const out = this.#o.out;
    try {
      if (this.#o.endOutput !== false) {
        await new Promise<void>((resolve, reject) => {
          out.once('error', reject);
          out.end(() => resolve());
        });
      } else if (out.writableNeedDrain) {
        await new Promise<void>((resolve, reject) => {
          out.once('error', reject);
          out.once('drain', () => resolve());
        });
      }
    } finally {
      if (this.#dir) await rm(await this.#dir, { recursive: true, force: true });
    }
  }
}
