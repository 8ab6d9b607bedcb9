/**
 * @module Which OVAL files of SUSE's directory listing get an updater
 * (claircore `suse.Factory`): `suse.linux.enterprise.server.N.xml.gz` for
 * two-digit N without a zero digit (11, 12, 15…), and
 * `opensuse.leap.X.Y.xml.gz` for Leap 10.0–19.x from 15.5 on. The release
 * is the distribution the SUSE scanner reports for it.
 */
import type { VulnerableDistribution } from '../../model/index.js';
import { leapRelease, slesRelease } from '../../model/releases.js';

// Anchored, unlike claircore's, so `….xml.gz.sha256` or `…-patch.xml.gz` links do not match.
const SLES_FILE = /^suse\.linux\.enterprise\.server\.([1-9][1-9])\.xml\.gz$/;
const LEAP_FILE = /^opensuse\.leap\.(1[0-9]\.[0-9]+)\.xml\.gz$/;
/** claircore's `minimumLEAP`: older Leap releases are out of support. */
export const MINIMUM_LEAP = [15, 5] as const;

/** One release file found in the listing. */
export interface SuseFeed {
  /** The file's absolute URL. */
  url: string;
  distribution: VulnerableDistribution;
}

function leapSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > MINIMUM_LEAP[0] || (major === MINIMUM_LEAP[0] && minor >= MINIMUM_LEAP[1]);
}

/** The release an OVAL file name stands for, or `undefined` when it is not one the updaters read. */
export function suseFeedRelease(fileName: string): VulnerableDistribution | undefined {
  const sles = SLES_FILE.exec(fileName);
  if (sles?.[1] !== undefined) return slesRelease(sles[1]);
  const leap = LEAP_FILE.exec(fileName);
  if (leap?.[1] !== undefined && leapSupported(leap[1])) return leapRelease(leap[1]);
  return undefined;
}

const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

/**
 * The feeds an HTML directory listing links to, resolved against `base`,
 * each once, in listing order.
 */
export function suseFeeds(html: string, base: string): SuseFeed[] {
  const out = new Map<string, SuseFeed>();
  for (const m of html.matchAll(HREF)) {
    const href = m[1] ?? m[2] ?? '';
    let url: URL;
    try {
      url = new URL(href, base);
    } catch {
      continue;
    }
    const fileName = decodeURIComponent(url.pathname.split('/').pop() ?? '');
    const distribution = suseFeedRelease(fileName);
    if (distribution !== undefined && !out.has(fileName)) out.set(fileName, { url: url.href, distribution });
  }
  return [...out.values()];
}
