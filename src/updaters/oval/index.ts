/**
 * @module Shared streaming OVAL rpminfo support for the Oracle, SUSE and
 * Photon updaters (claircore `pkg/ovalutil`).
 */
export type { Criteria, CriteriaNode, Criterion, ExtendDefinition, OvalAdvisory, OvalAffected, OvalDefinition, OvalReference, OvalValue, RpmInfoState, RpmInfoTables, RpmInfoTest } from './types.js';
export { readRpmInfoTables } from './tables.js';
export { readDefinitions } from './definitions.js';
export { enabledModules, flattenCriteria } from './criteria.js';
export { definitionRecords, mapArchOp, ovalRpmRecords, rpmTuples, type OvalRpmOptions, type RecordPrototype, type RpmPackageTuple } from './rpm.js';
export { ovalAliases, ovalLinks } from './links.js';
export { normalizeVendorSeverity, releasePrototypes } from './release.js';
export { parseOvalDate } from './date.js';
export { compressionOf, parseCompression, resolveCompression, type Compression, type CompressionSetting } from '../../lib/compression.js';
export { conditionalHeaders, formatFingerprint, nextFingerprint, parseFingerprint, type OvalFingerprint } from './fingerprint.js';
export { fetchOval, OVAL_FILE, ovalWording, type OvalFetchOptions } from './fetch.js';
export { OvalFileUpdater, OvalRpmUpdater, ovalRpmUpdater, parseOvalFetcherConfig, type OvalFetcherConfig, type OvalRpmUpdaterOptions } from './updater.js';
