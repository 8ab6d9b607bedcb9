/**
 * @module SUSE OVAL updaters, one per release file found in SUSE's listing
 * (claircore `suse.Factory` / `suse.Updater`).
 */
import type { VulnerableDistribution } from '../../model/index.js';
import type { Lint } from '../../lib/config-lint.js';
import { ConfigBlock } from '../config-block.js';
import { fetchText } from '../download.js';
import type { UpdaterSetFactory } from '../updater.js';
import { ovalRpmUpdater, ovalWording, releasePrototypes, type OvalRpmUpdater } from '../oval/index.js';
import { suseFeeds } from './listing.js';

/** Set name, and the `updaters.config` key. */
export const SUSE_SET_NAME = 'suse';
/** SUSE's OVAL directory; its HTML index lists the files. */
export const SUSE_OVAL_BASE = 'https://ftp.suse.com/pub/projects/security/oval/';

const LISTING_LIMIT = 32 * 1024 * 1024; // 32 MiB: the listing is well under 1 MiB

/**
 * Persisted: `suse-updater-<pretty name, lower-cased, spaces → dots>`, as
 * claircore names them: `suse-updater-suse.linux.enterprise.server.15`,
 * `suse-updater-opensuse.leap.15.5`.
 */
export function suseUpdaterName(distribution: VulnerableDistribution): string {
  return `suse-updater-${distribution.prettyName.toLowerCase().replaceAll(' ', '.')}`;
}

/** Record prototypes: every definition of a release file belongs to that release. */
export const susePrototypes = releasePrototypes;

/**
 * The updater for one release file (gzip-compressed, as SUSE serves them).
 * Per-updater config (`updaters.config.suse-updater-<release>`): claircore's
 * `url` and `compression`.
 */
export function suseUpdater(url: string, distribution: VulnerableDistribution): OvalRpmUpdater {
  return ovalRpmUpdater({ name: suseUpdaterName(distribution), url, compression: 'gzip', prototypes: susePrototypes(distribution) });
}

/**
 * Reads `updaters.config.suse` as claircore's `suse.Factory.Configure`: `url`
 * is the OVAL directory, a missing trailing `/` added. The one parse
 * `checkConfig` and `create` share.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseSuseConfig(raw: unknown): { base: string; lints: Lint[] } {
  const c = new ConfigBlock(SUSE_SET_NAME, raw, ['url']);
  const url = c.url('url') ?? SUSE_OVAL_BASE;
  return { base: url.endsWith('/') ? url : `${url}/`, lints: c.lints };
}

/**
 * `suse`: reads the listing at `url` (default SUSE's OVAL directory) and
 * creates an updater per SLES / Leap file it links to.
 */
export const suseSetFactory: UpdaterSetFactory = {
  name: SUSE_SET_NAME,
  checkConfig: (config) => parseSuseConfig(config).lints,
  async create(ctx) {
    const { base } = parseSuseConfig(ctx.config);
    const { text: html } = await fetchText(ctx, base, { component: SUSE_SET_NAME, wording: ovalWording(SUSE_SET_NAME), maxBytes: LISTING_LIMIT });
    const updaters = suseFeeds(html, base).map((f) => suseUpdater(f.url, f.distribution));
    // claircore returns an empty set silently; a listing without feeds is worth a warning.
    if (updaters.length === 0) ctx.log.warn({ base }, 'suse listing has no known OVAL files');
    ctx.log.debug({ base, updaters: updaters.map((u) => u.name) }, 'suse updaters created');
    return updaters;
  },
};
