/**
 * @module Streaming reader for the Debian security tracker's JSON dump
 * (`https://security-tracker.debian.org/tracker/data/json`, ~70 MB):
 *
 * ```json
 * {"openssl": {"CVE-2024-0727": {"description": "…", "scope": "local",
 *   "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.13-1~deb12u1",
 *                             "urgency": "low", "repositories": {"bookworm": "3.0.11-1~deb12u2"}}}}}}
 * ```
 *
 * stream-json tokenises the file; only one CVE entry (the object under
 * `<source>.<CVE>`) is assembled at a time. Assembling whole source
 * packages would not do: the kernel's entry alone holds thousands of CVEs.
 */
import { createReadStream } from 'node:fs';
import { pipeline, Transform, type Duplex, type TransformCallback } from 'node:stream';
import Assembler from 'stream-json/Assembler.js';
import Parser from 'stream-json/Parser.js';
import { clairError, isClairError } from '../../lib/errors.js';

/** One release's entry for a (source package, CVE). */
export interface TrackerEntry {
  source: string;
  cve: string;
  description: string;
  release: string;
  status: string;
  /** As published; absent is `''`. */
  fixedVersion: string;
  urgency: string;
}

/** A CVE entry as read: source package, CVE id, and the assembled value. */
export type CveItem = [source: string, cve: string, data: unknown];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The per-release entries of one CVE item, in document order. Shapes the
 * tracker does not promise are skipped, not fatal: a CVE whose `releases` is
 * `[]` (PHP's encoding of an empty map) has no entries.
 */
export function* cveEntries([source, cve, data]: CveItem): Generator<TrackerEntry> {
  if (!isObject(data) || !isObject(data.releases)) return;
  const description = str(data.description);
  for (const [release, rd] of Object.entries(data.releases)) {
    if (!isObject(rd)) continue;
    yield { source, cve, description, release, status: str(rd.status), fixedVersion: str(rd.fixed_version), urgency: str(rd.urgency) };
  }
}

interface Token {
  name: string;
  value?: string;
}

/**
 * Parser tokens → `[source, cve, value]` for every object two levels down.
 * Containers are tracked as a stack of kinds so a package given as an array
 * (not the schema) is walked past rather than mistaken for CVEs.
 */
class CveItems extends Transform {
  readonly #kinds: Array<'object' | 'array'> = [];
  #source = '';
  #cve = '';
  #asm: Assembler | undefined;

  constructor() {
    super({ objectMode: true });
  }

  override _transform(token: Token, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.#consume(token);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  #consume(t: Token): void {
    if (this.#asm) {
      this.#asm.consume(t);
      if (this.#asm.done) {
        this.push([this.#source, this.#cve, this.#asm.current] satisfies CveItem);
        this.#asm = undefined;
      }
      return;
    }
    const kinds = this.#kinds;
    switch (t.name) {
      case 'startObject':
      case 'startArray':
        if (kinds.length === 0 && t.name !== 'startObject') throw new Error('the top level is not an object');
        if (t.name === 'startObject' && kinds.length === 2 && kinds[0] === 'object' && kinds[1] === 'object') {
          this.#asm = new Assembler();
          this.#asm.consume(t);
          return;
        }
        kinds.push(t.name === 'startObject' ? 'object' : 'array');
        return;
      case 'endObject':
      case 'endArray':
        kinds.pop();
        return;
      case 'keyValue':
        if (kinds.length === 1) this.#source = t.value ?? '';
        else if (kinds.length === 2) this.#cve = t.value ?? '';
        return;
      default:
        if (kinds.length === 0) throw new Error('the top level is not an object');
    }
  }
}

/**
 * Streams the CVE items of `file` in document order. Invalid or truncated
 * JSON, or a top level that is not an object, rejects with `UPDATER_PARSE`.
 */
export async function* readTracker(file: string, signal?: AbortSignal): AsyncGenerator<CveItem> {
  // Packed values only: no per-character string tokens, about half the work.
  const items = pipeline(
    createReadStream(file, { highWaterMark: 256 * 1024 }),
    Parser.parser({ streamValues: false }),
    new CveItems(),
    () => {}, // errors surface through the iterator below
  ) as Duplex;
  try {
    for await (const item of items as AsyncIterable<CveItem>) {
      signal?.throwIfAborted();
      yield item;
    }
  } catch (err) {
    if (isClairError(err) || signal?.aborted) throw err;
    throw clairError('UPDATER_PARSE', `debian: malformed tracker JSON ${file}: ${(err as Error).message}`, { cause: err });
  } finally {
    items.destroy();
  }
}
