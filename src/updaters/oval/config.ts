/**
 * @module Reading a set factory's `updaters.config.<set>` block: an object
 * whose keys are all optional. Wrong types fail the set with
 * `CONFIG_INVALID`, naming the key.
 */
import { clairError } from '../../lib/errors.js';

/** The block as an object (`{}` when absent). */
export function configObject(set: string, raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw clairError('CONFIG_INVALID', `config: updaters.config.${set} must be a mapping`);
  }
  return raw as Record<string, unknown>;
}

export function optionalString(set: string, cfg: Record<string, unknown>, key: string): string | undefined {
  const v = cfg[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw clairError('CONFIG_INVALID', `config: updaters.config.${set}.${key} must be a string`);
  return v;
}

export function optionalInteger(set: string, cfg: Record<string, unknown>, key: string): number | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw clairError('CONFIG_INVALID', `config: updaters.config.${set}.${key} must be an integer`);
  return v;
}

export function optionalStrings(set: string, cfg: Record<string, unknown>, key: string): string[] | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    throw clairError('CONFIG_INVALID', `config: updaters.config.${set}.${key} must be a list of strings`);
  }
  return v as string[];
}

/** A base URL that must parse, with a trailing slash (claircore adds one too). */
export function baseUrl(set: string, key: string, value: string): string {
  const withSlash = value.endsWith('/') ? value : `${value}/`;
  try {
    return new URL(withSlash).href;
  } catch {
    throw clairError('CONFIG_INVALID', `config: updaters.config.${set}.${key} is not a URL: ${value}`);
  }
}
