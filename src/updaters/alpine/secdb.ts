/**
 * @module Streaming reader for the secdb JSON format Alpine, Wolfi and
 * Chainguard publish:
 *
 * ```json
 * {"distroversion": "v3.17", "reponame": "main", "urlprefix": "…", "apkurl": "…",
 *  "packages": [{"pkg": {"name": "openssl", "secfixes": {"3.0.7-r0": ["CVE-2022-3602"]}}}]}
 * ```
 *
 * Only the `packages` array is read, one element at a time (stream-json
 * picks `packages.<n>` and assembles just that element), so a feed of any
 * size is never held in memory.
 */
import { createReadStream } from 'node:fs';
import type { Duplex, Readable } from 'node:stream';
import Parser from 'stream-json/Parser.js';
import Pick from 'stream-json/filters/Pick.js';
import StreamValues from 'stream-json/streamers/StreamValues.js';
import { clairError, isClairError } from '../../lib/errors.js';

/**
 * One package entry: its name and `[fixed version, ids]` pairs, in object
 * property order (integer-like versions such as `0` first). Order carries
 * no meaning: claircore reads secfixes into a Go map.
 */
export interface SecdbPackage {
  name: string;
  secfixes: Array<[fixed: string, ids: string[]]>;
}

const PACKAGE_PATH = /^packages\.\d+$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The ids listed for one fixed version. `null` (a YAML key with no value)
 * and `""` (the same, after a string-only YAML→JSON conversion) list none; a
 * bare string is one id.
 */
function idsOf(value: unknown, where: string): string[] {
  if (value === null || value === '') return [];
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) throw new TypeError(`${where}: expected a list of ids`);
  return value.map((id, i) => {
    if (typeof id !== 'string') throw new TypeError(`${where}[${i}]: expected a string id`);
    return id;
  });
}

/** Validates one `packages[n]` element. */
export function toSecdbPackage(value: unknown, index: number): SecdbPackage {
  const where = `packages[${index}]`;
  if (!isObject(value) || !isObject(value.pkg)) throw new TypeError(`${where}: expected {"pkg": {…}}`);
  const { name, secfixes } = value.pkg;
  if (typeof name !== 'string') throw new TypeError(`${where}.pkg.name: expected a string`);
  if (secfixes === undefined || secfixes === null || secfixes === '') return { name, secfixes: [] };
  if (!isObject(secfixes)) throw new TypeError(`${where}.pkg.secfixes: expected an object`);
  return { name, secfixes: Object.entries(secfixes).map(([fixed, ids]) => [fixed, idsOf(ids, `${where}.pkg.secfixes["${fixed}"]`)]) };
}

/**
 * Streams the package entries of the secdb file at `file`. Invalid JSON, a
 * file cut short, or an entry of the wrong shape rejects with
 * `UPDATER_PARSE` prefixed by `component`.
 */
export async function* readSecdb(file: string, component: string): AsyncGenerator<SecdbPackage> {
  const stages: Array<Readable | Duplex> = [createReadStream(file), Parser.parser(), Pick.pick({ filter: PACKAGE_PATH }), StreamValues.streamValues()];
  const last = stages[stages.length - 1] as Duplex;
  // .pipe() does not forward errors; route every stage's error to the stage we read from.
  for (const stage of stages) stage.on('error', (err: Error) => last.destroy(err));
  for (let i = 1; i < stages.length; i++) (stages[i - 1] as Readable).pipe(stages[i] as Duplex);
  let index = 0;
  try {
    for await (const item of last as AsyncIterable<{ key: number; value: unknown }>) {
      yield toSecdbPackage(item.value, index++);
    }
  } catch (err) {
    if (isClairError(err)) throw err;
    throw clairError('UPDATER_PARSE', `${component}: malformed secdb ${file}: ${(err as Error).message}`, { cause: err });
  } finally {
    for (const stage of stages) stage.destroy();
  }
}
