/**
 * Minimal types for `unbzip2-stream` (it ships none): a factory for a classic
 * "through" stream that takes bzip2 bytes and emits the decompressed bytes.
 * Only what `compression.ts` uses is declared; everything else reaches
 * bzip2 through that module.
 */
declare module 'unbzip2-stream' {
  import type { Stream } from 'node:stream';

  interface Unbzip2Stream extends Stream {
    write(chunk: Uint8Array): boolean;
    end(): void;
    on(event: 'data', listener: (chunk: Buffer) => void): this;
    on(event: 'end', listener: () => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
  }

  function unbzip2Stream(): Unbzip2Stream;
  export = unbzip2Stream;
}
