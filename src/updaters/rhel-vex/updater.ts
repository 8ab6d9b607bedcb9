/**
 * @module The `rhel-vex` updater set (claircore `rhel/vex.Factory`): one
 * updater, `rhel-vex`, over Red Hat's CSAF VEX documents.
 */
import type { FetchOutcome, SetContext, Updater, UpdaterContext, UpdaterSetFactory } from '../updater.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import type { Lint } from '../../lib/config-lint.js';
import { parseRhelVexConfig, parseRhelVexUpdaterConfig, type RhelVexConfig } from './config.js';
import { fetchVex } from './fetch.js';
import { parseVex } from './parse.js';
import { RHEL_VEX_UPDATER_NAME } from './parse-document.js';

/** Persisted set name (`updaters.sets`, `updaters.config.<name>`). Never rename. */
export const RHEL_VEX_SET_NAME = 'rhel-vex';

/** The updater; see the README for the fetch and fingerprint semantics. */
export class RhelVexUpdater implements Updater {
  readonly name = RHEL_VEX_UPDATER_NAME;
  #config: RhelVexConfig;

  constructor(config: RhelVexConfig) {
    this.#config = config;
  }

  /** The configuration in effect (the set's, then the updater's own `configure`). */
  get config(): Readonly<RhelVexConfig> {
    return this.#config;
  }

  /**
   * Applies `updaters.config.rhel-vex` as claircore's `Updater.Configure`
   * (the updater shares the set's name, hence its block): `url` as written
   * and `ignore_kernel_packages`. The archive timeout stays the set's.
   */
  configure(config: unknown): Lint[] {
    const { config: own, lints } = parseRhelVexUpdaterConfig(config);
    this.#config = { ...this.#config, ...own };
    return lints;
  }

  fetch(ctx: UpdaterContext, previousFingerprint: string | undefined): Promise<FetchOutcome> {
    return fetchVex(ctx, this.#config, previousFingerprint);
  }

  parse(ctx: UpdaterContext): AsyncIterable<VulnerabilityRecord> {
    return parseVex(ctx, this.#config);
  }
}

/**
 * The `rhel-vex` set factory.
 *
 * @example
 * ```yaml
 * updaters:
 *   sets: [rhel-vex]
 *   config:
 *     rhel-vex:
 *       url: https://mirror.example/csaf/v2/vex/
 *       compressed_file_timeout: 10m
 * ```
 */
export const rhelVexSetFactory: UpdaterSetFactory = {
  name: RHEL_VEX_SET_NAME,
  checkConfig: (config) => parseRhelVexConfig(config).lints,
  async create(ctx: SetContext): Promise<Updater[]> {
    const { config } = parseRhelVexConfig(ctx.config);
    ctx.log.info({ url: config.baseUrl, compressedFileTimeoutMs: config.compressedFileTimeoutMs, ignoreKernelPackages: config.ignoreKernelPackages }, 'rhel-vex configured');
    return [new RhelVexUpdater(config)];
  },
};
