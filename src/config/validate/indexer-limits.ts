/**
 * @module `indexer.limits` and `indexer.layer_fetch` (extensions): what one
 * index request may cost, and how and from where layers are fetched. Every
 * value has a safe default. As with Clair's own integers, absent or 0 means
 * the default; for the limits, a negative value turns that limit off (with a
 * lint). The old flat keys `indexer.spool_max_bytes` and
 * `indexer.max_layer_bytes` are still read, with a lint naming the new key.
 */
import { BlockList, isIP } from 'node:net';
import { DEFAULTS } from '../defaults.js';
import type { Problems } from '../schema.js';
import type { IndexerLimits, LayerFetchConfig } from '../types.js';
import { list, num, obj, type LintCallback, type Obj } from './section.js';

/** The limits that count something; a negative value turns one off. */
const COUNTED = ['manifest_layers', 'layer_bytes', 'layer_entries', 'path_depth', 'compression_ratio', 'spool_bytes', 'affected_manifest_vulnerabilities'] as const;

/** Old flat keys and the limit each became. */
const MOVED = { spool_max_bytes: 'spool_bytes', max_layer_bytes: 'layer_bytes' } as const;

/**
 * Reads `indexer.limits` (and the old flat keys) from the decoded `indexer`
 * block `ix`. Problems are reported in every mode; lints only when `check`
 * (the mode runs the indexer).
 */
export function indexerLimits(ix: Obj | undefined, problems: Problems, lint: LintCallback, check: boolean): IndexerLimits {
  const given = obj(ix, 'limits') ?? {};
  const limits = { ...DEFAULTS.indexer.limits } as IndexerLimits;
  for (const key of COUNTED) {
    const value = num(given, key);
    if (value === undefined || value === 0) continue;
    if (value < 0) {
      limits[key] = Number.POSITIVE_INFINITY;
      if (check) lint(`indexer.limits.${key}`, 'negative: this limit is off');
    } else limits[key] = value;
  }
  for (const [old, key] of Object.entries(MOVED) as Array<[keyof typeof MOVED, (typeof MOVED)[keyof typeof MOVED]]>) {
    const value = num(ix, old);
    if (value === undefined) continue;
    if (num(given, key) !== undefined) {
      problems.add(`indexer.${old}`, `replaced by indexer.limits.${key}; set only that one`);
      continue;
    }
    if (check) lint(`indexer.${old}`, `moved to indexer.limits.${key}`);
    if (value < 0) problems.add(`indexer.${old}`, `must not be negative, got ${value}`);
    // The old spool key's 0 meant "no cap".
    else if (value === 0 && old === 'spool_max_bytes') limits.spool_bytes = Number.POSITIVE_INFINITY;
    else if (value > 0) limits[key] = value;
  }
  const timeout = num(given, 'index_timeout');
  if (timeout !== undefined && timeout < 0) problems.add('indexer.limits.index_timeout', 'must not be negative');
  else if (timeout) limits.index_timeout = timeout;
  return limits;
}

/** A host name, an IP address or a CIDR block; returns the reason it is none of them. */
export function checkHostPattern(entry: string): string | undefined {
  const slash = entry.indexOf('/');
  if (slash >= 0) {
    const address = entry.slice(0, slash);
    const bits = entry.slice(slash + 1);
    const family = isIP(address);
    if (family === 0 || !/^\d{1,3}$/.test(bits) || Number(bits) > (family === 4 ? 32 : 128)) return 'not a valid CIDR block';
    try {
      new BlockList().addSubnet(address, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    } catch {
      return 'not a valid CIDR block';
    }
    return undefined;
  }
  if (isIP(entry) !== 0) return undefined;
  if (!/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry)) return 'not a host name, IP address or CIDR block';
  return undefined;
}

/**
 * Reads `indexer.layer_fetch` from the decoded `indexer` block `ix`. Values
 * are only checked when `check` (the mode runs the indexer); otherwise a bad
 * value quietly falls back to its default.
 */
export function layerFetchConfig(ix: Obj | undefined, problems: Problems, check: boolean): LayerFetchConfig {
  const given = obj(ix, 'layer_fetch') ?? {};
  const defaults = DEFAULTS.indexer.layer_fetch;
  const positive = (key: 'connect_timeout' | 'response_timeout' | 'min_bytes_per_second' | 'attempts'): number => {
    const value = num(given, key);
    if (value === undefined || value === 0) return defaults[key];
    if (value < 0) {
      if (check) problems.add(`indexer.layer_fetch.${key}`, `must not be negative, got ${value}`);
      return defaults[key];
    }
    return value;
  };
  const hosts = (key: 'allow' | 'deny'): string[] => {
    const entries = list(given, key) ?? [];
    if (check) {
      entries.forEach((entry, i) => {
        const bad = checkHostPattern(entry);
        if (bad) problems.add(`indexer.layer_fetch.${key}[${i}]`, `${JSON.stringify(entry)}: ${bad}`);
      });
    }
    return entries;
  };
  return {
    connect_timeout: positive('connect_timeout'),
    response_timeout: positive('response_timeout'),
    min_bytes_per_second: positive('min_bytes_per_second'),
    attempts: positive('attempts'),
    allow: hosts('allow'),
    deny: hosts('deny'),
  };
}
