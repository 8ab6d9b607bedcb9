/**
 * @module Where `clairctl import-updaters` reads a bundle from, as upstream's
 * `openInput`: `-` is standard input; a path that opens is a file; anything
 * else must be an http(s) URL, fetched with the project's HTTP client.
 *
 * A download has no overall deadline (a large bundle over a slow link is
 * legitimate) but may not stall: no response headers within
 * {@link RESPONSE_TIMEOUT_MS}, or no body byte for {@link IDLE_TIMEOUT_MS},
 * ends it with a `BUNDLE_INPUT` error rather than a hang.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { clairError, isClairError } from '../../lib/errors.js';
import { createHttpClient, type HttpClient } from '../../lib/http-client.js';

export const RESPONSE_TIMEOUT_MS = 60_000; // 1 minute to the response headers
export const IDLE_TIMEOUT_MS = 60_000; // 1 minute without a body byte

export interface BundleInput {
  /** For logs: the path, `-`, or the URL without credentials or query. */
  name: string;
  bytes: AsyncIterable<Uint8Array>;
  /** Stops reading (idempotent). */
  close(): void;
}

export interface InputOptions {
  http?: HttpClient | undefined;
  stdin?: Readable | undefined;
  signal?: AbortSignal | undefined;
  responseTimeoutMs?: number | undefined;
  idleTimeoutMs?: number | undefined;
}

/** A URL as logs may show it: no credentials, no query. */
function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Opens the bundle `source` names.
 *
 * @throws ClairError `BUNDLE_INPUT` when it is neither a readable file nor
 *   an http(s) URL that answers 200.
 */
export async function openBundleInput(source: string, o: InputOptions = {}): Promise<BundleInput> {
  if (source === '-') {
    const stdin = o.stdin ?? process.stdin;
    if ((stdin as { isTTY?: boolean }).isTTY === true) throw clairError('BUNDLE_INPUT', 'import-updaters: standard input is a terminal; pipe a bundle in, or name a file or URL');
    return { name: '-', bytes: stdin, close: () => stdin.pause() };
  }
  let fileError: NodeJS.ErrnoException;
  try {
    const handle = await open(source, 'r');
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw clairError('BUNDLE_INPUT', `import-updaters: ${source} is a directory, not a bundle`);
    }
    // The stream owns the handle (and closes it), so nothing closes the descriptor under it.
    const stream = createReadStream('', { fd: handle, autoClose: true, highWaterMark: 256 * 1024 });
    return { name: source, bytes: stream, close: () => stream.destroy() };
  } catch (err) {
    if (isClairError(err) || !(err instanceof Error) || !('code' in err) || typeof err.code !== 'string') throw err;
    fileError = err as NodeJS.ErrnoException;
  }
  let url: URL | undefined;
  try {
    url = new URL(source);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw clairError('BUNDLE_INPUT', `import-updaters: cannot open ${source}: ${fileError.code === 'ENOENT' ? 'no such file' : fileError.message}${url === undefined ? ', and not an http(s) URL' : ` (${url.protocol} URLs are not supported; use http or https)`}`);
  }
  return download(url, o);
}

async function download(url: URL, o: InputOptions): Promise<BundleInput> {
  const name = displayUrl(url);
  const http = o.http ?? createHttpClient({ timeoutMs: 0 });
  const abort = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, abort.signal]) : abort.signal;
  const responseMs = o.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS;
  const idleMs = o.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  const waiting = setTimeout(() => abort.abort(new Error(`no response within ${responseMs} ms`)), responseMs);
  let response: Response;
  try {
    response = await http.fetch(url, { signal });
  } catch (err) {
    const reason = signal.aborted && signal.reason instanceof Error ? signal.reason.message : (err as Error).message;
    throw clairError('BUNDLE_INPUT', `import-updaters: error requesting ${name}: ${reason}`, { cause: err });
  } finally {
    clearTimeout(waiting);
  }
  if (response.status !== 200 || response.body === null) {
    await response.body?.cancel().catch(() => {});
    throw clairError('BUNDLE_INPUT', `import-updaters: unexpected status requesting ${name}: ${`${response.status} ${response.statusText}`.trim()}`);
  }
  const reader = response.body.getReader();
  async function* bytes(): AsyncGenerator<Uint8Array> {
    let received = 0;
    try {
      for (;;) {
        let idle: NodeJS.Timeout | undefined;
        const stalled = new Promise<never>((_, reject) => {
          idle = setTimeout(() => reject(new Error(`download of ${name} stalled: no data for ${idleMs} ms after ${received} bytes`)), idleMs);
        });
        let step: { done: true; value?: undefined } | { done: false; value: Uint8Array };
        try {
          step = await Promise.race([reader.read(), stalled]);
        } catch (err) {
          abort.abort(err);
          throw clairError('BUNDLE_INPUT', `import-updaters: ${(err as Error).message}`, { cause: err });
        } finally {
          clearTimeout(idle);
        }
        if (step.done) return;
        received += step.value.byteLength;
        yield step.value;
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }
  return { name, bytes: bytes(), close: () => abort.abort(new Error('import closed')) };
}
