/**
 * @module Photon OS OVAL updaters, one per release (claircore `photon`).
 * claircore's list is 1.0–5.0 and its file `com.vmware.phsa-photon<N>.xml`
 * (plain XML); newer upstream copies are gzipped, which `compression`
 * selects.
 */
import { clairError } from '../../lib/errors.js';
import { photonRelease } from '../../scanners/photon/distribution-scanner.js';
import type { Updater, UpdaterSetFactory } from '../updater.js';
import { baseUrl, configObject, optionalString, optionalStrings, ovalRpmUpdater, releasePrototypes, type Compression } from '../oval/index.js';

/** Set name, and the `updaters.config` key. */
export const PHOTON_SET_NAME = 'photon';
/** Where VMware publishes `com.vmware.phsa-photon<N>.xml`. */
export const PHOTON_OVAL_BASE = 'https://packages.vmware.com/photon/photon_oval_definitions/';
/** claircore's release list. */
export const PHOTON_RELEASES = ['1.0', '2.0', '3.0', '4.0', '5.0'] as const;

const RELEASE = /^([0-9]+)\.0$/;
const SUFFIX: Readonly<Record<Compression, string>> = { none: '', gzip: '.gz', bzip2: '.bz2' };
const COMPRESSION_NAMES: Readonly<Record<string, Compression>> = { none: 'none', '': 'none', gz: 'gzip', gzip: 'gzip', bz2: 'bzip2', bzip2: 'bzip2' };

/** Persisted: `photon-updater-<release>`, as claircore names them (`photon-updater-3.0`). */
export function photonUpdaterName(release: string): string {
  return `photon-updater-${release}`;
}

/** `com.vmware.phsa-photon<major>.xml[.gz|.bz2]`. */
export function photonFileName(release: string, compression: Compression = 'none'): string {
  const major = RELEASE.exec(release)?.[1];
  if (major === undefined) throw clairError('CONFIG_INVALID', `config: updaters.config.photon.releases: "${release}" is not a release like 3.0`);
  return `com.vmware.phsa-photon${major}.xml${SUFFIX[compression]}`;
}

/** Record prototypes: every definition of a release file belongs to that release. */
export const photonPrototypes = releasePrototypes;

/** The updater for one release (`'3.0'`) under `base`. */
export function photonUpdater(release: string, base: string = PHOTON_OVAL_BASE, compression: Compression = 'none'): Updater {
  return ovalRpmUpdater({
    name: photonUpdaterName(release),
    url: new URL(photonFileName(release, compression), base).href,
    compression,
    prototypes: photonPrototypes(photonRelease(release)),
  });
}

/**
 * `photon`: one updater per release. Config (`updaters.config.photon`):
 * `url` (base directory), `releases` (default 1.0–5.0), `compression`
 * (`none` (default), `gz` or `bz2`: the file suffix and how it is read).
 */
export const photonSetFactory: UpdaterSetFactory = {
  name: PHOTON_SET_NAME,
  async create(ctx) {
    const cfg = configObject(PHOTON_SET_NAME, ctx.config, ['url', 'releases', 'compression']);
    const base = baseUrl(PHOTON_SET_NAME, 'url', optionalString(PHOTON_SET_NAME, cfg, 'url') ?? PHOTON_OVAL_BASE);
    const releases = optionalStrings(PHOTON_SET_NAME, cfg, 'releases') ?? [...PHOTON_RELEASES];
    const name = optionalString(PHOTON_SET_NAME, cfg, 'compression') ?? 'none';
    const compression = COMPRESSION_NAMES[name];
    if (compression === undefined) throw clairError('CONFIG_INVALID', `config: updaters.config.photon.compression must be none, gz or bz2 (got "${name}")`);
    const updaters = releases.map((r) => photonUpdater(r, base, compression));
    ctx.log.debug({ base, releases, compression }, 'photon updaters created');
    return updaters;
  },
};
