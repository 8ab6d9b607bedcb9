/**
 * @module `updaters.config.osv` (claircore `osv.FactoryConfig`: `url`,
 * `allowlist`) and the per-updater `updaters.config.osv/<ecosystem>`
 * (claircore `osv.UpdaterConfig`: `url`).
 */
import type { Lint } from '../../lib/config-lint.js';
import { ConfigBlock } from '../config-block.js';
import { withPath } from '../go-url.js';

/** The OSV project's bucket, as claircore's `DefaultURL`. */
export const DEFAULT_OSV_URL = 'https://osv-vulnerabilities.storage.googleapis.com/';

export interface OsvConfig {
  /** The root as configured; see {@link ecosystemsUrl} and `OsvUpdater` for what is requested. */
  url: string;
  /** Lower-cased ecosystems to keep; `undefined` keeps every non-ignored one. */
  ecosystems?: ReadonlySet<string> | undefined;
}

/** Where claircore reads the ecosystem list: `/ecosystems.txt` on the root's host (its path is replaced, not extended). */
export function ecosystemsUrl(root: string): string {
  return withPath(root, '/ecosystems.txt').href;
}

/**
 * Reads `updaters.config.osv`; the one parse `checkConfig` and `create`
 * share. `ecosystems`, this project's earlier name for `allowlist`, is still
 * read (merged with it), with a lint.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseOsvConfig(raw: unknown): { config: OsvConfig; lints: Lint[] } {
  const c = new ConfigBlock('osv', raw, ['url', 'allowlist', 'ecosystems']);
  const url = c.url('url') ?? DEFAULT_OSV_URL;
  if (new URL(url).pathname !== '/') {
    c.lint('url', `claircore reads the ecosystem list from the host root (${ecosystemsUrl(url)}), not from under this path; the bundles are read from under it`);
  }
  let ecosystems: Set<string> | undefined;
  for (const key of ['allowlist', 'ecosystems'] as const) {
    const list = c.strings(key);
    if (list === undefined || list.length === 0) continue;
    if (key === 'ecosystems') c.lint(key, 'renamed: use "allowlist", claircore\'s key (read here for now)');
    ecosystems ??= new Set();
    for (const v of list) ecosystems.add(v.toLowerCase());
  }
  return { config: ecosystems ? { url, ecosystems } : { url }, lints: c.lints };
}

/**
 * Reads `updaters.config.osv/<ecosystem>`: `url`, when set, replaces the
 * bundle's URL as is.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseOsvUpdaterConfig(name: string, raw: unknown): { url: string | undefined; lints: Lint[] } {
  const c = new ConfigBlock(name, raw, ['url']);
  return { url: c.url('url'), lints: c.lints };
}
