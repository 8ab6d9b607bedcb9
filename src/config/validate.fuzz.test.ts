/**
 * Fuzzing validation with well-formed documents holding odd values: byte
 * mutation of a file rarely yields a document whose keys are all known but
 * whose values are extreme (huge or negative numbers, overlong durations,
 * malformed addresses, lists where strings go). Here a valid configuration
 * has some of its keys, taken from the schema, replaced by such values. Each
 * must validate, or fail with a CONFIG error, in every mode; a valid result
 * must print as `clairctl check-config` prints it.
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isClairError } from '../lib/errors.js';
import { FUZZ_RUNS } from '../test-support/fuzz.js';
import { formatEffectiveConfig } from './redact.js';
import { CONFIG_SCHEMA, setOwn, type PathSegment, type SchemaNode } from './schema.js';
import { MODES } from './types.js';
import { validateConfig } from './validate.js';

const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

/** Every key path the schema knows, objects included. */
function keyPaths(node: SchemaNode, prefix: string[] = []): string[][] {
  if (node.kind !== 'object') return [prefix];
  return [...(prefix.length > 0 ? [prefix] : []), ...Object.entries(node.fields).flatMap(([k, child]) => keyPaths(child, [...prefix, k]))];
}

const BASE = {
  http_listen_addr: ':6060',
  introspection_addr: ':8089',
  log_level: 'info',
  auth: { psk: { key: 'c2VjcmV0', iss: ['quay'] } },
  indexer: { connstring: 'host=db dbname=indexer', migrations: true, limits: { manifest_layers: 100, index_timeout: '10m' }, layer_fetch: { allow: ['10.0.0.0/8'] } },
  matcher: { connstring: 'postgres://db/matcher', indexer_addr: 'http://indexer:6060/', period: '6h' },
  updaters: { sets: ['alpine'], config: { alpine: { url: 'https://secdb.alpinelinux.org/' } } },
  notifier: {
    connstring: 'memory://',
    indexer_addr: 'http://indexer:6060/',
    matcher_addr: 'http://matcher:6060/',
    webhook: { target: 'http://hook/', callback: 'http://clair/notifier/api/v1/notification/', headers: { 'X-A': ['b'] } },
  },
  trace: { name: 'otlp', probability: 0.5 },
  metrics: { name: 'prometheus' },
};

const odd = fc.oneof(
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e-308, 0.5, Number.MAX_SAFE_INTEGER),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('', ' ', '0', '-1s', '1ns', '2562047h47m16.854775807s', '2562048h', '9999999999999999999h', '1.5.5s', '720h', '1e3s', '.s', 'µs'),
  fc.constantFrom(':', '[::1]', '[::1]:99999', 'host:-1', 'http://', 'http://[::1', 'ftp://x/', 'postgres://u:p@h:99999/d', 'embedded:///', 'memory://', 'host=x port=', "password='", '__proto__'),
  fc.string({ maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'X-A', 'Authorization', 'name', 'key'), fc.string({ maxLength: 8 })), fc.oneof(fc.string({ maxLength: 10 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }), fc.integer()), { maxKeys: 3 }),
);

function withValue(doc: unknown, path: readonly PathSegment[], value: unknown): unknown {
  const out = structuredClone(doc) as Record<string, unknown>;
  let at = out;
  for (const key of path.slice(0, -1)) {
    const next = at[key as string];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) setOwn(at, key as string, {});
    at = at[key as string] as Record<string, unknown>;
  }
  setOwn(at, path.at(-1) as string, value);
  return out;
}

describe('config validation: fuzz', () => {
  it('validates every configuration with odd values, or answers a CONFIG error, in every mode', () => {
    const paths = keyPaths(CONFIG_SCHEMA);
    const edits = fc.array(fc.tuple(fc.constantFrom(...paths), odd), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(edits, (changes) => {
        const doc = changes.reduce<unknown>((d, [path, value]) => withValue(d, path, value), BASE);
        for (const mode of MODES) {
          try {
            const { config } = validateConfig(doc, mode, { env: {}, checkFiles: false });
            formatEffectiveConfig(config, 'yaml');
            formatEffectiveConfig(config, 'json');
          } catch (err) {
            if (!isClairError(err, 'CONFIG_INVALID')) throw err;
          }
        }
      }),
      { numRuns: FUZZ_RUNS * 4, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  });
});
