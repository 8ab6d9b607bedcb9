/**
 * @module The per-year Oracle ELSA updaters (claircore `oracle.NewUpdater`)
 * and their set factory (claircore `oracle.UpdaterSet`).
 */
import type { Lint } from '../../lib/config-lint.js';
import { ConfigBlock } from '../config-block.js';
import type { UpdaterSetFactory } from '../updater.js';
import { ovalRpmUpdater, type OvalRpmUpdater } from '../oval/index.js';
import { oraclePrototypes } from './prototypes.js';

/** Set name, and the `updaters.config` key. */
export const ORACLE_SET_NAME = 'oracle';
/** Where Oracle publishes `com.oracle.elsa-<year>.xml.bz2`. */
export const ORACLE_OVAL_BASE = 'https://linux.oracle.com/security/oval/';
/** The first year Oracle publishes ELSA OVAL for. */
export const ORACLE_FIRST_YEAR = 2007;

/** Persisted: `oracle-<year>-updater`, as claircore names them. */
export function oracleUpdaterName(year: number): string {
  return `oracle-${year}-updater`;
}

/**
 * The updater for one year's ELSA file under `base` (a directory URL ending
 * in `/`). Per-updater config (`updaters.config.oracle-<year>-updater`):
 * claircore's `url` and `compression`.
 */
export function oracleUpdater(year: number, base: string = ORACLE_OVAL_BASE): OvalRpmUpdater {
  return ovalRpmUpdater({
    name: oracleUpdaterName(year),
    url: new URL(`com.oracle.elsa-${year}.xml.bz2`, base).href,
    compression: 'bzip2',
    prototypes: oraclePrototypes,
  });
}

/** The checked `updaters.config.oracle`. */
export interface OracleConfig {
  /** Directory of the ELSA files, ending in `/`. */
  base: string;
  firstYear: number;
  lastYear: number;
}

/**
 * Reads `updaters.config.oracle`. claircore's `oracle` set takes no
 * configuration, so every key is an extension: `url` (the directory, a
 * missing `/` added), `first_year` (2007), `last_year` (the current year).
 * The one parse `checkConfig` and `create` share.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseOracleConfig(raw: unknown, now: Date = new Date()): { config: OracleConfig; lints: Lint[] } {
  const c = new ConfigBlock(ORACLE_SET_NAME, raw, ['url', 'first_year', 'last_year']);
  const url = c.url('url') ?? ORACLE_OVAL_BASE;
  const firstYear = c.integer('first_year') ?? ORACLE_FIRST_YEAR;
  const lastYear = c.integer('last_year') ?? now.getUTCFullYear();
  if (firstYear > lastYear) throw c.invalid('first_year', `${firstYear} is after last_year ${lastYear}`);
  return { config: { base: url.endsWith('/') ? url : `${url}/`, firstYear, lastYear }, lints: c.lints };
}

/** `oracle`: one updater per year from `first_year` to `last_year`. */
export const oracleSetFactory: UpdaterSetFactory = {
  name: ORACLE_SET_NAME,
  checkConfig: (config) => parseOracleConfig(config).lints,
  async create(ctx) {
    const { base, firstYear, lastYear } = parseOracleConfig(ctx.config).config;
    const updaters: OvalRpmUpdater[] = [];
    for (let year = firstYear; year <= lastYear; year++) updaters.push(oracleUpdater(year, base));
    ctx.log.debug({ first: firstYear, last: lastYear, base }, 'oracle updaters created');
    return updaters;
  },
};
