/** @module Building scanned distributions with every field present. */
import type { ScannedDistribution } from './scanned.js';

/** A distribution with the given fields and `''` for the rest (claircore's zero values). */
export function distribution(fields: Partial<ScannedDistribution>): ScannedDistribution {
  return {
    did: fields.did ?? '',
    name: fields.name ?? '',
    version: fields.version ?? '',
    versionCodeName: fields.versionCodeName ?? '',
    versionId: fields.versionId ?? '',
    arch: fields.arch ?? '',
    cpe: fields.cpe ?? '',
    prettyName: fields.prettyName ?? '',
  };
}
