/** @module SUSE Linux Enterprise Server and openSUSE Leap OVAL updaters (claircore `suse`). */
export { SUSE_OVAL_BASE, SUSE_SET_NAME, parseSuseConfig, susePrototypes, suseSetFactory, suseUpdater, suseUpdaterName } from './updater.js';
export { MINIMUM_LEAP, suseFeedRelease, suseFeeds, type SuseFeed } from './listing.js';
export { normalizeSuseSeverity } from './severity.js';
