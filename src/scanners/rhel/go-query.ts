/**
 * @module Go's `net/url` query encoding (`url.ParseQuery`, `url.Values.Encode`,
 * `url.QueryEscape`), byte for byte. claircore keeps structured data in
 * strings with it (a package's `RepositoryHint` such as
 * `hash=sha256%3A…&key=…&repoid=…`, a repository's `URI` such as
 * `repoid=rhel-9-for-x86_64-baseos-rpms`), and those strings are persisted,
 * so they must be spelled exactly as claircore spells them. `URLSearchParams`
 * differs (it escapes `~` and keeps `*`), hence this module.
 */

/** Parsed query values in first-seen key order, as Go's `url.Values`. */
export type QueryValues = Map<string, string[]>;

/** What {@link parseGoQuery} returns: the values parsed, and Go's first error, if any. */
export interface ParsedQuery {
  values: QueryValues;
  /** Go reports the first malformed pair but keeps parsing the rest. */
  error?: string;
}

const HEX = '0123456789ABCDEF';

/** Go `url.QueryEscape`: everything but `A-Z a-z 0-9 - _ . ~` is `%XX`-escaped (UTF-8 bytes), space becomes `+`. */
export function goQueryEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (byte === 0x20) out += '+';
    else out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/** Go `url.QueryUnescape`: `+` is a space, `%XX` a byte; a malformed escape is an error (`undefined`). */
export function goQueryUnescape(s: string): string | undefined {
  if (!s.includes('%') && !s.includes('+')) return s;
  const bytes: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x25) {
      const hex = raw.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (b === 0x2b) {
      bytes.push(0x20);
    } else {
      bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Go `url.ParseQuery`: pairs split on `&`, a pair containing `;` rejected,
 * empty pairs skipped; a malformed pair is skipped and the first such error
 * is reported alongside everything that did parse.
 */
export function parseGoQuery(query: string): ParsedQuery {
  const values: QueryValues = new Map();
  let error: string | undefined;
  for (const pair of query.split('&')) {
    if (pair.includes(';')) {
      // Go overwrites the error for semicolons rather than keeping the first.
      error = 'invalid semicolon separator in query';
      continue;
    }
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = goQueryUnescape(eq < 0 ? pair : pair.slice(0, eq));
    const value = key === undefined ? undefined : goQueryUnescape(eq < 0 ? '' : pair.slice(eq + 1));
    if (key === undefined || value === undefined) {
      error ??= `invalid URL escape in ${JSON.stringify(pair)}`;
      continue;
    }
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  return error === undefined ? { values } : { values, error };
}

/** Go `url.Values.Get`: the first value of `key`, or `''`. */
export function firstValue(values: QueryValues, key: string): string {
  return values.get(key)?.[0] ?? '';
}

/** Go `url.Values.Encode`: keys in byte order, each value `key=value`, joined by `&`. */
export function encodeGoQuery(values: QueryValues): string {
  const keys = [...values.keys()].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  const parts: string[] = [];
  for (const key of keys) {
    const k = goQueryEscape(key);
    for (const v of values.get(key) ?? []) parts.push(`${k}=${goQueryEscape(v)}`);
  }
  return parts.join('&');
}
