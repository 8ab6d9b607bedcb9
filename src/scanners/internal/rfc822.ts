/**
 * @module RFC 822-style header blocks ("stanzas"), as Go's
 * `net/textproto.ReadMIMEHeader` reads them, for dpkg status files and Python
 * package metadata.
 *
 * Keys are case-insensitive (stored lower-cased) and the first occurrence of
 * a key wins, as `MIMEHeader.Get`. A line starting with a space or tab
 * continues the previous value (joined with one space, both sides trimmed).
 * A malformed line (no colon, a bad key, or a continuation with nothing to
 * continue) discards the stanza read so far and parsing resumes at the next
 * line, as claircore's dpkg scanner restarts after a textproto error.
 */
import type { Line } from './lines.js';

/** One stanza: lower-cased keys to values. */
export type Stanza = ReadonlyMap<string, string>;

// RFC 7230 token characters, the bytes textproto accepts in a key.
const KEY = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

interface State {
  fields: Map<string, string>;
  /** The key the last header line set, if that line was its first occurrence. */
  last: string | undefined;
}

type Step = { kind: 'field' } | { kind: 'end' } | { kind: 'malformed' };

function step(state: State, line: Line): Step {
  if (line.overlong) return { kind: 'malformed' };
  const text = line.text;
  if (text === '') return { kind: 'end' };
  if (text.startsWith(' ') || text.startsWith('\t')) {
    if (state.fields.size === 0) return { kind: 'malformed' };
    if (state.last !== undefined) {
      const previous = state.fields.get(state.last) ?? '';
      const more = text.trim();
      state.fields.set(state.last, previous === '' ? more : more === '' ? `${previous} ` : `${previous} ${more}`);
    }
    return { kind: 'field' };
  }
  const colon = text.indexOf(':');
  const key = colon < 0 ? '' : text.slice(0, colon);
  if (!KEY.test(key)) return { kind: 'malformed' };
  const lower = key.toLowerCase();
  if (state.fields.has(lower)) {
    state.last = undefined;
  } else {
    state.fields.set(lower, text.slice(colon + 1).trim());
    state.last = lower;
  }
  return { kind: 'field' };
}

/**
 * Yields every well-formed, non-empty stanza of `lines`, separated by empty
 * lines; the last stanza need not be followed by one.
 */
export async function* readStanzas(lines: AsyncIterable<Line>): AsyncGenerator<Stanza> {
  let state: State = { fields: new Map(), last: undefined };
  for await (const line of lines) {
    const result = step(state, line);
    if (result.kind === 'field') continue;
    if (result.kind === 'end' && state.fields.size > 0) yield state.fields;
    state = { fields: new Map(), last: undefined };
  }
  if (state.fields.size > 0) yield state.fields;
}

/**
 * The first header block of `lines` (e.g. a Python `METADATA` file, whose
 * body follows an empty line). On a malformed line the fields read so far are
 * returned, as `ReadMIMEHeader` returns them with its error. Stops reading at
 * the end of the block.
 */
export async function readHeader(lines: AsyncIterable<Line>): Promise<Stanza> {
  const state: State = { fields: new Map(), last: undefined };
  for await (const line of lines) {
    if (step(state, line).kind !== 'field') break;
  }
  return state.fields;
}
