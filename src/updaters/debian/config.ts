/**
 * @module The `debian` set's configuration (`updaters.config.debian`, claircore
 * `debian.FactoryConfig`) and the `debian/updater` updater's
 * (`updaters.config.debian/updater`, claircore `debian.UpdaterConfig`), with
 * claircore's keys, defaults and refusals.
 */
import type { Lint } from '../../lib/config-lint.js';
import { ConfigBlock } from '../config-block.js';

/** The set's name in `updaters.sets` and `updaters.config`. */
export const DEBIAN_SET_NAME = 'debian';
/** Persisted: update operations are keyed by it. Never rename. */
export const DEBIAN_UPDATER_NAME = 'debian/updater';

/** `mirror_url` default (claircore `DefaultMirror`): the mirror root, not its `debian/` directory. */
export const DEFAULT_MIRROR_URL = 'https://deb.debian.org/';
/** `json_url` default (claircore `DefaultJSON`): the security tracker's full JSON dump. */
export const DEFAULT_JSON_URL = 'https://security-tracker.debian.org/tracker/data/json';

/** The checked `updaters.config.debian`. */
export interface DebianConfig {
  /** The archive directory: `debian/` resolved against `mirror_url`, as claircore does. */
  archiveUrl: string;
  /** `dists/` under the archive, whose HTML index lists the releases. */
  distsUrl: string;
  /** The security tracker's JSON dump. */
  jsonUrl: string;
}

const FACTORY_KEYS = ['mirror_url', 'json_url', 'archive_url', 'oval_url'] as const;
const UPDATER_KEYS = ['json_url', 'url', 'dists_url', 'dists_urls'] as const;

/**
 * Reads `updaters.config.debian` exactly as claircore's `Factory.Configure`:
 * the archive is `debian/` resolved against `mirror_url` (so
 * `https://m.example/` gives `https://m.example/debian/`, and
 * `https://m.example/pub` gives `https://m.example/debian/`: the mirror URL
 * needs its trailing slash), and a non-empty `archive_url` or `oval_url` is
 * refused.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseDebianConfig(raw: unknown): { config: DebianConfig; lints: Lint[] } {
  const c = new ConfigBlock(DEBIAN_SET_NAME, raw, FACTORY_KEYS);
  const refused = 'neither archive_url nor oval_url should be populated anymore; use json_url and mirror_url instead';
  c.forbid('archive_url', refused);
  c.forbid('oval_url', refused);
  const mirror = c.url('mirror_url') ?? DEFAULT_MIRROR_URL;
  if (c.has('mirror_url') && !new URL(mirror).pathname.endsWith('/')) {
    c.lint('mirror_url', `has no trailing slash, so "debian/" replaces its last segment (${new URL('debian/', mirror).href}), as in claircore; end it with "/" if it names a directory`);
  }
  const archiveUrl = new URL('debian/', mirror).href;
  return {
    config: { archiveUrl, distsUrl: new URL('dists/', archiveUrl).href, jsonUrl: c.url('json_url') ?? DEFAULT_JSON_URL },
    lints: c.lints,
  };
}

/** The checked `updaters.config.debian/updater`: a replacement tracker URL, if any. */
export interface DebianUpdaterConfig {
  jsonUrl: string | undefined;
}

/**
 * Reads `updaters.config.debian/updater` as claircore's `updater.Configure`:
 * `json_url` replaces the tracker URL; a non-empty `url` or `dists_url` is
 * refused; `dists_urls` is read (it must be a list) and ignored.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseDebianUpdaterConfig(raw: unknown): { config: DebianUpdaterConfig; lints: Lint[] } {
  const c = new ConfigBlock(DEBIAN_UPDATER_NAME, raw, UPDATER_KEYS);
  const refused = 'neither url nor dists_url should be used anymore; use json_url instead';
  c.forbid('url', refused);
  c.forbid('dists_url', refused);
  c.list('dists_urls');
  c.ignored('dists_urls', 'unused (claircore ignores it too); releases come from the mirror_url of updaters.config.debian');
  return { config: { jsonUrl: c.url('json_url') }, lints: c.lints };
}

/** The checked `updaters.config.debian` without its lints (tools and benchmarks that build the updater directly). */
export function debianConfig(raw: unknown): DebianConfig {
  return parseDebianConfig(raw).config;
}
