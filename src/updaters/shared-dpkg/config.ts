/**
 * @module Reading an updater set's `updaters.config.<set>` block: the config
 * arrives as untyped YAML, so every key is checked here and a wrong type is a
 * `CONFIG_INVALID` error naming the key path.
 */
import type { Logger } from 'pino';
import { clairError } from '../../lib/errors.js';

/** A checked view of one set's config object. */
export class SetConfig {
  readonly #set: string;
  readonly #values: Readonly<Record<string, unknown>>;

  /** `undefined`/`null` is an empty config; anything but a mapping is an error. */
  constructor(set: string, config: unknown) {
    this.#set = set;
    if (config === undefined || config === null) this.#values = {};
    else if (typeof config === 'object' && !Array.isArray(config)) this.#values = config as Record<string, unknown>;
    else throw this.invalid('', 'must be a mapping');
  }

  /** The error for a bad value at `key`. */
  invalid(key: string, problem: string): Error {
    const path = ['updaters', 'config', this.#set, ...(key === '' ? [] : [key])].join('.');
    return clairError('CONFIG_INVALID', `config: ${path}: ${problem}`);
  }

  /** Warns about keys this set does not know (a typo would otherwise be silently ignored). */
  warnUnknown(known: readonly string[], log: Logger): void {
    const unknown = Object.keys(this.#values).filter((k) => !known.includes(k));
    if (unknown.length > 0) log.warn({ set: this.#set, keys: unknown }, 'updater set config keys ignored');
  }

  has(key: string): boolean {
    return this.#values[key] !== undefined && this.#values[key] !== null;
  }

  /** A string value, or `fallback` when absent. */
  string(key: string, fallback: string): string {
    const v = this.#values[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string') throw this.invalid(key, 'must be a string');
    return v;
  }

  /**
   * An absolute http(s) URL, or `fallback`; `''` stays `''` (turns a source
   * off). With `directory`, a missing trailing `/` is added so relative paths
   * resolve beneath it.
   */
  url(key: string, fallback: string, directory = false): string {
    const v = this.string(key, fallback);
    if (v === '') return v;
    let parsed: URL;
    try {
      parsed = new URL(v);
    } catch {
      throw this.invalid(key, `not a URL: ${JSON.stringify(v)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw this.invalid(key, `must be an http(s) URL: ${JSON.stringify(v)}`);
    if (directory && !parsed.pathname.endsWith('/')) parsed.pathname += '/';
    return parsed.href;
  }

  /** The raw value for set-specific checking. */
  raw(key: string): unknown {
    return this.#values[key];
  }
}
