/**
 * @module URL building as claircore does it with Go's `net/url`, for the
 * cases where WHATWG `new URL` differs.
 *
 * `base.Parse(ref)` (RFC 3986 reference resolution) needs no helper:
 * `new URL(ref, base)` gives the same result, e.g. `debian/` against
 * `https://m.example/pub` is `https://m.example/debian/` and against
 * `https://m.example/pub/` is `https://m.example/pub/debian/`.
 * `URL.JoinPath` and assigning `URL.Path` have no WHATWG equivalent; they are
 * here.
 */
import { posix } from 'node:path';

/**
 * Go's `(*url.URL).JoinPath(elem...)`: the elements are appended to the
 * base's path and the result is cleaned (`path.Join`), keeping a trailing
 * slash only when the last element has one. Query and fragment stay. Unlike
 * resolving a relative reference, the base's last segment is kept whether
 * or not it ends in `/`.
 */
export function joinPath(base: string | URL, ...elems: string[]): URL {
  const url = new URL(base);
  let joined = posix.join(url.pathname === '' ? '/' : url.pathname, ...elems);
  const last = elems.length === 0 ? url.pathname : elems[elems.length - 1]!;
  if (last.endsWith('/') && !joined.endsWith('/')) joined += '/';
  url.pathname = joined;
  return url;
}

/** Go's `u.Path = path` on a copy of `base`: the host, query and fragment stay. */
export function withPath(base: string | URL, path: string): URL {
  const url = new URL(base);
  url.pathname = path;
  return url;
}
