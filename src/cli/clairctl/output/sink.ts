/**
 * @module Writing formatter output to a `Writable` with backpressure.
 * Formatters hand over many small strings; the sink gathers them into chunks
 * of about {@link CHUNK_BYTES} and waits for `drain` whenever the stream asks
 * it to, so a report of any size is written with a bounded buffer.
 *
 * A stream that errors (a closed pipe: `clairctl report … | head`) or closes
 * under us turns every later write into a catalogued `OUTPUT_WRITE` error
 * instead of an unhandled `error` event or a promise that never settles.
 */
import type { Writable } from 'node:stream';
import { clairError } from '../../../lib/errors.js';

/** Characters gathered before a write; 64 KiB, the default high-water mark of files and pipes. */
export const CHUNK_BYTES = 64 * 1024;

export class OutputSink {
  readonly #out: Writable;
  #pending: string[] = [];
  #pendingLength = 0;
  #failure: Error | undefined;
  readonly #onError = (err: Error) => {
    this.#failure ??= err;
  };

  constructor(out: Writable) {
    this.#out = out;
    out.on('error', this.#onError);
  }

  /** Queues `text`; writes a chunk once enough has gathered. */
  async write(text: string): Promise<void> {
    if (text === '') return;
    this.#pending.push(text);
    this.#pendingLength += text.length;
    if (this.#pendingLength >= CHUNK_BYTES) await this.flush();
  }

  /** Writes whatever is queued and waits until the stream can take more. */
  async flush(): Promise<void> {
    if (this.#pendingLength === 0) {
      this.#check();
      return;
    }
    const chunk = this.#pending.join('');
    this.#pending = [];
    this.#pendingLength = 0;
    this.#check();
    if (this.#out.write(chunk)) return;
    await this.#drained();
  }

  /** Flushes and stops listening for stream errors; the stream itself stays open (it is usually stdout). */
  async release(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.#out.off('error', this.#onError);
    }
  }

  #check(): void {
    const out = this.#out;
    if (this.#failure) throw clairError('OUTPUT_WRITE', `output: write failed: ${this.#failure.message}`, { cause: this.#failure });
    if (out.destroyed || out.writableEnded) throw clairError('OUTPUT_WRITE', 'output: the stream is closed');
  }

  #drained(): Promise<void> {
    const out = this.#out;
    return new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        out.off('drain', onDrain);
        out.off('error', onError);
        out.off('close', onClose);
        if (err) reject(clairError('OUTPUT_WRITE', `output: write failed: ${err.message}`, { cause: err }));
        else resolve();
      };
      const onDrain = () => done();
      const onError = (err: Error) => done(err);
      const onClose = () => done(this.#failure ?? new Error('the stream closed before it drained'));
      out.on('drain', onDrain);
      out.on('error', onError);
      out.on('close', onClose);
    });
  }
}
