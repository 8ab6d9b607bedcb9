/**
 * @module The `ubuntu` set's configuration (`updaters.config.ubuntu`, claircore
 * `ubuntu.FactoryConfig`) and each updater's
 * (`updaters.config.ubuntu/updater/<codename>`, claircore
 * `ubuntu.UpdaterConfig`), with claircore's keys and defaults.
 */
import { posix } from 'node:path';
import type { Lint } from '../../lib/config-lint.js';
import { ConfigBlock } from '../config-block.js';

/** The set's name in `updaters.sets` and `updaters.config`. */
export const UBUNTU_SET_NAME = 'ubuntu';
/** Persisted: update operations are keyed by `<prefix><codename>`. Never rename. */
export const UBUNTU_UPDATER_PREFIX = 'ubuntu/updater/';

/** `ubuntu/updater/jammy`. */
export function ubuntuUpdaterName(codeName: string): string {
  return `${UBUNTU_UPDATER_PREFIX}${codeName}`;
}

/** `url` default (claircore `defaultAPI`): the Launchpad API root. */
export const DEFAULT_API_URL = 'https://api.launchpad.net/1.0/';
/** `name` default: the distribution as Launchpad names it. */
export const DEFAULT_DISTRIBUTION_NAME = 'ubuntu';
/** `oval_url` default: Canonical's OVAL directory (claircore hard-codes it). */
export const DEFAULT_OVAL_URL = 'https://security-metadata.canonical.com/oval/';

/** A release given by hand: added whatever Launchpad says. */
export interface ForcedRelease {
  name: string;
  version: string;
}

/** The checked `updaters.config.ubuntu`. */
export interface UbuntuConfig {
  /** Launchpad's series collection: `<name>/series` resolved against `url`. */
  seriesUrl: string;
  /** Directory holding `com.ubuntu.<codename>.cve.oval.xml[.bz2]`. */
  ovalUrl: string;
  /** When set, only these codenames (active or not) get updaters. */
  releases: string[] | undefined;
  /** Releases added whatever Launchpad says (claircore `force`). */
  force: ForcedRelease[];
}

const KEYS = ['url', 'name', 'force', 'oval_url', 'releases'] as const;
const CODENAME = /^[a-z][a-z0-9-]*$/;
const VERSION = /^\d+\.\d+$/;

/**
 * Reads `updaters.config.ubuntu` as claircore's `Factory.Configure`: the
 * series list is `path.Join(name, "series")` resolved against `url`, so
 * `https://api.launchpad.net/1.0/` gives `…/1.0/ubuntu/series` (and, as
 * in claircore, a `url` without its trailing slash loses its last segment).
 * `oval_url` and `releases` are extensions. The one parse `checkConfig` and
 * `create` share.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseUbuntuConfig(raw: unknown): { config: UbuntuConfig; lints: Lint[] } {
  const c = new ConfigBlock(UBUNTU_SET_NAME, raw, KEYS);
  const api = c.url('url') ?? DEFAULT_API_URL;
  const name = c.text('name') ?? DEFAULT_DISTRIBUTION_NAME;
  const seriesUrl = new URL(posix.join(name, 'series'), api).href;
  if (c.has('url') && /\/series\/?$/.test(new URL(api).pathname)) {
    c.lint('url', `is the Launchpad API root in claircore ("${DEFAULT_API_URL}"); "<name>/series" is appended, giving ${seriesUrl}`);
  } else if (c.has('url') && !new URL(api).pathname.endsWith('/')) {
    c.lint('url', `has no trailing slash, so "${name}/series" replaces its last segment (${seriesUrl}), as in claircore; end it with "/"`);
  }
  const ovalUrl = c.url('oval_url') ?? DEFAULT_OVAL_URL;

  let releases: string[] | undefined;
  const listed = c.strings('releases');
  if (listed !== undefined && listed.length > 0) {
    listed.forEach((r, i) => {
      if (!CODENAME.test(r)) throw c.invalid(`releases[${i}]`, `${JSON.stringify(r)} is not a release code name, e.g. jammy`);
    });
    releases = listed;
  }

  const force: ForcedRelease[] = [];
  (c.list('force') ?? []).forEach((item: unknown, i) => {
    const key = `force[${i}]`;
    if (item === null) return;
    if (typeof item !== 'object' || Array.isArray(item)) throw c.invalid(key, 'must be a mapping {name: <code name>, version: <NN.NN>}');
    const pair = new ConfigBlock(`${UBUNTU_SET_NAME}.${key}`, item, ['name', 'version']);
    const forcedName = pair.string('name') ?? '';
    const version = pair.string('version') ?? '';
    if (!CODENAME.test(forcedName)) throw pair.invalid('name', `${JSON.stringify(forcedName)} is not a release code name, e.g. focal`);
    if (!VERSION.test(version)) throw pair.invalid('version', `${JSON.stringify(version)} is not a version like "20.04" (quote it in YAML)`);
    for (const l of pair.lints) c.lint(l.path.slice(`${c.path}.`.length), l.message);
    force.push({ name: forcedName, version });
  });
  return { config: { seriesUrl, ovalUrl: ovalUrl.endsWith('/') ? ovalUrl : `${ovalUrl}/`, releases, force }, lints: c.lints };
}

/** The checked `updaters.config.ubuntu/updater/<codename>`. */
export interface UbuntuUpdaterConfig {
  /** Replaces the OVAL document's URL, as is. */
  url: string | undefined;
}

/**
 * Reads `updaters.config.ubuntu/updater/<codename>` as claircore's
 * `updater.Configure`: `url` replaces the document URL; `use_bzip2` is read
 * (a boolean) but not needed, since the download's compression is detected
 * from its first bytes.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseUbuntuUpdaterConfig(name: string, raw: unknown): { config: UbuntuUpdaterConfig; lints: Lint[] } {
  const c = new ConfigBlock(name, raw, ['url', 'use_bzip2']);
  c.boolean('use_bzip2');
  c.ignored('use_bzip2', 'not needed: bzip2 is detected from the downloaded data, so this setting changes nothing');
  return { config: { url: c.url('url') }, lints: c.lints };
}
