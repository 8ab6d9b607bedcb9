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
 *       url: https://api.launchpad.net/1.0/   # Launchpad API root (claircore)
 *       name: ubuntu                          # distribution; series at <url><name>/series
 *       force: [{name: focal, version: '20.04'}]
 *       oval_url: https://security-metadata.canonical.com/oval/   # extension
 *       releases: [jammy, noble]              # extension: only these
 *     ubuntu/updater/jammy:
 *       url: https://mirror.example/com.ubuntu.jammy.cve.oval.xml.bz2
 * ```
 */
/** The set factory, and the release selection it applies. */
export { ubuntuSetFactory, candidateReleases } from './factory.js';
/** Names and config reading. */
export {
  DEFAULT_API_URL,
  DEFAULT_DISTRIBUTION_NAME,
  DEFAULT_OVAL_URL,
  UBUNTU_SET_NAME,
  UBUNTU_UPDATER_PREFIX,
  parseUbuntuConfig,
  parseUbuntuUpdaterConfig,
  ubuntuUpdaterName,
  type UbuntuConfig,
  type UbuntuUpdaterConfig,
} from './config.js';
/** The updater class (tests, offline tooling). */
export { UbuntuUpdater, type UbuntuRelease } from './updater.js';
