/**
 * @module Azure Linux / CBL-Mariner updaters, one per release, over the OVAL
 * files Microsoft publishes in `microsoft/AzureLinuxVulnerabilityData`
 * (`cbl-mariner-1.0-oval.xml`, `cbl-mariner-2.0-oval.xml`,
 * `azurelinux-3.0-oval.xml`). Fetching is the shared OVAL fetch (conditional
 * GET, `{"Etag","Date"}` fingerprint, decompression as it streams); parsing
 * is `records.ts`. claircore has no such updater, so the set and its
 * configuration are this project's.
 */
import { join } from 'node:path';
import type { Lint } from '../../lib/config-lint.js';
import { clairError } from '../../lib/errors.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import { azureLinuxRelease } from '../../model/releases.js';
import { ConfigBlock } from '../config-block.js';
import type { UpdaterContext, UpdaterSetFactory } from '../updater.js';
import { OVAL_FILE, OvalFileUpdater, parseCompression, type CompressionSetting } from '../oval/index.js';
import { azureLinuxRecords } from './records.js';

/** Set name, and the `updaters.config` key. */
export const AZURELINUX_SET_NAME = 'azurelinux';
/** Where Microsoft publishes the OVAL files (the repository's `main` branch, raw). */
export const AZURELINUX_OVAL_BASE = 'https://raw.githubusercontent.com/microsoft/AzureLinuxVulnerabilityData/main/';
/** Every release Microsoft publishes a file for. */
export const AZURELINUX_RELEASES = ['1.0', '2.0', '3.0'] as const;

const RELEASE = /^([0-9]+)\.0$/;

function releaseMajor(release: string): number {
  const major = RELEASE.exec(release)?.[1];
  if (major === undefined) throw clairError('CONFIG_INVALID', `config: updaters.config.${AZURELINUX_SET_NAME}.releases: "${release}" is not a release like 3.0`);
  return Number(major);
}

/** Persisted: `<did>-updater-<release>` (`mariner-updater-2.0`, `azurelinux-updater-3.0`). */
export function azureLinuxUpdaterName(release: string): string {
  releaseMajor(release);
  return `${azureLinuxRelease(release).did}-updater-${release}`;
}

/** `cbl-mariner-<release>-oval.xml` before 3.0, `azurelinux-<release>-oval.xml` from 3.0. */
export function azureLinuxFileName(release: string): string {
  return releaseMajor(release) < 3 ? `cbl-mariner-${release}-oval.xml` : `azurelinux-${release}-oval.xml`;
}

/** The updater of one release's OVAL file. */
export class AzureLinuxUpdater extends OvalFileUpdater {
  readonly release: string;

  constructor(release: string, base: string = AZURELINUX_OVAL_BASE, compression: CompressionSetting = 'auto') {
    super(azureLinuxUpdaterName(release), new URL(azureLinuxFileName(release), base).href, compression);
    this.release = release;
  }

  parse(ctx: UpdaterContext): AsyncIterable<VulnerabilityRecord> {
    return azureLinuxRecords(join(ctx.dir, OVAL_FILE), { updater: this.name, distribution: azureLinuxRelease(this.release), signal: ctx.signal, log: ctx.log });
  }
}

/** The updater for one release (`'3.0'`) under `base`. */
export function azureLinuxUpdater(release: string, base?: string, compression?: CompressionSetting): AzureLinuxUpdater {
  return new AzureLinuxUpdater(release, base, compression);
}

/** The checked `updaters.config.azurelinux`. */
export interface AzureLinuxConfig {
  /** Directory of the OVAL files, ending in `/`. */
  base: string;
  releases: string[];
  compression: CompressionSetting;
}

/**
 * Reads `updaters.config.azurelinux`: `url` (the directory holding the
 * files, a missing `/` added; default the repository's raw `main`),
 * `releases` (default 1.0, 2.0, 3.0) and `compression` (default `auto`).
 * The one parse `checkConfig` and `create` share.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseAzureLinuxConfig(raw: unknown): { config: AzureLinuxConfig; lints: Lint[] } {
  const c = new ConfigBlock(AZURELINUX_SET_NAME, raw, ['url', 'releases', 'compression']);
  const url = c.url('url') ?? AZURELINUX_OVAL_BASE;
  const listed = c.strings('releases');
  const releases = listed === undefined || listed.length === 0 ? [...AZURELINUX_RELEASES] : listed;
  releases.forEach((r, i) => {
    if (!RELEASE.test(r)) throw c.invalid(`releases[${i}]`, `${JSON.stringify(r)} is not a release like 3.0`);
  });
  const name = c.text('compression') ?? 'auto';
  const compression = parseCompression(name);
  if (compression === undefined) throw c.invalid('compression', `unknown compression ${JSON.stringify(name)} (known: auto, none, gz, bz2, zstd)`);
  return { config: { base: url.endsWith('/') ? url : `${url}/`, releases: [...new Set(releases)], compression }, lints: c.lints };
}

/** `azurelinux`: one updater per release. */
export const azureLinuxSetFactory: UpdaterSetFactory = {
  name: AZURELINUX_SET_NAME,
  checkConfig: (config) => parseAzureLinuxConfig(config).lints,
  async create(ctx) {
    const { base, releases, compression } = parseAzureLinuxConfig(ctx.config).config;
    const updaters = releases.map((r) => azureLinuxUpdater(r, base, compression));
    ctx.log.debug({ base, releases, compression }, 'azurelinux updaters created');
    return updaters;
  },
};
