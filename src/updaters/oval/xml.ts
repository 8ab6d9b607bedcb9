/**
 * @module Streaming a file on disk through a strict SAX parser. The caller
 * gets element and text callbacks; the generator yields after every chunk so
 * a consumer can hand on what the chunk completed before more is read (pull,
 * with back-pressure), and can stop early by leaving its loop.
 *
 * Files are decoded as UTF-8 (every OVAL feed read here is UTF-8; the decoder
 * keeps multi-byte characters split across chunks intact).
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import sax from 'sax';
import { clairError } from '../../lib/errors.js';

/** Element callbacks; names are local (any `prefix:` removed). */
export interface XmlHandlers {
  open(name: string, attributes: Readonly<Record<string, string>>): void;
  close(name: string): void;
  text(text: string): void;
}

/** Options shared by the XML passes. */
export interface XmlReadOptions {
  /** Prefix for error messages, e.g. the updater name. */
  component: string;
  signal?: AbortSignal | undefined;
}

/** Bytes read per step: bounds how much parsed output can pile up between yields. */
const CHUNK_BYTES = 64 * 1024; // 64 KiB

/** `red-def:rpminfo_test` → `rpminfo_test`. */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n').map((s) => s.trim()).filter(Boolean).join(', ');
}

/**
 * Parses `path`, calling `handlers`, and yields once per chunk. Malformed or
 * truncated XML rejects with `UPDATER_PARSE`, naming the file and position.
 */
export async function* saxFile(path: string, handlers: XmlHandlers, options: XmlReadOptions): AsyncGenerator<void> {
  const parser = sax.parser(true, { trim: false, normalize: false, position: true });
  const fail = (err: unknown): Error =>
    clairError('UPDATER_PARSE', `${options.component}: malformed XML in ${basename(path)}: ${describe(err)}`, { cause: err });
  // Throwing from the error callback stops sax at the first error instead of
  // letting it resynchronise and hand us events from a broken document.
  parser.onerror = (err) => {
    throw fail(err);
  };
  parser.onopentag = (tag) => {
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attributes[localName(k)] = typeof v === 'string' ? v : v.value;
    handlers.open(localName(tag.name), attributes);
  };
  parser.onclosetag = (name) => handlers.close(localName(name));
  parser.ontext = (t) => handlers.text(t);
  parser.oncdata = (t) => handlers.text(t);

  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream) {
      options.signal?.throwIfAborted();
      parser.write(chunk as string);
      yield;
    }
    parser.close();
  } finally {
    stream.destroy();
  }
}

/** A handler that collects finished items, and says when the rest of the document does not matter. */
export interface CollectingHandlers<T> extends XmlHandlers {
  readonly done: T[];
  readonly finished: boolean;
}

/** Streams the items `handler` completes while `path` is read, in document order; stops once it is finished. */
export async function* saxItems<T>(path: string, handler: CollectingHandlers<T>, options: XmlReadOptions): AsyncGenerator<T> {
  for await (const _ of saxFile(path, handler, options)) {
    while (handler.done.length > 0) yield handler.done.shift()!;
    if (handler.finished) return;
  }
  while (handler.done.length > 0) yield handler.done.shift()!;
}
