/**
 * @module The `debian` updater set (claircore `debian.Factory`): a single
 * `debian/updater` covering every numbered Debian release.
 *
 * @example
 * ```yaml
 * updaters:
 *   sets: [debian]
 *   config:
 *     debian:
 *       mirror_url: https://deb.debian.org/     # the mirror root; releases are read from debian/dists/
 *       json_url: https://security-tracker.debian.org/tracker/data/json
 *     debian/updater:
 *       json_url: https://tracker.mirror.example/json   # optional, wins over the set's
 * ```
 */
import type { UpdaterSetFactory } from '../updater.js';
import { DEBIAN_SET_NAME, parseDebianConfig } from './config.js';
import { DebianUpdater } from './updater.js';

/** Names, config reading and the updater itself, for callers that build it directly. */
export {
  DEBIAN_SET_NAME,
  DEBIAN_UPDATER_NAME,
  DEFAULT_JSON_URL,
  DEFAULT_MIRROR_URL,
  debianConfig,
  parseDebianConfig,
  parseDebianUpdaterConfig,
  type DebianConfig,
  type DebianUpdaterConfig,
} from './config.js';
/** The updater class (tests, benchmarks, offline tooling). */
export { DebianUpdater } from './updater.js';
/** The built-in release table and release discovery. */
export { KNOWN_DEBIAN_RELEASES, debianReleases, type DebianRelease } from './releases.js';

/**
 * Builds the Debian updater from `updaters.config.debian`. Release discovery
 * happens in `fetch`, so building never touches the network.
 */
export const debianSetFactory: UpdaterSetFactory = {
  name: DEBIAN_SET_NAME,
  checkConfig: (config) => parseDebianConfig(config).lints,
  async create(ctx) {
    return [new DebianUpdater(parseDebianConfig(ctx.config).config)];
  },
};
