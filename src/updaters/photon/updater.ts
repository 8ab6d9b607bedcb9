/**
 * @module Photon OS OVAL updaters, one per release (claircore `photon`).
 * claircore's list is 1.0–5.0 and its file `com.vmware.phsa-photon<N>.xml`,
 * read with `auto` compression (decided by the response); newer upstream
 * copies are gzipped, which the set's `compression` extension selects.
 */
import type { Lint } from '../../lib/config-lint.js';
import { clairError } from '../../lib/errors.js';
import { ConfigBlock } from '../config-block.js';
import type { UpdaterSetFactory } from '../updater.js';
import { ovalRpmUpdater, parseCompression, releasePrototypes, type CompressionSetting, type OvalRpmUpdater } from '../oval/index.js';
import { photonRelease } from '../../model/releases.js';

/** Set name, and the `updaters.config` key. */
export const PHOTON_SET_NAME = 'photon';
/** Where VMware publishes `com.vmware.phsa-photon<N>.xml`. */
export const PHOTON_OVAL_BASE = 'https://packages.vmware.com/photon/photon_oval_definitions/';
/** claircore's release list. */
export const PHOTON_RELEASES = ['1.0', '2.0', '3.0', '4.0', '5.0'] as const;

const RELEASE = /^([0-9]+)\.0$/;
const SUFFIX: Readonly<Record<CompressionSetting, string>> = { auto: '', none: '', gzip: '.gz', bzip2: '.bz2', zstd: '.zst' };

/** Persisted: `photon-updater-<release>`, as claircore names them (`photon-updater-3.0`). */
export function photonUpdaterName(release: string): string {
  return `photon-updater-${release}`;
}

/** `com.vmware.phsa-photon<major>.xml[.gz|.bz2|.zst]`. */
export function photonFileName(release: string, compression: CompressionSetting = 'auto'): string {
  const major = RELEASE.exec(release)?.[1];
  if (major === undefined) throw clairError('CONFIG_INVALID', `config: updaters.config.photon.releases: "${release}" is not a release like 3.0`);
  return `com.vmware.phsa-photon${major}.xml${SUFFIX[compression]}`;
}

/** Record prototypes: every definition of a release file belongs to that release. */
export const photonPrototypes = releasePrototypes;

/**
 * The updater for one release (`'3.0'`) under `base`. Per-updater config
 * (`updaters.config.photon-updater-<release>`): claircore's `url` and
 * `compression`.
 */
export function photonUpdater(release: string, base: string = PHOTON_OVAL_BASE, compression: CompressionSetting = 'auto'): OvalRpmUpdater {
  return ovalRpmUpdater({
    name: photonUpdaterName(release),
    url: new URL(photonFileName(release, compression), base).href,
    compression,
    prototypes: photonPrototypes(photonRelease(release)),
  });
}

/** The checked `updaters.config.photon`. */
export interface PhotonConfig {
  /** Directory of the OVAL files, ending in `/`. */
  base: string;
  releases: string[];
  compression: CompressionSetting;
}

/**
 * Reads `updaters.config.photon`. claircore's `photon` set takes no
 * configuration, so every key is an extension: `url` (the directory, a
 * missing `/` added), `releases` (default 1.0–5.0), `compression` (default
 * `auto`; `gz`, `bz2` or `zstd` also pick the file suffix). The one parse
 * `checkConfig` and `create` share.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parsePhotonConfig(raw: unknown): { config: PhotonConfig; lints: Lint[] } {
  const c = new ConfigBlock(PHOTON_SET_NAME, raw, ['url', 'releases', 'compression']);
  const url = c.url('url') ?? PHOTON_OVAL_BASE;
  const listed = c.strings('releases');
  const releases = listed === undefined || listed.length === 0 ? [...PHOTON_RELEASES] : listed;
  releases.forEach((r, i) => {
    if (!RELEASE.test(r)) throw c.invalid(`releases[${i}]`, `${JSON.stringify(r)} is not a release like 3.0`);
  });
  const name = c.text('compression') ?? 'auto';
  const compression = parseCompression(name);
  if (compression === undefined) throw c.invalid('compression', `unknown compression ${JSON.stringify(name)} (known: auto, none, gz, bz2, zstd)`);
  return { config: { base: url.endsWith('/') ? url : `${url}/`, releases, compression }, lints: c.lints };
}

/** `photon`: one updater per release. */
export const photonSetFactory: UpdaterSetFactory = {
  name: PHOTON_SET_NAME,
  checkConfig: (config) => parsePhotonConfig(config).lints,
  async create(ctx) {
    const { base, releases, compression } = parsePhotonConfig(ctx.config).config;
    const updaters = releases.map((r) => photonUpdater(r, base, compression));
    ctx.log.debug({ base, releases, compression }, 'photon updaters created');
    return updaters;
  },
};
