/**
 * @module The `ubuntu` set's configuration (`updaters.config.ubuntu`), with
 * claircore's defaults and key names.
 */
import type { Logger } from 'pino';
import { SetConfig } from '../shared-dpkg/config.js';

/** The set's name in `updaters.sets` and `updaters.config`. */
export const UBUNTU_SET_NAME = 'ubuntu';
/** Persisted: update operations are keyed by `<prefix><codename>`. Never rename. */
export const UBUNTU_UPDATER_PREFIX = 'ubuntu/updater/';

/** `ubuntu/updater/jammy`. */
export function ubuntuUpdaterName(codeName: string): string {
  return `${UBUNTU_UPDATER_PREFIX}${codeName}`;
}

/** `url` default: Launchpad's list of Ubuntu series. */
export const DEFAULT_SERIES_URL = 'https://api.launchpad.net/1.0/ubuntu/series';
/** `oval_url` default: Canonical's OVAL directory. */
export const DEFAULT_OVAL_URL = 'https://security-metadata.canonical.com/oval/';

/** A release given by hand: Launchpad is not asked about it. */
export interface ForcedRelease {
  name: string;
  version: string;
}

/** The checked `updaters.config.ubuntu`. */
export interface UbuntuConfig {
  /** Launchpad's series collection for the distribution; `''` skips Launchpad (use `force`). */
  url: string;
  /** Directory holding `com.ubuntu.<codename>.cve.oval.xml[.bz2]`. */
  ovalUrl: string;
  /** When set, only these codenames (active or not) get updaters. */
  releases: string[] | undefined;
  /** Releases added whatever Launchpad says (claircore `force`). */
  force: ForcedRelease[];
}

const KEYS = ['url', 'oval_url', 'releases', 'force'] as const;
const CODENAME = /^[a-z][a-z0-9-]*$/;
const VERSION = /^\d+\.\d+$/;

/** Checks and defaults `updaters.config.ubuntu`. */
export function ubuntuConfig(raw: unknown, log?: Logger): UbuntuConfig {
  const c = new SetConfig(UBUNTU_SET_NAME, raw);
  if (log) c.warnUnknown(KEYS, log);
  const ovalUrl = c.url('oval_url', DEFAULT_OVAL_URL, true);
  if (ovalUrl === '') throw c.invalid('oval_url', 'must not be empty');

  let releases: string[] | undefined;
  if (c.has('releases')) {
    const v = c.raw('releases');
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && CODENAME.test(x))) throw c.invalid('releases', 'must be a list of release code names, e.g. [jammy, noble]');
    releases = v as string[];
  }

  const force: ForcedRelease[] = [];
  if (c.has('force')) {
    const v = c.raw('force');
    if (!Array.isArray(v)) throw c.invalid('force', 'must be a list of {name, version}');
    v.forEach((item: unknown, i) => {
      const r = item as Record<string, unknown> | null;
      if (typeof r !== 'object' || r === null || typeof r.name !== 'string' || !CODENAME.test(r.name) || typeof r.version !== 'string' || !VERSION.test(r.version)) {
        throw c.invalid(`force[${i}]`, 'must be {name: <code name>, version: <NN.NN>}');
      }
      force.push({ name: r.name, version: r.version });
    });
  }
  return { url: c.url('url', DEFAULT_SERIES_URL), ovalUrl, releases, force };
}
