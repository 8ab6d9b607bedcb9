/**
 * @module Reading a set factory's `updaters.config.<set>` block: an object
 * whose keys are all optional. Wrong types fail the set with
 * `CONFIG_INVALID`, naming the key.
 */
import { clairError } from '../../lib/errors.js';

/** The block as an object (`{}` when absent); a key outside `keys` is rejected, as it is most likely a typo. */
export function configObject(set: string, raw: unknown, keys: readonly string[]): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw clairError('CONFIG_INVALID', `config: updaters.config.${set} must be a mapping`);
  }
  const unknown = Object.keys(raw).filter((k) => !keys.includes(k));
  if (unknown.length > 0) {
    throw clairError('CONFIG_INVALID', `config: updaters.config.${set}: unknown key(s) ${unknown.join(', ')} (known: ${keys.join(', ')})`);
  }
  return raw as Record<string, unknown>;
}

/** `cfg[key]` as a string; absent, null or `''` → `undefined`. */
export function optionalString(set: string, cfg: Record<string, unknown>, key: string): string | undefined {
  const v = cfg[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw clairError('CONFIG_INVALID', `config: updaters.config.${set}.${key} must be a string`);
  return v;
}

/** `cfg[key]` as an integer; absent or null → `undefined`. */
export function optionalInteger(set: string, cfg: Record<string, unknown>, key: string): number | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw clairError('CONFIG_INVALID', `config: updaters.config.${set}.${key} must be an integer`);
  return v;
}

/** `cfg[key]` as a list of strings; absent or null → `undefined`. */
export function optionalStrings(set: string, cfg: Record<string, unknown>, key: string): string[] | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    throw clairError('CONFIG_INVALID', `config: updaters.config.${set}.${key} must be a list of strings`);
  }
  return v as string[];
}

/** An http(s) base URL, with a trailing slash added when missing (as claircore does). */
export function baseUrl(set: string, key: string, value: string): string {
  const withSlash = value.endsWith('/') ? value : `${value}/`;
  let url: URL;
  try {
    url = new URL(withSlash);
  } catch {
    throw clairError('CONFIG_INVALID', `config: updaters.config.${set}.${key} is not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw clairError('CONFIG_INVALID', `config: updaters.config.${set}.${key} must be an http(s) URL: ${value}`);
  }
  return url.href;
}
