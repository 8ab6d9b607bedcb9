/**
 * @module `updaters.config.alpine`: the secdb base URL, and optional fixed
 * release and repository lists that replace discovery.
 */
import { clairError } from '../../lib/errors.js';
import { parseRelease, type AlpineRelease } from './release.js';

/** The secdb base claircore uses. */
export const DEFAULT_SECDB_URL = 'https://secdb.alpinelinux.org/';
/** The repositories claircore reads for every release. */
export const DEFAULT_REPOS: readonly string[] = ['main', 'community'];

export interface AlpineConfig {
  /** Base URL of the secdb layout, always ending in `/`. */
  url: string;
  /** When set, these releases are used as is and nothing is probed. */
  releases?: AlpineRelease[];
  repos: readonly string[];
}

function invalid(key: string, message: string): Error {
  return clairError('CONFIG_INVALID', `config: updaters.config.alpine.${key}: ${message}`);
}

/** An absolute http(s) URL, or a catalogued config error naming `path`. */
export function httpUrl(value: unknown, fail: (message: string) => Error): URL {
  if (typeof value !== 'string' || value === '') throw fail('expected a URL string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail(`not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail(`expected http or https, got ${url.protocol}`);
  return url;
}

function stringList(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) throw invalid(key, 'expected a list of non-empty strings');
  return value as string[];
}

/** Validates the set's config (absent means defaults). */
export function parseAlpineConfig(raw: unknown): AlpineConfig {
  if (raw === undefined || raw === null) return { url: DEFAULT_SECDB_URL, repos: DEFAULT_REPOS };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw clairError('CONFIG_INVALID', 'config: updaters.config.alpine: expected an object');
  const c = raw as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!['url', 'releases', 'repos'].includes(key)) throw invalid(key, 'unknown key (known: url, releases, repos)');
  }
  let url = DEFAULT_SECDB_URL;
  if (c.url !== undefined) {
    const href = httpUrl(c.url, (m) => invalid('url', m)).href;
    // A base without the trailing slash would resolve `v3.3/` against its parent.
    url = href.endsWith('/') ? href : `${href}/`;
  }
  const repos = c.repos === undefined ? DEFAULT_REPOS : stringList(c.repos, 'repos');
  const config: AlpineConfig = { url, repos };
  if (c.releases !== undefined) {
    config.releases = stringList(c.releases, 'releases').map((r) => {
      const release = parseRelease(r);
      if (!release) throw invalid('releases', `not a release: ${JSON.stringify(r)} (expected like "v3.17" or "edge")`);
      return release;
    });
  }
  return config;
}
