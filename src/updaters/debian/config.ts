/**
 * @module The `debian` set's configuration (`updaters.config.debian`), with
 * claircore's defaults and key names.
 */
import type { Logger } from 'pino';
import { SetConfig } from '../shared-dpkg/config.js';

/** The set's name in `updaters.sets` and `updaters.config`. */
export const DEBIAN_SET_NAME = 'debian';
/** Persisted: update operations are keyed by it. Never rename. */
export const DEBIAN_UPDATER_NAME = 'debian/updater';

/** `mirror_url` default: the Debian CDN. */
export const DEFAULT_MIRROR_URL = 'https://deb.debian.org/debian/';
/** `archive_url` default: where retired releases move. */
export const DEFAULT_ARCHIVE_URL = 'https://archive.debian.org/debian/';
/** `json_url` default: the security tracker's full JSON dump. */
export const DEFAULT_JSON_URL = 'https://security-tracker.debian.org/tracker/data/json';

/** The checked `updaters.config.debian`. */
export interface DebianConfig {
  /** Archive whose `dists/` lists the current releases. */
  mirrorUrl: string;
  /** Archive of retired releases, also listed; `''` turns it off. */
  archiveUrl: string;
  /** The security tracker's JSON dump. */
  jsonUrl: string;
}

const KEYS = ['mirror_url', 'archive_url', 'json_url'] as const;

/** Checks and defaults `updaters.config.debian`. */
export function debianConfig(raw: unknown, log?: Logger): DebianConfig {
  const c = new SetConfig(DEBIAN_SET_NAME, raw);
  if (log) c.warnUnknown(KEYS, log);
  const mirrorUrl = c.url('mirror_url', DEFAULT_MIRROR_URL, true);
  const jsonUrl = c.url('json_url', DEFAULT_JSON_URL);
  if (mirrorUrl === '') throw c.invalid('mirror_url', 'must not be empty');
  if (jsonUrl === '') throw c.invalid('json_url', 'must not be empty');
  return { mirrorUrl, archiveUrl: c.url('archive_url', DEFAULT_ARCHIVE_URL, true), jsonUrl };
}
