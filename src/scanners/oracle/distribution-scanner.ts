/**
 * @module Oracle Linux distribution scanner (claircore
 * `oracle.DistributionScanner`). Oracle's ELSA data is per major release, so
 * "Oracle Linux Server [release] N[.M]" in `etc/os-release` (or, for Oracle
 * Linux 5, `etc/issue`) gives the record for release N, in the shape of
 * claircore's release table (`versionCodeName` "Oracle Linux N").
 */
import type { ScannedDistribution } from '../../model/scanned.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { checkAborted, readSmallText } from '../internal/layer-files.js';
import { OS_RELEASE_PATH } from '../osrelease/parse.js';
import { oracleRelease } from '../../model/releases.js';

/** Persisted identity; changing it is a migration. */
export const ORACLE_DISTRIBUTION_SCANNER_NAME = 'oracle';
export const ORACLE_DISTRIBUTION_SCANNER_VERSION = 'v0.0.1';
export const ORACLE_DISTRIBUTION_SCANNER_KIND = 'distribution';

/** Oracle Linux 5 has no os-release file, only this one. */
export const ISSUE_PATH = 'etc/issue';

const RELEASE_RE = /Oracle Linux Server(?: release)? ?([0-9]+)(?:\.[0-9]*)?/i;

/** The Oracle Linux release named in a release file's text, if any. */
export function oracleFromText(text: string): ScannedDistribution | undefined {
  const m = RELEASE_RE.exec(text);
  return m ? oracleRelease(Number(m[1])) : undefined;
}

/** Detects Oracle Linux releases. */
export const oracleDistributionScanner = {
  name: ORACLE_DISTRIBUTION_SCANNER_NAME,
  version: ORACLE_DISTRIBUTION_SCANNER_VERSION,
  kind: ORACLE_DISTRIBUTION_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    for (const path of [OS_RELEASE_PATH, ISSUE_PATH]) {
      const text = await readSmallText(layer, path, ORACLE_DISTRIBUTION_SCANNER_NAME);
      const dist = text === undefined ? undefined : oracleFromText(text);
      if (dist !== undefined) return [dist];
    }
    return [];
  },
} satisfies DistributionScanner;
