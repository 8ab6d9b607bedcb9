/**
 * @module secdb-format updater sets: `alpine` (per release × repository,
 * discovered from secdb.alpinelinux.org), and the rolling `wolfi` and
 * `chainguard` feeds, which share the format.
 */
export { ALPINE_SET_NAME, AlpineUpdater, alpineFactory, alpineUpdater, alpineUpdaterName, createAlpineFactory } from './factory.js';
export { DEFAULT_REPOS, DEFAULT_SECDB_URL, parseAlpineConfig, parseAlpineUpdaterConfig, type AlpineConfig } from './config.js';
export { ALPINE_LINK_PREFIX, alpineRecords } from './records.js';
export { parseRelease, releaseDistribution, releaseName, type AlpineRelease } from './release.js';
export { readSecdb, type SecdbPackage } from './secdb.js';
export { SecdbUpdater, type SecdbRecordMapper, type SecdbUpdaterOptions } from './secdb-updater.js';
export {
  CHAINGUARD_SET_NAME,
  CHAINGUARD_UPDATER_NAME,
  CHAINGUARD_SECURITY_LINK_PREFIX,
  DEFAULT_CHAINGUARD_URL,
  DEFAULT_WOLFI_URL,
  WOLFI_SET_NAME,
  WOLFI_UPDATER_NAME,
  chainguardFactory,
  parseRollingConfig,
  rollingRecords,
  wolfiFactory,
} from './wolfi.js';
