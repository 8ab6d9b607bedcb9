/**
 * @module A response body that must keep arriving: a download slower than
 * the minimum rate over any window (30 s by default) is abandoned. A stall
 * with no bytes at all is the limiting case, caught by a timer.
 *
 * Only time spent waiting on the server counts: the body is pulled, and the
 * clock runs only while a read is outstanding. When the consumer is slow
 * (decompression, disk), the server is not blamed for it.
 */
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';

/** The window over which the rate is measured, by default. */
export const DEFAULT_RATE_WINDOW_MS = 30_000; // 30 s

export interface MinRateOptions {
  /** Fewest bytes per second, averaged over any window. */
  minBytesPerSecond: number;
  /** The window, in milliseconds of waiting on the server (default 30 s). */
  windowMs?: number | undefined;
}

/** The error a too-slow body fails with; its message names the setting. */
export class SlowBodyError extends Error {
  override readonly name = 'SlowBodyError';
  readonly code = 'CLAIR_SLOW_BODY';
}

/** Wraps a fetch body so it fails with {@link SlowBodyError} when the server falls below the rate. */
export function minRateBody(body: ReadableStream<Uint8Array>, options: MinRateOptions): Readable {
  return new MinRateReadable(body, options);
}

class MinRateReadable extends Readable {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #minBytes: number;
  readonly #windowMs: number;
  readonly #label: string;
  /** Checkpoints of (waited ms, bytes so far), oldest first; one at or before the window start is kept. */
  #samples: Array<[number, number]> = [[0, 0]];
  #waited = 0;
  #bytes = 0;
  #pendingSince: number | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(body: ReadableStream<Uint8Array>, options: MinRateOptions) {
    super({ highWaterMark: 64 * 1024 });
    this.#reader = body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    this.#windowMs = Math.max(1, options.windowMs ?? DEFAULT_RATE_WINDOW_MS);
    this.#minBytes = (options.minBytesPerSecond * this.#windowMs) / 1000;
    this.#label = `the body arrived slower than ${options.minBytesPerSecond} bytes/s over ${formatSeconds(this.#windowMs)} (indexer.layer_fetch.min_bytes_per_second)`;
  }

  override _read(): void {
    if (this.#pendingSince !== undefined) return;
    this.#pendingSince = performance.now();
    // While waiting, check often enough to stop within a tenth of the window of the rate failing.
    this.#timer = setInterval(() => this.#check(), Math.max(10, Math.min(1000, this.#windowMs / 10)));
    this.#reader.read().then(
      ({ done, value }) => {
        this.#stopWaiting();
        if (this.destroyed) return;
        if (done) {
          this.push(null);
          return;
        }
        this.#record(value.byteLength);
        if (this.#check()) this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      },
      (err: unknown) => {
        this.#stopWaiting();
        this.destroy(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.#stopWaiting();
    this.#reader.cancel(err ?? undefined).catch(() => {});
    callback(err);
  }

  #stopWaiting(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#pendingSince !== undefined) this.#waited += performance.now() - this.#pendingSince;
    this.#pendingSince = undefined;
  }

  #now(): number {
    return this.#waited + (this.#pendingSince === undefined ? 0 : performance.now() - this.#pendingSince);
  }

  #record(bytes: number): void {
    this.#bytes += bytes;
    const last = this.#samples[this.#samples.length - 1]!;
    // Checkpoints closer than 1/64 of the window are merged: the window holds a bounded number.
    if (this.#waited - last[0] < this.#windowMs / 64) last[1] = this.#bytes;
    else this.#samples.push([this.#waited, this.#bytes]);
  }

  /** False (and the stream destroyed) once some full window had too few bytes. */
  #check(): boolean {
    const now = this.#now();
    if (now < this.#windowMs) return true;
    const start = now - this.#windowMs;
    while (this.#samples.length > 1 && this.#samples[1]![0] <= start) this.#samples.shift();
    const inWindow = this.#bytes - this.#samples[0]![1];
    if (inWindow >= this.#minBytes) return true;
    this.destroy(new SlowBodyError(this.#label));
    return false;
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
