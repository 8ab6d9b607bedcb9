/**
 * @module The `rhel-vex` updater set (claircore `rhel/vex.Factory`): one
 * updater, `rhel-vex`, over Red Hat's CSAF VEX documents.
 */
import type { FetchOutcome, SetContext, Updater, UpdaterContext, UpdaterSetFactory } from '../updater.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import { parseRhelVexConfig, type RhelVexConfig } from './config.js';
import { fetchVex } from './fetch.js';
import { parseVex } from './parse.js';
import { RHEL_VEX_UPDATER_NAME } from './parse-document.js';

/** Persisted set name (`updaters.sets`, `updaters.config.<name>`). Never rename. */
export const RHEL_VEX_SET_NAME = 'rhel-vex';

/** The updater; see the README for the fetch and fingerprint semantics. */
export class RhelVexUpdater implements Updater {
  readonly name = RHEL_VEX_UPDATER_NAME;
  readonly #config: RhelVexConfig;

  constructor(config: RhelVexConfig) {
    this.#config = config;
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
  async create(ctx: SetContext): Promise<Updater[]> {
    const { config, unknownKeys } = parseRhelVexConfig(ctx.config);
    if (unknownKeys.length > 0) ctx.log.warn({ keys: unknownKeys }, 'rhel-vex config keys ignored');
    ctx.log.info({ url: config.baseUrl, compressedFileTimeoutMs: config.compressedFileTimeoutMs, ignoreKernelPackages: config.ignoreKernelPackages }, 'rhel-vex configured');
    return [new RhelVexUpdater(config)];
  },
};
