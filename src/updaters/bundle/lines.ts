/**
 * @module Splits a byte stream into numbered UTF-8 lines, holding at most one
 * line (plus one chunk) in memory, so a bundle of any size reads in bounded
 * memory. A line longer than the cap is refused rather than buffered without
 * end: a bundle record is a few kilobytes, so such a line means the input is
 * not a bundle.
 */
import { clairError, isClairError } from '../../lib/errors.js';

/** The longest line accepted (claircore's writer caps a record at 1 MiB; this leaves room). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024; // 64 MiB

export interface NumberedLine {
  /** 1-based. */
  number: number;
  text: string;
}

const NEWLINE = 0x0a;

/**
 * The lines of `source`, without their `\n` (a final line without one is
 * kept). An error of the source is rethrown naming the last complete line,
 * keeping its catalogue code (a non-catalogued one becomes `BUNDLE_INPUT`).
 */
export async function* numberedLines(source: AsyncIterable<Uint8Array>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<NumberedLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let number = 0;
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    let step: IteratorResult<Uint8Array>;
    try {
      step = await iterator.next();
    } catch (err) {
      const where = number === 0 ? 'before the first line' : `after line ${number}`;
      const message = `bundle: ${where}: ${(err as Error).message}`;
      throw isClairError(err) ? clairError(errorName(err.code), message, { cause: err }) : clairError('BUNDLE_INPUT', message, { cause: err });
    }
    if (step.done) break;
    const chunk = Buffer.isBuffer(step.value) ? step.value : Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength);
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl);
      if (pendingBytes + piece.length > maxLineBytes) throw tooLong(number + 1, maxLineBytes);
      const text = pending.length === 0 ? piece.toString('utf8') : Buffer.concat([...pending, piece]).toString('utf8');
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
      yield { number: ++number, text };
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      pendingBytes += rest.length;
      if (pendingBytes > maxLineBytes) throw tooLong(number + 1, maxLineBytes);
      // A copy: the chunk's buffer may be reused by the stream that produced it.
      pending.push(Buffer.from(rest));
    }
  }
  if (pendingBytes > 0) yield { number: ++number, text: Buffer.concat(pending).toString('utf8') };
}

function tooLong(line: number, max: number): Error {
  return clairError('BUNDLE_FORMAT', `bundle line ${line}: longer than ${max} bytes; this is not an updater bundle (or it is not decompressed)`);
}

/** The catalogue name of a code (the two this module rethrows under keep their own). */
function errorName(code: string): 'BUNDLE_FORMAT' | 'BUNDLE_INPUT' {
  return code === 'CLAIR_ERR_BUNDLE_FORMAT' ? 'BUNDLE_FORMAT' : 'BUNDLE_INPUT';
}
