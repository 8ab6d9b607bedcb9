/**
 * @module The plug-ins a configuration selects: updater sets by
 * `updaters.sets`, matchers by `matchers.names`, and the checks of the
 * free-form config blocks (`updaters.config.<set>`, `matchers.config.<name>`,
 * `indexer.scanner.<section>.<name>`).
 * `clair -check` and start-up both call {@link resolvePlugins}, so they accept
 * and reject exactly the same configurations.
 *
 * Names follow current Clair; names older Clair releases used are accepted
 * with a lint naming their replacement (as Clair ignores names it does not
 * know), while a name no Clair release used is an error, so a typo cannot
 * silently leave a source out.
 */
import type { Config, Mode } from '../config/types.js';
import type { Lint } from '../lib/config-lint.js';
import { clairError, isClairError } from '../lib/errors.js';
import type { Enricher } from '../matcher/enricher.js';
import type { Matcher } from '../matcher/matcher.js';
import { selectMatchers } from './defaults/matchers.js';
import { DEFAULT_SET_FACTORIES } from './defaults/updaters.js';
import { DEFAULT_ENRICHER_SET_FACTORIES, DEFAULT_ENRICHERS } from './defaults/enrichers.js';
import { DEFAULT_ECOSYSTEMS } from './defaults/ecosystems.js';
import type { ScannerKind, VersionedScanner } from '../indexer/versioned-scanner.js';
import type { AnySetFactory } from '../updaters/enrichment.js';

/** Updater sets older Clair releases had, and what replaced them. */
export const RETIRED_SETS: Readonly<Record<string, string>> = {
  rhel: 'rhel-vex (Red Hat retired its OVAL data for CSAF VEX)',
  rhcc: 'rhel-vex (container advisories now come with the VEX data)',
  pyupio: 'osv (PyPI advisories come from OSV)',
};

/** Matchers older Clair releases had, and what replaced them. */
export const RETIRED_MATCHERS: Readonly<Record<string, string>> = {
  crda: 'python and java-maven (the CRDA remote matcher was removed; OSV data covers PyPI and Maven)',
};

export interface Plugins {
  /** The updater sets to run, enrichers' sets included; empty when the updaters are disabled. */
  factories: AnySetFactory[];
  /** The matchers, for the matcher and the indexer's affected-manifest lookups. */
  matchers: Matcher[];
  /** The enrichers filling reports' `enrichments`; none with `matcher.disable_enrichment`. */
  enrichers: Enricher[];
  lints: Lint[];
}

const uses = (mode: Mode, node: 'indexer' | 'matcher') => mode === 'combo' || mode === node;

/** Collects every problem, so one run of `-check` names them all. */
class Problems {
  readonly lines: string[] = [];
  /** Runs `check`; a CONFIG_INVALID it throws is recorded, anything else is rethrown. */
  run<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (err) {
      if (!isClairError(err) || err.code !== 'CLAIR_ERR_CONFIG_INVALID') throw err;
      this.lines.push(...err.message.split('\n'));
      return undefined;
    }
  }
  add(path: string, message: string): void {
    this.lines.push(`config: ${path}: ${message}`);
  }
}

/**
 * The sets `updaters.sets` names; absent, every default set and, unless
 * `matcher.disable_enrichment`, every enricher's set (an enricher named
 * explicitly runs either way: its data may be wanted for export).
 */
function selectSets(config: Config, problems: Problems, lints: Lint[]): AnySetFactory[] {
  const byName = new Map<string, AnySetFactory>([...DEFAULT_SET_FACTORIES, ...DEFAULT_ENRICHER_SET_FACTORIES].map((f) => [f.name, f]));
  const names = config.updaters.sets;
  const defaults = [...DEFAULT_SET_FACTORIES, ...(config.matcher.disable_enrichment ? [] : DEFAULT_ENRICHER_SET_FACTORIES)].map((f) => f.name);
  const chosen: AnySetFactory[] = [];
  for (const name of names ?? defaults) {
    const factory = byName.get(name);
    if (factory) chosen.push(factory);
    else if (RETIRED_SETS[name]) lints.push({ path: 'updaters.sets', message: `"${name}" is no longer a Clair updater set and is ignored; use ${RETIRED_SETS[name]}` });
    else problems.add('updaters.sets', `unknown updater set "${name}" (known: ${[...byName.keys()].join(', ')})`);
  }
  for (const factory of chosen) {
    lints.push(...(problems.run(() => factory.checkConfig(config.updaters.config[factory.name])) ?? []));
  }
  for (const key of Object.keys(config.updaters.config)) {
    if (RETIRED_SETS[key]) lints.push({ path: `updaters.config.${key}`, message: `"${key}" is no longer a Clair updater set; this block is ignored (use ${RETIRED_SETS[key]})` });
  }
  return chosen;
}

/** Matchers read `ignore_unpatched` (a boolean) from their config block; nothing else. */
function checkMatcherConfig(config: Config, known: ReadonlySet<string>, problems: Problems, lints: Lint[]): void {
  for (const [name, block] of Object.entries(config.matchers.config)) {
    const path = `matchers.config.${name}`;
    if (RETIRED_MATCHERS[name]) {
      lints.push({ path, message: `"${name}" is no longer a Clair matcher; this block is ignored (use ${RETIRED_MATCHERS[name]})` });
      continue;
    }
    if (!known.has(name)) {
      lints.push({ path, message: `no matcher is named "${name}"; this block is ignored` });
      continue;
    }
    if (block === null || block === undefined) continue;
    if (typeof block !== 'object' || Array.isArray(block)) {
      problems.add(path, 'must be a mapping');
      continue;
    }
    for (const [key, value] of Object.entries(block)) {
      if (key !== 'ignore_unpatched') lints.push({ path: `${path}.${key}`, message: 'unknown key; ignored' });
      else if (typeof value !== 'boolean') problems.add(`${path}.${key}`, `expected a boolean, got ${JSON.stringify(value)}`);
    }
  }
}

function selectMatcherList(config: Config, problems: Problems, lints: Lint[]): Matcher[] {
  const all = selectMatchers(undefined, config.matchers.config);
  const known = new Set(all.map((m) => m.name));
  checkMatcherConfig(config, known, problems, lints);
  const names = config.matchers.names;
  if (names === undefined) return all;
  const wanted = names.filter((name) => {
    if (known.has(name)) return true;
    if (RETIRED_MATCHERS[name]) lints.push({ path: 'matchers.names', message: `"${name}" is no longer a Clair matcher and is ignored; use ${RETIRED_MATCHERS[name]}` });
    else problems.add('matchers.names', `unknown matcher "${name}" (known: ${[...known].join(', ')})`);
    return false;
  });
  return selectMatchers(wanted, config.matchers.config);
}

/** Config sections of `indexer.scanner` and the scanner kind each configures. */
const SCANNER_SECTIONS: ReadonlyArray<readonly ['package' | 'dist' | 'repo', ScannerKind]> = [
  ['package', 'package'],
  ['dist', 'distribution'],
  ['repo', 'repository'],
];

/** Checks every `indexer.scanner.<section>.<name>` block with its scanner's own check. */
function checkScannerConfig(config: Config, problems: Problems, lints: Lint[]): void {
  const scanners: VersionedScanner[] = DEFAULT_ECOSYSTEMS.flatMap((e) => [...e.packageScanners, ...e.distributionScanners, ...e.repositoryScanners, ...e.fileScanners]);
  for (const [section, kind] of SCANNER_SECTIONS) {
    for (const [name, block] of Object.entries(config.indexer.scanner[section])) {
      const path = `indexer.scanner.${section}.${name}`;
      const scanner = scanners.find((s) => s.name === name && s.kind === kind);
      if (!scanner) lints.push({ path, message: `no ${kind} scanner is named "${name}"; this block is ignored` });
      else if (!scanner.checkConfig) lints.push({ path, message: `the ${name} scanner takes no configuration; this block is ignored` });
      else lints.push(...(problems.run(() => scanner.checkConfig!(block, path)) ?? []));
    }
  }
}

/**
 * Resolves and checks the plug-ins the nodes of `mode` use. Throws
 * `CLAIR_ERR_CONFIG_INVALID` naming every problem, one per line.
 */
export function resolvePlugins(config: Config, mode: Mode): Plugins {
  const problems = new Problems();
  const lints: Lint[] = [];
  const matchers = uses(mode, 'indexer') || uses(mode, 'matcher') ? selectMatcherList(config, problems, lints) : [];
  const factories = uses(mode, 'matcher') ? selectSets(config, problems, lints) : [];
  const enrichers = uses(mode, 'matcher') && !config.matcher.disable_enrichment ? [...DEFAULT_ENRICHERS] : [];
  if (uses(mode, 'indexer')) checkScannerConfig(config, problems, lints);
  if (problems.lines.length > 0) throw clairError('CONFIG_INVALID', problems.lines.join('\n'));
  return { factories, matchers, enrichers, lints };
}
