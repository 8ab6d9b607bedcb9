/**
 * @module Red Hat VEX updater (claircore `rhel/vex`): the `rhel-vex` set
 * factory, its one `rhel-vex` updater, and the single-document parser for
 * tools and tests.
 */
export { RhelVexUpdater, rhelVexSetFactory, RHEL_VEX_SET_NAME } from './updater.js';
export { parseRhelVexConfig, parseRhelVexUpdaterConfig, DEFAULT_BASE_URL, DEFAULT_COMPRESSED_FILE_TIMEOUT_MS, type RhelVexConfig, type RhelVexUpdaterConfig } from './config.js';
export { parseVexDocument, normalizeImpact, RHEL_VEX_UPDATER_NAME, type DocumentParseOptions } from './parse-document.js';
export { KERNEL_ALLOW_LIST } from './purl-fields.js';
