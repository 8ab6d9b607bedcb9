/**
 * @module Go's `url.PathEscape`, which claircore uses to put a VEX product ID
 * into a link fragment. It differs from `encodeURIComponent`: it keeps
 * `$ & + : = @` and escapes `! ' ( ) *`, so links match claircore's byte for
 * byte (and therefore hash to the same stored record).
 */

const KEEP = /[A-Za-z0-9\-_.~$&+:=@]/;

/** Escapes `s` for use as one URL path segment, as Go's `url.PathEscape`. */
export function goPathEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && KEEP.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
