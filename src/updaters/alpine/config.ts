/**
 * @module `updaters.config.alpine` (claircore `alpine.FactoryConfig`) and the
 * per-updater `updaters.config.alpine-<repo>-<release>-updater` (claircore
 * `alpine.UpdaterConfig`).
 *
 * | key | | default | meaning |
 * |---|---|---|---|
 * | `url` | claircore | `https://secdb.alpinelinux.org/` | base of the secdb layout; a missing trailing `/` is added, as claircore does |
 * | `releases` | extension | discovered | fixed list (`v3.19`, `3.20`, `edge`): no probing |
 * | `repos` | extension | `[main, community]` | repositories read for each release |
 */
import type { Lint } from '../../lib/config-lint.js';
import { ConfigBlock } from '../config-block.js';
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

const KEYS = ['url', 'releases', 'repos'] as const;

/**
 * Reads `updaters.config.alpine`; the one parse `checkConfig` and `create`
 * share.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseAlpineConfig(raw: unknown): { config: AlpineConfig; lints: Lint[] } {
  const c = new ConfigBlock('alpine', raw, KEYS);
  const given = c.url('url');
  // claircore appends the slash, so `v3.3/` resolves beneath the base rather than beside it.
  const url = given === undefined ? DEFAULT_SECDB_URL : given.endsWith('/') ? given : `${given}/`;
  const repoList = c.strings('repos');
  repoList?.forEach((r, i) => {
    if (r === '') throw c.invalid(`repos[${i}]`, 'must not be empty');
  });
  const config: AlpineConfig = { url, repos: repoList === undefined || repoList.length === 0 ? DEFAULT_REPOS : repoList };
  const releases = c.strings('releases');
  if (releases !== undefined && releases.length > 0) {
    config.releases = releases.map((r, i) => {
      const release = parseRelease(r);
      if (!release) throw c.invalid(`releases[${i}]`, `not a release: ${JSON.stringify(r)} (expected like "v3.17" or "edge")`);
      return release;
    });
  }
  return { config, lints: c.lints };
}

/**
 * Reads `updaters.config.alpine-<repo>-<release>-updater`: `url`, when set,
 * replaces the discovered secdb JSON URL as is.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseAlpineUpdaterConfig(name: string, raw: unknown): { url: string | undefined; lints: Lint[] } {
  const c = new ConfigBlock(name, raw, ['url']);
  return { url: c.url('url'), lints: c.lints };
}
