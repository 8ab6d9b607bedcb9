/**
 * @module The `ubuntu` updater set (claircore `ubuntu.Factory`): the active
 * series Launchpad lists (or the configured `releases`), plus any `force`d
 * ones, each kept only if its OVAL document is there: a HEAD of
 * `com.ubuntu.<codename>.cve.oval.xml.bz2`, then of the uncompressed
 * `.xml`, and the first that answers 200 (following a `Content-Location`)
 * is what the updater GETs.
 */
import type { Logger } from 'pino';
import { mapLimit } from '../../lib/concurrency.js';
import type { SetContext, UpdaterSetFactory } from '../updater.js';
import { probe } from '../download.js';
import { UBUNTU_SET_NAME, parseUbuntuConfig, type UbuntuConfig } from './config.js';
import { listSeries } from './launchpad.js';
import { UbuntuUpdater, type UbuntuRelease } from './updater.js';

const PROBES = 4; // HEAD requests in flight

/** The releases to build updaters for, before checking their OVAL exists. */
export async function candidateReleases(ctx: SetContext, cfg: UbuntuConfig): Promise<UbuntuRelease[]> {
  const series = await listSeries(ctx, cfg.seriesUrl);
  let chosen = series.filter((s) => s.active);
  if (cfg.releases !== undefined) {
    const wanted = new Set(cfg.releases);
    chosen = series.filter((s) => wanted.has(s.name));
    const missing = cfg.releases.filter((r) => !chosen.some((s) => s.name === r));
    if (missing.length > 0) ctx.log.warn({ releases: missing }, 'ubuntu releases not listed by launchpad');
  }
  const out = new Map(chosen.map((s) => [s.name, { codeName: s.name, versionId: s.version }]));
  for (const f of cfg.force) out.set(f.name, { codeName: f.name, versionId: f.version });
  return [...out.values()];
}

/** The URL of a release's OVAL document, or `undefined` when there is none. */
async function locateOval(ctx: SetContext, log: Logger, ovalUrl: string, release: UbuntuRelease): Promise<string | undefined> {
  const base = new URL(`com.ubuntu.${release.codeName}.cve.oval.xml`, ovalUrl).href;
  for (const url of [`${base}.bz2`, base]) {
    const got = await probe(ctx, url, { component: UBUNTU_SET_NAME });
    if ('error' in got) {
      log.warn({ release: release.codeName, url, err: got.error }, 'ubuntu release skipped: probe failed');
      return undefined;
    }
    if (got.status !== 200) continue;
    const location = got.headers.get('content-location');
    return location ? new URL(location, url).href : url;
  }
  log.info({ release: release.codeName, url: base }, 'ubuntu release skipped: no OVAL document');
  return undefined;
}

/** Builds one updater per Ubuntu release that has OVAL data. */
export const ubuntuSetFactory: UpdaterSetFactory = {
  name: UBUNTU_SET_NAME,
  checkConfig: (config) => parseUbuntuConfig(config).lints,
  async create(ctx) {
    const cfg = parseUbuntuConfig(ctx.config).config;
    const releases = await candidateReleases(ctx, cfg);
    const urls = await mapLimit(releases, PROBES, (r) => locateOval(ctx, ctx.log, cfg.ovalUrl, r));
    const updaters = releases.flatMap((r, i) => (urls[i] === undefined ? [] : [new UbuntuUpdater(r, urls[i])]));
    ctx.log.info({ releases: updaters.map((u) => u.release.codeName) }, 'ubuntu updaters built');
    return updaters;
  },
};
