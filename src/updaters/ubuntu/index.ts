/**
 * @module The `ubuntu` updater set: one `ubuntu/updater/<codename>` per
 * Ubuntu release with a CVE OVAL document.
 *
 * @example
 * ```yaml
 * updaters:
 *   sets: [ubuntu]
 *   config:
 *     ubuntu:
 *       url: https://api.launchpad.net/1.0/ubuntu/series
 *       oval_url: https://security-metadata.canonical.com/oval/
 *       releases: [jammy, noble]            # optional: only these
 *       force: [{name: focal, version: '20.04'}]
 * ```
 */
/** The set factory, and the release selection it applies. */
export { ubuntuSetFactory, candidateReleases } from './factory.js';
/** Names and config reading. */
export { UBUNTU_SET_NAME, UBUNTU_UPDATER_PREFIX, ubuntuUpdaterName, ubuntuConfig, type UbuntuConfig } from './config.js';
/** The updater class (tests, offline tooling). */
export { UbuntuUpdater, type UbuntuRelease } from './updater.js';
