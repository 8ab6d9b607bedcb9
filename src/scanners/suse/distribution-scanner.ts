/**
 * @module SUSE distribution scanner (claircore `suse.DistributionScanner`):
 * the os-release `CPE_NAME` decides. `cpe:/o:suse:sles:15:sp5` is SLES 15
 * (SUSE's security data is per major release, covering all service packs);
 * `cpe:/o:opensuse:leap:15.5` is openSUSE Leap 15.5. The records equal the
 * ones claircore's SUSE updater attaches to vulnerabilities, so the matcher's
 * DID/name/version query finds them. Beyond claircore, Tumbleweed
 * (`cpe:/o:opensuse:tumbleweed:<snapshot>`) is reported with an empty
 * version, as a rolling release has no version to match on.
 */
import type { ScannedDistribution } from '../../model/scanned.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { checkAborted, readSmallText } from '../internal/layer-files.js';
import { cpeValueText, unbindCpe } from '../../model/cpe.js';
import { OS_RELEASE_PATH, parseOsRelease } from '../osrelease/parse.js';
import { slesRelease, leapRelease, TUMBLEWEED } from '../../model/releases.js';

/** Persisted identity; changing it is a migration. */
export const SUSE_DISTRIBUTION_SCANNER_NAME = 'suse';
export const SUSE_DISTRIBUTION_SCANNER_VERSION = 'v0.0.1';
export const SUSE_DISTRIBUTION_SCANNER_KIND = 'distribution';

/** The legacy release file, tried after os-release (it carries no CPE, so it never matches on its own). */
export const SUSE_RELEASE_PATH = 'etc/SuSE-release';

/** The SUSE release an os-release `CPE_NAME` names, if any. */
export function suseFromCpe(cpeName: string): ScannedDistribution | undefined {
  const wfn = unbindCpe(cpeName);
  if (wfn === undefined) return undefined;
  const vendor = cpeValueText(wfn.vendor);
  const product = cpeValueText(wfn.product);
  const version = cpeValueText(wfn.version);
  if (vendor === 'opensuse' && product === 'leap') return leapRelease(version);
  if (vendor === 'opensuse' && product === 'tumbleweed') return TUMBLEWEED;
  if (vendor === 'suse' && product === 'sles') {
    // claircore canonicalises with a lenient semver parse and keeps the major.
    const major = /^v?([0-9]+)(?:\.[0-9]+){0,2}$/.exec(version);
    return major ? slesRelease(String(Number(major[1]))) : undefined;
  }
  return undefined;
}

/** Detects SLES, openSUSE Leap and openSUSE Tumbleweed. */
export const suseDistributionScanner = {
  name: SUSE_DISTRIBUTION_SCANNER_NAME,
  version: SUSE_DISTRIBUTION_SCANNER_VERSION,
  kind: SUSE_DISTRIBUTION_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    for (const path of [OS_RELEASE_PATH, SUSE_RELEASE_PATH]) {
      const text = await readSmallText(layer, path, SUSE_DISTRIBUTION_SCANNER_NAME);
      if (text === undefined) continue;
      const parsed = parseOsRelease(text);
      const cpe = parsed.ok ? parsed.values.get('CPE_NAME') : undefined;
      const dist = cpe === undefined ? undefined : suseFromCpe(cpe);
      if (dist !== undefined) return [dist];
    }
    return [];
  },
} satisfies DistributionScanner;
