/**
 * @module The `alpine` updater set (claircore `alpine.Factory`). It discovers
 * what the secdb offers instead of hard-coding releases:
 *
 * 1. GET `last-update` (with the ETag of the previous call). A 304, or the
 *    same body as last time, means nothing changed upstream: the previous
 *    set is returned without probing.
 * 2. HEAD `v3.3/`, `v3.4/`, … until a 404; then the next major from `.0`
 *    (`v4.0/`, …); a 404 on a major's first probe ends discovery. `edge` is
 *    always a candidate.
 * 3. HEAD `<release>/<repo>.json` for each repo; a 404 leaves that pair out.
 *
 * With `releases` configured, discovery is skipped and those releases (×
 * `repos`) are used as is.
 */
import type { Logger } from 'pino';
import type { Lint } from '../../lib/config-lint.js';
import { clairError } from '../../lib/errors.js';
import type { SetContext, Updater, UpdaterSetFactory } from '../updater.js';
import { parseAlpineConfig, parseAlpineUpdaterConfig, type AlpineConfig } from './config.js';
import { fetchText, probe, type FetchContext } from '../download.js';
import { alpineRecords } from './records.js';
import { releaseDistribution, releaseName, type AlpineRelease } from './release.js';
import { SecdbUpdater } from './secdb-updater.js';

/** Persisted set name (`updaters.sets`). */
export const ALPINE_SET_NAME = 'alpine';
const COMPONENT = 'alpine';
/** claircore starts at v3.3: earlier releases never had a secdb. */
const FIRST = { major: 3, minor: 3 } as const;
// Guards against a server that answers 200 to everything: no real layout comes near these.
const MAX_MAJORS = 20;
const MAX_MINORS = 100;

/** The persisted updater name, exactly as claircore: `alpine-main-v3.17-updater`. */
export function alpineUpdaterName(repo: string, release: AlpineRelease): string {
  return `alpine-${repo}-${releaseName(release)}-updater`;
}

/** One release × repository of the secdb (claircore `alpine.updater`). */
export class AlpineUpdater extends SecdbUpdater {
  /**
   * Applies `updaters.config.alpine-<repo>-<release>-updater` (claircore
   * `UpdaterConfig`): a non-empty `url` replaces the discovered one as is.
   */
  configure(config: unknown): Lint[] {
    const { url, lints } = parseAlpineUpdaterConfig(this.name, config);
    this.overrideUrl(url);
    return lints;
  }
}

/** The updater for one release and repository at `base` (claircore: `base.Parse("<release>/<repo>.json")`). */
export function alpineUpdater(base: string, release: AlpineRelease, repo: string): AlpineUpdater {
  const dist = releaseDistribution(release);
  return new AlpineUpdater({
    name: alpineUpdaterName(repo, release),
    url: new URL(`${releaseName(release)}/${repo}.json`, base).href,
    toRecords: (pkg, updater) => alpineRecords(pkg, updater, dist),
  });
}

/** HEADs `url` for its status; a network failure is an `UPDATER_FETCH` error. */
async function headStatus(ctx: FetchContext, url: string | URL): Promise<number> {
  const got = await probe(ctx, url, { component: COMPONENT });
  if ('error' in got) throw got.error;
  return got.status;
}

/** Probes `v<major>.<minor>/` directories as claircore does; returns the stable releases found. */
async function probeReleases(ctx: SetContext, base: string, log: Logger): Promise<AlpineRelease[]> {
  const found: AlpineRelease[] = [];
  for (let major = FIRST.major; major < FIRST.major + MAX_MAJORS; major++) {
    let foundInMajor = false;
    for (let minor = major === FIRST.major ? FIRST.minor : 0; minor < MAX_MINORS; minor++) {
      const release: AlpineRelease = { kind: 'stable', major, minor };
      const url = new URL(`${releaseName(release)}/`, base);
      const status = await headStatus(ctx, url);
      if (status === 200) {
        found.push(release);
        foundInMajor = true;
        continue;
      }
      if (status !== 404) {
        // claircore logs and probes on; an error is safer than walking minors forever.
        throw clairError('UPDATER_FETCH', `${COMPONENT}: unexpected status probing ${url.href}: ${status}`);
      }
      log.debug({ release: releaseName(release) }, 'alpine probe not found');
      if (!foundInMajor) return found;
      break;
    }
  }
  return found;
}

/** Keeps the (release, repo) pairs whose JSON file exists. */
async function existingUpdaters(ctx: SetContext, base: string, releases: AlpineRelease[], repos: readonly string[], log: Logger): Promise<Updater[]> {
  const out: Updater[] = [];
  for (const release of releases) {
    for (const repo of repos) {
      const u = alpineUpdater(base, release, repo);
      const status = await headStatus(ctx, u.defaultUrl);
      if (status === 200) out.push(u);
      else if (status === 404) log.debug({ url: u.url }, 'alpine repository not found');
      else log.warn({ url: u.url, status }, 'alpine repository skipped: unexpected status');
    }
  }
  return out;
}

interface Discovered {
  key: string;
  etag: string | undefined;
  stamp: string;
  updaters: Updater[];
}

/**
 * Creates an `alpine` set factory. Each instance remembers its last
 * discovery (keyed by configuration), so an unchanged `last-update` costs one
 * conditional request per round.
 */
export function createAlpineFactory(): UpdaterSetFactory {
  let last: Discovered | undefined;
  return {
    name: ALPINE_SET_NAME,
    checkConfig: (config) => parseAlpineConfig(config).lints,
    async create(ctx: SetContext): Promise<Updater[]> {
      const config: AlpineConfig = parseAlpineConfig(ctx.config).config;
      const log = ctx.log.child({ component: 'alpine/factory', url: config.url });
      if (config.releases) {
        return config.releases.flatMap((release) => config.repos.map((repo) => alpineUpdater(config.url, release, repo)));
      }
      const key = JSON.stringify([config.url, config.repos]);
      const cached = last?.key === key ? last : undefined;
      const stampUrl = new URL('last-update', config.url);
      // A 304 is an answer only to the ETag of a cached discovery; otherwise the server is confused.
      const stamp = await fetchText(ctx, stampUrl, { component: COMPONENT, etag: cached?.etag, tolerate: cached ? [304] : [], maxBytes: 64 * 1024 });
      if (cached && (stamp.status === 304 || stamp.text === cached.stamp)) {
        log.debug({}, 'alpine last-update unchanged');
        return [...cached.updaters];
      }
      const releases = await probeReleases(ctx, config.url, log);
      releases.push({ kind: 'edge' });
      const updaters = await existingUpdaters(ctx, config.url, releases, config.repos, log);
      log.info({ releases: releases.length, updaters: updaters.length }, 'alpine discovery done');
      last = { key, etag: stamp.etag, stamp: stamp.text, updaters };
      return [...updaters];
    },
  };
}

/** The default `alpine` set. */
export const alpineFactory: UpdaterSetFactory = createAlpineFactory();
