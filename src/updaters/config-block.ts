/**
 * @module Reading one `updaters.config.<name>` block (a set factory's or an
 * updater's) the way claircore does. Clair hands each block to the
 * component as JSON, which it decodes with plain `json.Unmarshal` into a
 * config struct, so:
 *
 * - absent or `null` is an empty block, and a `null` value leaves a key at
 *   its default;
 * - anything but a mapping, or a value of the wrong JSON type, fails the
 *   decode: here `CONFIG_INVALID` naming the key path;
 * - unknown keys are ignored: here each one is also a lint, since a typo
 *   would otherwise go unnoticed;
 * - a key matches a field case-insensitively when no exact match exists
 *   (`URL` fills `url`): accepted, with a lint giving the spelling to use;
 * - the empty string means "use the default", as Go's zero value does.
 *
 * Every set's `checkConfig`, its `create` and each updater's `configure` read
 * through one parse function built on this class, so `clair -check`,
 * start-up and a run accept and reject exactly the same blocks.
 */
import { clairError, type ClairError } from '../lib/errors.js';
import type { Lint } from '../lib/config-lint.js';

/** The JSON type name Go's decoder reports (`string`, `number`, `bool`, `array`, `object`, `null`). */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'bool';
    case 'object':
      return 'object';
    default:
      return typeof value;
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * Checks `value` is an absolute http(s) URL; returns it as written (callers
 * resolve against it, so normalising here would change the result).
 */
export function checkHttpUrl(value: string, fail: (problem: string) => ClairError): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw fail(`not an absolute URL: ${JSON.stringify(value)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw fail(`must be an http(s) URL, got ${JSON.stringify(value)}`);
  return value;
}

/** A checked view of one config block; see the module comment for the rules. */
export class ConfigBlock {
  /** `updaters.config.<name>`. */
  readonly path: string;
  readonly #values = new Map<string, unknown>();
  readonly #lints: Lint[] = [];

  /**
   * @param name the set or updater name (the key under `updaters.config`)
   * @param raw the block as loaded from the config file
   * @param known every key the component reads, in claircore's spelling
   * @throws ClairError `CONFIG_INVALID` when `raw` is not a mapping
   */
  constructor(name: string, raw: unknown, known: readonly string[]) {
    this.path = `updaters.config.${name}`;
    if (raw === undefined || raw === null) return;
    if (!isMapping(raw)) throw this.invalid('', `must be a mapping, got ${jsonKind(raw)}`);
    for (const [key, value] of Object.entries(raw)) {
      const field = known.includes(key) ? key : known.find((k) => k.toLowerCase() === key.toLowerCase());
      if (field === undefined) {
        this.lint(key, `unknown key, ignored (known: ${known.join(', ')})`);
        continue;
      }
      if (field !== key) this.lint(key, `read as "${field}" (claircore matches keys case-insensitively); write "${field}"`);
      // Go's decoder fills fields in document order, so the last spelling wins.
      this.#values.set(field, value);
    }
  }

  /** The `CONFIG_INVALID` error for `key` (`''` for the block itself). */
  invalid(key: string, problem: string): ClairError {
    return clairError('CONFIG_INVALID', `config: ${this.keyPath(key)}: ${problem}`);
  }

  /** `updaters.config.<name>.<key>`. */
  keyPath(key: string): string {
    return key === '' ? this.path : `${this.path}.${key}`;
  }

  /** Adds a lint about `key`. */
  lint(key: string, message: string): void {
    this.#lints.push({ path: this.keyPath(key), message });
  }

  /** Every lint so far: unknown keys, case mismatches, and those added by the reader. */
  get lints(): Lint[] {
    return [...this.#lints];
  }

  /** True when `key` is present with a non-null value. */
  has(key: string): boolean {
    const v = this.#values.get(key);
    return v !== undefined && v !== null;
  }

  /** The raw value of `key` (`undefined` when absent or null). */
  raw(key: string): unknown {
    const v = this.#values.get(key);
    return v === null ? undefined : v;
  }

  /** A string; `undefined` when absent or null. */
  string(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw this.invalid(key, `must be a string, got ${jsonKind(v)}`);
    return v;
  }

  /** A non-empty string; `undefined` when absent, null or `''` (Go's zero value: use the default). */
  text(key: string): string | undefined {
    const v = this.string(key);
    return v === '' ? undefined : v;
  }

  /** An absolute http(s) URL, as written; `undefined` when absent, null or `''`. */
  url(key: string): string | undefined {
    const v = this.text(key);
    return v === undefined ? undefined : checkHttpUrl(v, (problem) => this.invalid(key, problem));
  }

  /** A boolean; `undefined` when absent or null. */
  boolean(key: string): boolean | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw this.invalid(key, `must be a boolean, got ${jsonKind(v)}`);
    return v;
  }

  /** An integer; `undefined` when absent or null. */
  integer(key: string): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw this.invalid(key, `must be an integer, got ${typeof v === 'number' ? String(v) : jsonKind(v)}`);
    return v;
  }

  /** A list; `undefined` when absent or null. */
  list(key: string): unknown[] | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw this.invalid(key, `must be a list, got ${jsonKind(v)}`);
    return v;
  }

  /** A list of strings (a null element is `''`, as Go decodes it); `undefined` when absent or null. */
  strings(key: string): string[] | undefined {
    const v = this.list(key);
    if (v === undefined) return undefined;
    return v.map((item, i) => {
      if (item === null) return '';
      if (typeof item !== 'string') throw this.invalid(`${key}[${i}]`, `must be a string, got ${jsonKind(item)}`);
      return item;
    });
  }

  /** A mapping; `undefined` when absent or null. */
  mapping(key: string): Record<string, unknown> | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (!isMapping(v)) throw this.invalid(key, `must be a mapping, got ${jsonKind(v)}`);
    return v;
  }

  /**
   * Rejects a key claircore refuses when set (a non-empty string), with
   * claircore's reason; a wrong type is rejected as for any string.
   */
  forbid(key: string, reason: string): void {
    if (this.text(key) !== undefined) throw this.invalid(key, reason);
  }

  /** A lint when `key` is set: claircore reads it but it changes nothing (deprecated or unused). */
  ignored(key: string, reason: string): void {
    if (this.has(key)) this.lint(key, reason);
  }
}
