/**
 * @module `updaters.config.osv`: the bucket base URL and an optional
 * ecosystem allow-list (claircore `Config{URL, Allowlist}`).
 */
import { clairError } from '../../lib/errors.js';

/** The OSV project's bucket, as claircore's `DefaultURL`. */
export const DEFAULT_OSV_URL = 'https://osv-vulnerabilities.storage.googleapis.com/';

export interface OsvConfig {
  /** Base URL, always ending in `/`. */
  url: string;
  /** Lower-cased ecosystems to keep; `undefined` keeps every non-ignored one. */
  ecosystems?: ReadonlySet<string> | undefined;
}

function invalid(key: string, message: string): Error {
  return clairError('CONFIG_INVALID', `config: updaters.config.osv${key ? `.${key}` : ''}: ${message}`);
}

/** Validates the set's config (absent means defaults). `allowlist` is accepted as claircore's spelling of `ecosystems`. */
export function parseOsvConfig(raw: unknown): OsvConfig {
  if (raw === undefined || raw === null) return { url: DEFAULT_OSV_URL };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('', 'expected an object');
  const c = raw as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!['url', 'ecosystems', 'allowlist'].includes(key)) throw invalid(key, 'unknown key (known: url, ecosystems, allowlist)');
  }
  let url = DEFAULT_OSV_URL;
  if (c.url !== undefined) {
    if (typeof c.url !== 'string' || c.url === '') throw invalid('url', 'expected a URL string');
    let parsed: URL;
    try {
      parsed = new URL(c.url);
    } catch {
      throw invalid('url', `not a URL: ${JSON.stringify(c.url)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid('url', `expected http or https, got ${parsed.protocol}`);
    url = parsed.href.endsWith('/') ? parsed.href : `${parsed.href}/`;
  }
  let ecosystems: Set<string> | undefined;
  for (const key of ['ecosystems', 'allowlist'] as const) {
    const value = c[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) throw invalid(key, 'expected a list of non-empty strings');
    ecosystems ??= new Set();
    for (const v of value as string[]) ecosystems.add(v.toLowerCase());
  }
  return ecosystems && ecosystems.size > 0 ? { url, ecosystems } : { url };
}
