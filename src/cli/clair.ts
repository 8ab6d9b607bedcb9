/**
 * @module `clair`: runs one node type, or all of them (combo).
 *
 * Flags are Clair's Go-style single-dash flags, and their double-dash forms:
 * `-mode` (env CLAIR_MODE; default combo), `-conf` (env CLAIR_CONF; default:
 * no file, so every default applies and the embedded database is used),
 * `-check` (validate, print the effective config with secrets redacted, and
 * exit). A flag wins over its environment variable.
 */
import { Command, CommanderError, Option } from 'commander';
import type { Config, Mode, Lint } from '../config/types.js';
import { MODES } from '../config/types.js';
import { formatEffectiveConfig, loadConfig, validateConfig } from '../config/index.js';
import { startClair, type ClairProcess } from '../app/start.js';
import { resolvePlugins } from '../app/plugins.js';
import { createLogger } from '../lib/logger.js';
import { clairError, isClairError } from '../lib/errors.js';
import { CLAIR_VERSION } from '../lib/version.js';
import { goStyleFlags } from './go-flags.js';

export interface ClairArgs {
  mode: Mode;
  conf: string | undefined;
  check: boolean;
  format: 'json' | 'yaml';
}

/** Exit codes: 2 for usage errors (as Go's flag package), 1 for everything else. */
export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

/** Parses argv and the environment; the flag wins over the env var. */
export function parseClairArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ClairArgs {
  const program = new Command('clair')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .version(CLAIR_VERSION, '--version', 'print the version and exit')
    .addOption(new Option('--mode <mode>', `node type to run: ${MODES.join(', ')} (env CLAIR_MODE)`))
    .addOption(new Option('--conf <path>', 'configuration file, .yaml or .json (env CLAIR_CONF)'))
    .addOption(new Option('--check', 'validate the configuration, print it with secrets redacted, and exit'))
    .addOption(new Option('--format <format>', 'output format of --check').choices(['yaml', 'json']).default('yaml'))
    .allowExcessArguments(false);
  program.parse(goStyleFlags(argv, ['mode', 'conf', 'check', 'format', 'version', 'help']), { from: 'user' });
  const opts = program.opts<{ mode?: string; conf?: string; check?: boolean; format: 'json' | 'yaml' }>();
  const rawMode = (opts.mode ?? env.CLAIR_MODE ?? 'combo').trim().toLowerCase() || 'combo';
  if (!(MODES as readonly string[]).includes(rawMode)) {
    throw clairError('CLI_USAGE', `invalid mode "${rawMode}" (from ${opts.mode !== undefined ? '-mode' : 'CLAIR_MODE'}): expected one of ${MODES.join(', ')}`);
  }
  const conf = opts.conf ?? (env.CLAIR_CONF || undefined);
  return { mode: rawMode as Mode, conf, check: opts.check === true, format: opts.format };
}

/**
 * Loads the config file (or validates an empty one when there is none) and
 * checks the plug-ins it selects, exactly as start-up does.
 */
export async function loadClairConfig(args: ClairArgs): Promise<{ config: Config; lints: Lint[] }> {
  const loaded = args.conf === undefined ? validateConfig({}, args.mode) : await loadConfig(args.conf, args.mode);
  return { config: loaded.config, lints: [...loaded.lints, ...resolvePlugins(loaded.config, args.mode).lints] };
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let args: ClairArgs;
  try {
    args = parseClairArgs(argv, env);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    process.stderr.write(`clair: ${(err as Error).message}\n`);
    process.exitCode = EXIT_USAGE;
    return;
  }

  let loaded: { config: Config; lints: Lint[] };
  try {
    loaded = await loadClairConfig(args);
  } catch (err) {
    process.stderr.write(`clair: ${(err as Error).message}\n`);
    process.exitCode = EXIT_FAILURE;
    return;
  }
  if (args.check) {
    for (const lint of loaded.lints) process.stderr.write(`lint: ${lint.path}: ${lint.message}\n`);
    process.stdout.write(formatEffectiveConfig(loaded.config, args.format));
    return;
  }

  const log = createLogger(loaded.config.log_level);
  for (const lint of loaded.lints) log.warn({ key: lint.path, lint: lint.message }, 'configuration lint');
  let clair: ClairProcess;
  try {
    clair = await startClair({ config: loaded.config, mode: args.mode, log });
  } catch (err) {
    log.fatal({ err, code: isClairError(err) ? err.code : undefined }, 'clair start failed');
    process.exitCode = EXIT_FAILURE;
    return;
  }
  let signals = 0;
  const stop = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      log.warn({ signal }, 'clair second signal; exiting now');
      process.exit(EXIT_FAILURE);
    }
    log.info({ signal }, 'clair signal received');
    // Exit explicitly once closed: a stray timer or socket must not keep a
    // stopped server's process alive. pino writes stdout synchronously.
    clair.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'clair shutdown failed');
        process.exit(EXIT_FAILURE);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  void clair.lost.then((err) => {
    log.fatal({ err, code: isClairError(err) ? err.code : undefined }, 'clair database lost; exiting');
    clair.close().finally(() => process.exit(EXIT_FAILURE));
  });
}
