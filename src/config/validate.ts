/**
 * @module Configuration validation. Turns a raw document (YAML or JSON,
 * already merged with its drop-ins) into a {@link Config} with every default
 * applied, plus lints. Mirrors upstream's `config.Validate`/`config.Lint`:
 *
 * - Decoding is strict everywhere: unknown keys, wrong types, bad durations
 *   and bad enum values are errors in every mode (upstream rejects them while
 *   decoding, before the mode is known).
 * - Required keys and semantic checks are mode-scoped: indexer blocks in
 *   `combo`/`indexer`, matcher blocks in `combo`/`matcher`, notifier blocks in
 *   `combo`/`notifier`. Defaults are applied to every block so the result is
 *   uniform, but lints are only reported for the blocks the mode runs.
 * - Every problem is collected and reported at once, one per line.
 *
 * Each section has its own validator under `validate/`. They share one
 * {@link Problems} collector and one lint callback and run in a fixed order,
 * which is the order problems and lints are reported in: top level, indexer,
 * matcher, matchers, updaters, notifier, auth, trace, metrics.
 */
import { clairError } from '../lib/errors.js';
import { CONFIG_SCHEMA, Problems, decodeNode } from './schema.js';
import { MODES, type Config, type Lint, type LoadedConfig, type Mode } from './types.js';
import { validateAuth } from './validate/auth.js';
import type { ConnStringContext } from './validate/checks.js';
import { validateIndexer } from './validate/indexer.js';
import { validateMatcher, validateMatchers, validateUpdaters } from './validate/matcher.js';
import { validateNotifier } from './validate/notifier.js';
import { validateMetrics, validateTrace } from './validate/observability.js';
import { obj, type LintCallback, type Obj } from './validate/section.js';
import { validateTopLevel } from './validate/top-level.js';

export { checkHostPort } from './validate/checks.js';

/** Options for {@link validateConfig}; the defaults are right for production. */
export interface ValidateOptions {
  /** Environment consulted for `PG*` variables (mentioned by the empty-connstring lint). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Check that `tls.cert`/`tls.key` exist on disk. Default `true`. */
  checkFiles?: boolean;
}

/**
 * Validates a raw configuration document for `mode`, applies every default
 * and returns the config with its lints.
 *
 * @throws ClairError `CLAIR_ERR_CONFIG_INVALID` listing every problem, one per
 * line, each prefixed `config: ` and naming the key path, e.g.
 * `config: indexer.migrations: expected a boolean, got string "yes"`.
 */
export function validateConfig(raw: unknown, mode: Mode, options: ValidateOptions = {}): LoadedConfig {
  if (!(MODES as readonly string[]).includes(mode)) {
    throw clairError('CONFIG_INVALID', `config: unknown mode ${JSON.stringify(mode)}: must be one of ${MODES.join(', ')}`);
  }
  const problems = new Problems();
  const lints: Lint[] = [];
  const lint: LintCallback = (path, message) => {
    lints.push({ path, message });
  };

  const doc = (decodeNode(CONFIG_SCHEMA, raw ?? {}, [], problems) ?? {}) as Obj;

  const { tls, ...top } = validateTopLevel(doc, problems, lint, options.checkFiles ?? true);
  const conn: ConnStringContext = { dataDir: top.data_dir, env: options.env ?? process.env };
  const indexer = validateIndexer(obj(doc, 'indexer'), mode, problems, lint, conn);
  const matcher = validateMatcher(obj(doc, 'matcher'), mode, problems, lint, conn);
  const matchers = validateMatchers(obj(doc, 'matchers'));
  const updaters = validateUpdaters(obj(doc, 'updaters'), matcher.disable_updaters);
  const notifier = validateNotifier(obj(doc, 'notifier'), mode, problems, lint, conn);
  const auth = validateAuth(obj(doc, 'auth'), problems, lint);
  const trace = validateTrace(obj(doc, 'trace'), problems, lint);
  const metrics = validateMetrics(obj(doc, 'metrics'), problems, lint);

  if (problems.lines.length > 0) {
    throw clairError('CONFIG_INVALID', problems.lines.map((l) => `config: ${l}`).join('\n'));
  }
  const config: Config = { ...top, indexer, matcher, matchers, updaters, notifier, auth, metrics, trace };
  if (tls !== undefined) config.tls = tls;
  return { config, lints };
}
