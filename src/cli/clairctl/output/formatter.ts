/**
 * @module The contract every output format implements, and the base that
 * gives each one the same behaviour around it: calls run one at a time in
 * the order made (so a caller may fire `write`s without awaiting each), a
 * `write` after `close` is an `OUTPUT_WRITE` error, and `close` finishes the
 * document and flushes but leaves the stream open, since it is usually stdout.
 *
 * A result whose report is malformed fails its own `write` with
 * `REPORT_INVALID` before anything of it is written, and later writes go on.
 */
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { clairError } from '../../../lib/errors.js';
import { CLAIR_VERSION } from '../../../lib/version.js';
import type { ReportResult } from './report.js';
import { OutputSink } from './sink.js';

export interface FormatterOptions {
  /** Colour the text format; decide with `useColor`. @default false */
  color?: boolean;
  /** The clock for SBOM timestamps. @default () => new Date() */
  now?: () => Date;
  /** UUIDs for BOM serial numbers and SPDX namespaces. @default crypto.randomUUID */
  randomUUID?: () => string;
  /** The version named as the producing tool. @default CLAIR_VERSION */
  toolVersion?: string;
}

/** Everything a format needs from the options, defaults filled in. */
export interface ResolvedOptions {
  color: boolean;
  now: () => Date;
  randomUUID: () => string;
  toolVersion: string;
}

export function resolveOptions(options: FormatterOptions = {}): ResolvedOptions {
  return {
    color: options.color ?? false,
    now: options.now ?? (() => new Date()),
    randomUUID: options.randomUUID ?? randomUUID,
    toolVersion: options.toolVersion ?? CLAIR_VERSION,
  };
}

export interface Formatter {
  /** Writes one image's result (or, for whole-run documents, adds it). */
  write(result: ReportResult): Promise<void>;
  /** Finishes the output (closing whole-run documents) and flushes it. Idempotent. */
  close(): Promise<void>;
}

/** Sequencing, close handling and the sink, shared by every format. */
export abstract class SinkFormatter implements Formatter {
  protected readonly sink: OutputSink;
  protected readonly options: ResolvedOptions;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(out: Writable, options: ResolvedOptions) {
    this.sink = new OutputSink(out);
    this.options = options;
  }

  write(result: ReportResult): Promise<void> {
    if (this.#closed) return Promise.reject(clairError('OUTPUT_WRITE', `output: result for ${result.name} written after the output was closed`));
    return this.#enqueue(async () => {
      await this.writeResult(result);
      await this.afterResult();
    });
  }

  close(): Promise<void> {
    if (this.#closed) return this.#queue.catch(() => undefined);
    this.#closed = true;
    return this.#enqueue(async () => {
      try {
        await this.finish();
      } finally {
        await this.sink.release();
      }
    });
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.#queue.catch(() => undefined).then(task);
    this.#queue = next;
    return next;
  }

  protected abstract writeResult(result: ReportResult): Promise<void>;

  /** After each result: push it out, so an interactive reader sees each image as it arrives. */
  protected async afterResult(): Promise<void> {
    await this.sink.flush();
  }

  /** At close: whatever ends the document. */
  protected async finish(): Promise<void> {}
}
