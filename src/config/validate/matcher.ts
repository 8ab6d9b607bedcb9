/**
 * @module The blocks the matcher service runs: `matcher`, and the plug-in
 * lists `matchers` and `updaters`. Defaults apply in every mode; checks and
 * lints only in `combo` and `matcher` modes. The plug-ins' own `config`
 * objects are passed through here and checked by each plug-in.
 */
import { DEFAULTS } from '../defaults.js';
import type { Problems } from '../schema.js';
import type { MatcherConfig, MatchersConfig, Mode, UpdatersConfig } from '../types.js';
import { checkConnString, requiredUrl, type ConnStringContext } from './checks.js';
import { DEPRECATED, bool, list, num, obj, str, uses, type LintCallback, type Obj } from './section.js';

/**
 * Validates the decoded `matcher` block `mx` (absent when the document has
 * none) and returns it with every default applied.
 */
export function validateMatcher(
  mx: Obj | undefined,
  mode: Mode,
  problems: Problems,
  lint: LintCallback,
  conn: ConnStringContext,
): MatcherConfig {
  const period = num(mx, 'period') || DEFAULTS.matcher.period;
  const givenRetention = num(mx, 'update_retention') ?? 0;
  const matcher: MatcherConfig = {
    connstring: str(mx, 'connstring') ?? '',
    indexer_addr: str(mx, 'indexer_addr') ?? '',
    migrations: bool(mx, 'migrations'),
    period,
    disable_updaters: bool(mx, 'disable_updaters'),
    disable_enrichment: bool(mx, 'disable_enrichment'),
    update_retention:
      givenRetention < 0 ? 0 : givenRetention < DEFAULTS.matcher.update_retention_min ? DEFAULTS.matcher.update_retention : givenRetention,
    cache_age: num(mx, 'cache_age') || period,
  };
  const maxConnPool = num(mx, 'max_conn_pool');
  if (maxConnPool !== undefined) matcher.max_conn_pool = maxConnPool;
  if (!uses.matcher(mode)) return matcher;

  checkConnString('matcher.connstring', matcher.connstring, conn, lint, problems);
  if (mode === 'matcher') requiredUrl('matcher.indexer_addr', matcher.indexer_addr, 'matcher', problems);
  if ((num(mx, 'period') ?? 0) < 0) problems.add('matcher.period', 'must not be negative');
  else if (matcher.period < DEFAULTS.matcher.period) {
    lint('matcher.period', 'updater period is very aggressive: most sources are updated daily');
  }
  if ((num(mx, 'cache_age') ?? 0) < 0) problems.add('matcher.cache_age', 'must not be negative');
  else if (matcher.cache_age < matcher.period / 2) lint('matcher.cache_age', 'expiry very low: may result in increased workload');
  if (givenRetention < 0) lint('matcher.update_retention', `negative value ${givenRetention} treated as 0`);
  if (matcher.update_retention === 0) lint('matcher.update_retention', 'update garbage collection is off');
  if (matcher.max_conn_pool !== undefined) {
    lint('matcher.max_conn_pool', `${DEPRECATED}: ignored; set the pool size with connstring parameters such as pool_max_conns`);
  }
  return matcher;
}

/** Reads the decoded `matchers` block `msx`; nothing in it is checked here. */
export function validateMatchers(msx: Obj | undefined): MatchersConfig {
  const matchers: MatchersConfig = { config: obj(msx, 'config') ?? {} };
  const names = list(msx, 'names');
  if (names !== undefined) matchers.names = names;
  return matchers;
}

/**
 * Reads the decoded `updaters` block `ux`; nothing in it is checked here.
 *
 * @param disableUpdaters `matcher.disable_updaters`, which empties `sets`.
 */
export function validateUpdaters(ux: Obj | undefined, disableUpdaters: boolean): UpdatersConfig {
  const updaters: UpdatersConfig = { config: obj(ux, 'config') ?? {} };
  const sets = list(ux, 'sets');
  if (sets !== undefined) updaters.sets = sets;
  const filter = str(ux, 'filter');
  if (filter !== undefined && filter !== '') updaters.filter = filter;
  if (disableUpdaters) updaters.sets = [];
  return updaters;
}
