/** @module SUSE OVAL severities: the vendor words every per-release OVAL feed uses (claircore `suse.NormalizeSeverity`). */
export { normalizeVendorSeverity as normalizeSuseSeverity } from '../oval/release.js';
