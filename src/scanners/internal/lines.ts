/**
 * @module Line splitting over a byte stream, for files too large to buffer
 * (a dpkg status file can be many MiB): memory stays bounded by the longest
 * line, and a line longer than the cap is reported, not buffered.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** Default cap on one line: 1 MiB of text. */
export const MAX_LINE_LENGTH = 1024 * 1024;

/** A line, or a marker that an over-long line was dropped at this position. */
export type Line = { readonly text: string; readonly overlong?: false } | { readonly text: ''; readonly overlong: true };

/**
 * Yields the lines of `stream` (UTF-8, without the `\n` or a trailing `\r`).
 * A line longer than `maxLength` characters is skipped up to its newline and
 * yielded as `{ overlong: true }` so a parser can discard what it belonged to.
 */
export async function* readLines(stream: Readable, maxLength = MAX_LINE_LENGTH): AsyncGenerator<Line> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let skipping = false;
  try {
    for await (const chunk of stream) {
      let text = pending + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
      pending = '';
      let start = 0;
      for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
        if (skipping || nl - start > maxLength) {
          skipping = false;
          yield { text: '', overlong: true };
        } else {
          yield line(text.slice(start, nl));
        }
        start = nl + 1;
      }
      text = text.slice(start);
      if (skipping) continue;
      if (text.length > maxLength) {
        skipping = true;
        continue;
      }
      pending = text;
    }
    const rest = pending + decoder.end();
    if (skipping) yield { text: '', overlong: true };
    else if (rest !== '') yield line(rest);
  } finally {
    stream.destroy();
  }
}

function line(text: string): Line {
  return { text: text.endsWith('\r') ? text.slice(0, -1) : text };
}
