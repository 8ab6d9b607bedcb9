/**
 * @module The per-year Oracle ELSA updaters (claircore `oracle.NewUpdater`)
 * and their set factory (claircore `oracle.UpdaterSet`).
 */
import type { Updater, UpdaterSetFactory } from '../updater.js';
import { baseUrl, configObject, optionalInteger, optionalString, ovalRpmUpdater } from '../oval/index.js';
import { clairError } from '../../lib/errors.js';
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

/** The updater for one year's ELSA file under `base` (a directory URL ending in `/`). */
export function oracleUpdater(year: number, base: string = ORACLE_OVAL_BASE): Updater {
  return ovalRpmUpdater({
    name: oracleUpdaterName(year),
    url: new URL(`com.oracle.elsa-${year}.xml.bz2`, base).href,
    compression: 'bzip2',
    prototypes: oraclePrototypes,
  });
}

/**
 * `oracle`: one updater per year from `first_year` (2007) to `last_year` (the
 * current year). Config (`updaters.config.oracle`): `url` (base directory),
 * `first_year`, `last_year`.
 */
export const oracleSetFactory: UpdaterSetFactory = {
  name: ORACLE_SET_NAME,
  async create(ctx) {
    const cfg = configObject(ORACLE_SET_NAME, ctx.config, ['url', 'first_year', 'last_year']);
    const base = baseUrl(ORACLE_SET_NAME, 'url', optionalString(ORACLE_SET_NAME, cfg, 'url') ?? ORACLE_OVAL_BASE);
    const first = optionalInteger(ORACLE_SET_NAME, cfg, 'first_year') ?? ORACLE_FIRST_YEAR;
    const last = optionalInteger(ORACLE_SET_NAME, cfg, 'last_year') ?? new Date().getUTCFullYear();
    if (first > last) throw clairError('CONFIG_INVALID', `config: updaters.config.oracle: first_year ${first} is after last_year ${last}`);
    const updaters: Updater[] = [];
    for (let year = first; year <= last; year++) updaters.push(oracleUpdater(year, base));
    ctx.log.debug({ first, last, base }, 'oracle updaters created');
    return updaters;
  },
};
