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
 *       mirror_url: https://deb.debian.org/debian/
 *       archive_url: https://archive.debian.org/debian/   # '' to skip retired releases
 *       json_url: https://security-tracker.debian.org/tracker/data/json
 * ```
 */
import type { UpdaterSetFactory } from '../updater.js';
import { DEBIAN_SET_NAME, debianConfig } from './config.js';
import { DebianUpdater } from './updater.js';

/** Names, config reading and the updater itself, for callers that build it directly. */
export { DEBIAN_SET_NAME, DEBIAN_UPDATER_NAME, debianConfig, type DebianConfig } from './config.js';
/** The updater class (tests, benchmarks, offline tooling). */
export { DebianUpdater } from './updater.js';

/**
 * Builds the Debian updater from `updaters.config.debian`. Release discovery
 * happens in `fetch`, so building never touches the network and an
 * unreachable mirror shows up as a failed run in `updater_status`.
 */
export const debianSetFactory: UpdaterSetFactory = {
  name: DEBIAN_SET_NAME,
  async create(ctx) {
    return [new DebianUpdater(debianConfig(ctx.config, ctx.log))];
  },
};
