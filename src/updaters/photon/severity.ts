/** @module Photon OVAL severities: the vendor words every per-release OVAL feed uses (claircore `photon.NormalizeSeverity`). */
export { normalizeVendorSeverity as normalizePhotonSeverity } from '../oval/release.js';
