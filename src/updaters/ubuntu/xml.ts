/**
 * @module A strict SAX parser fed chunk by chunk, reporting elements by
 * local name (the `linux-def:` style prefixes of OVAL dropped). The first
 * well-formedness error, including a document cut short, becomes
 * `UPDATER_PARSE` naming the file and position.
 */
import sax from 'sax';
import { clairError } from '../../lib/errors.js';

/** Element callbacks; names are local. */
export interface XmlHandlers {
  open(name: string, attributes: Readonly<Record<string, string>>): void;
  close(name: string): void;
  text(text: string): void;
}

/** `linux-def:dpkginfo_test` → `dpkginfo_test`. */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/**
 * A flat copy of `s` that owns its characters. sax builds attribute values
 * a character at a time (a chain of cons strings, ~1 KB for a 35-character
 * OVAL id until flattened) and hands out text as slices of its current chunk
 * (which keep the whole chunk alive). Anything kept past the current
 * element, like the lookup tables, must hold copies.
 */
export function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n').map((s) => s.trim()).filter(Boolean).join(', ');
}

/** Push-side of a parse: `write` text chunks, then `close`. Both throw on malformed XML. */
export interface XmlFeeder {
  write(chunk: string): void;
  close(): void;
}

/** A feeder calling `handlers`; `describe` names the document in errors. */
export function xmlFeeder(handlers: XmlHandlers, component: string, describe: string): XmlFeeder {
  const parser = sax.parser(true, { trim: false, normalize: false, position: true });
  let failure: Error | undefined;
  parser.onerror = (err) => {
    // Keep the first error only: sax would otherwise resynchronise and go on.
    failure ??= clairError('UPDATER_PARSE', `${component}: malformed XML in ${describe}: ${oneLine(err)}`, { cause: err });
  };
  parser.onopentag = (tag) => {
    if (failure) return;
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attributes[localName(k)] = detach(typeof v === 'string' ? v : v.value);
    handlers.open(localName(tag.name), attributes);
  };
  parser.onclosetag = (name) => {
    if (!failure) handlers.close(localName(name));
  };
  parser.ontext = (t) => {
    if (!failure) handlers.text(t);
  };
  parser.oncdata = parser.ontext;
  const check = (): void => {
    if (failure) throw failure;
  };
  return {
    write(chunk) {
      check();
      parser.write(chunk);
      check();
    },
    close() {
      check();
      parser.close();
      check();
    },
  };
}
