/**
 * @module RHEL distribution scanner (claircore `rhel.DistributionScanner`).
 *
 * The os-release file (`etc/os-release`, then `usr/lib/os-release`) is
 * searched for "Red Hat Enterprise Linux [Server|Atomic Host] [release] N";
 * `ID=hummingbird` is reported from its own fields. Additionally (beyond
 * claircore): CentOS, Rocky Linux and AlmaLinux map to the RHEL release of
 * their major version, and `etc/redhat-release` is read last so RHEL 6,
 * which has no os-release, is still found. Layers with `etc/oracle-release`
 * are left to the Oracle scanner, because Oracle Linux ships an unmodified
 * `etc/redhat-release`.
 */
import type { ScannedDistribution } from '../../model/scanned.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { distribution } from '../../model/distribution.js';
import { checkAborted, readSmallText } from '../internal/layer-files.js';
import { toFsCpe } from '../../model/cpe.js';
import { OS_RELEASE_FALLBACK_PATH, OS_RELEASE_PATH, parseOsRelease } from '../osrelease/parse.js';
import { RHEL_REBUILD_IDS, rhelRelease } from './release.js';

/** Persisted identity; changing it is a migration. */
export const RHEL_DISTRIBUTION_SCANNER_NAME = 'rhel';
export const RHEL_DISTRIBUTION_SCANNER_VERSION = '3';
export const RHEL_DISTRIBUTION_SCANNER_KIND = 'distribution';

export const REDHAT_RELEASE_PATH = 'etc/redhat-release';
export const ORACLE_RELEASE_PATH = 'etc/oracle-release';

const RELEASE_RE = /Red Hat Enterprise Linux (?:Server|Atomic Host)?\s*(?:release)?\s*(\d+)(?:\.\d)?/;

/** The RHEL release named anywhere in a release file's text, if any. */
export function rhelFromReleaseText(text: string): ScannedDistribution | undefined {
  const m = RELEASE_RE.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? rhelRelease(n) : undefined;
}

/** The distribution an os-release file describes for this scanner, if any. */
export function rhelFromOsRelease(text: string): ScannedDistribution | undefined {
  const named = rhelFromReleaseText(text);
  if (named !== undefined) return named;
  const parsed = parseOsRelease(text);
  if (!parsed.ok) return undefined;
  const kv = parsed.values;
  const id = kv.get('ID') ?? '';
  if (id === 'hummingbird') {
    return distribution({
      did: id,
      name: kv.get('NAME') ?? '',
      version: kv.get('VERSION') ?? '',
      versionId: kv.get('VERSION_ID') ?? '',
      prettyName: kv.get('PRETTY_NAME') ?? '',
      cpe: toFsCpe(kv.get('CPE_NAME') ?? '') ?? '',
    });
  }
  if (RHEL_REBUILD_IDS.has(id)) {
    const major = /^([0-9]+)(?:\.|$)/.exec(kv.get('VERSION_ID') ?? '');
    if (major) return rhelRelease(Number(major[1]));
  }
  return undefined;
}

/** Detects RHEL (and RHEL rebuild) releases. */
export const rhelDistributionScanner = {
  name: RHEL_DISTRIBUTION_SCANNER_NAME,
  version: RHEL_DISTRIBUTION_SCANNER_VERSION,
  kind: RHEL_DISTRIBUTION_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    if (layer.stat(ORACLE_RELEASE_PATH) !== undefined) return [];
    for (const path of [OS_RELEASE_PATH, OS_RELEASE_FALLBACK_PATH]) {
      const text = await readSmallText(layer, path, RHEL_DISTRIBUTION_SCANNER_NAME);
      const dist = text === undefined ? undefined : rhelFromOsRelease(text);
      if (dist !== undefined) return [dist];
    }
    const release = await readSmallText(layer, REDHAT_RELEASE_PATH, RHEL_DISTRIBUTION_SCANNER_NAME);
    const dist = release === undefined ? undefined : rhelFromReleaseText(release);
    return dist === undefined ? [] : [dist];
  },
} satisfies DistributionScanner;
