/**
 * Minimal types for `unbzip2-stream` (it ships none): a factory for a classic
 * "through" stream taking bzip2 bytes and emitting the decompressed bytes.
 *
 * Declared for the `unbzip2-stream/index.js` specifier rather than the bare
 * package name, so it cannot collide with another folder's ambient
 * declaration of `unbzip2-stream` (two `export =` for one module are an
 * error). Node resolves both specifiers to the same file.
 */
declare module 'unbzip2-stream/index.js' {
  import type { Duplex } from 'node:stream';

  function unbzip2Stream(): Duplex;
  export = unbzip2Stream;
}
