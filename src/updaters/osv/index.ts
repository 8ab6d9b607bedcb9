/**
 * @module The `osv` updater set (claircore `updater/osv`): one `osv/<eco>`
 * updater per language ecosystem listed in the OSV bucket's `ecosystems.txt`.
 */
export { DEFAULT_OSV_URL, ecosystemsUrl, parseOsvConfig, parseOsvUpdaterConfig, type OsvConfig } from './config.js';
export { cvss2BaseScore, cvss3BaseScore, severityFromCvss2Score, severityFromCvss3Score } from './cvss.js';
export { IGNORED_ECOSYSTEMS, OSV_SET_NAME, createOsvFactory, osvSetFactory, wantedEcosystems } from './factory.js';
export {
  INFINITE_UPPER,
  OSV_LINK_PREFIX,
  ecosystemQuery,
  intervals,
  normalizeSemverEvent,
  osvPackageName,
  osvRecords,
  osvRepository,
  osvSeverity,
  osvUpdaterName,
  pep503,
  semverRange,
  severityFromText,
  skipReason,
  type OsvInterval,
} from './records.js';
export { DEFAULT_MAX_ENTRY_BYTES, OsvUpdater } from './updater.js';
