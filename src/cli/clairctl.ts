/**
 * @module `clairctl`: the command-line client, with Clair's clairctl
 * commands and flags so existing scripts work: `report`, `manifest`,
 * `delete`, `export-updaters`, `import-updaters`, `admin` and
 * `check-config`, under the global flags of `clairctl/globals.ts`.
 *
 * Go-style single-dash long flags (`-config x.yaml`) are accepted as
 * urfave/cli accepts them. Exit codes: 0 on success, 1 on failure, 2 for a
 * usage error; `report --fail-on` documents its own.
 */
import { Command, CommanderError, Option } from 'commander';
import { isClairError } from '../lib/errors.js';
import { CLAIR_VERSION } from '../lib/version.js';
import { goStyleFlags } from './go-flags.js';
import { adminCommand } from './clairctl/commands/admin.js';
import { checkConfigCommand } from './clairctl/commands/check-config.js';
import { exportUpdatersCommand } from './clairctl/commands/export-updaters.js';
import { importUpdatersCommand } from './clairctl/commands/import-updaters.js';
import { deleteCommand } from './clairctl/commands/delete.js';
import { manifestCommand } from './clairctl/commands/manifest.js';
import { reportCommand } from './clairctl/commands/report.js';
import { DEFAULT_CONFIG_FILE, DEFAULT_ISSUER } from './clairctl/globals.js';

/** Every long flag any command takes, for the Go-style rewrite. */
const LONG_FLAGS = ['config', 'issuer', 'iss', 'help', 'version', 'host', 'out', 'keep-going', 'novel', 'local', 'platform', 'insecure', 'severity', 'ignore-unfixed', 'fail-on', 'serve-addr', 'advertise-addr', 'strict', 'gzip', 'zstd', 'set'];

export function clairctlProgram(commands: readonly Command[]): Command {
  const program = new Command('clairctl')
    .description('A command-line tool for Clair v4')
    .version(CLAIR_VERSION, '--version', 'print the version and exit')
    .addOption(new Option('-c, --config <file>', `clair configuration file (env CLAIR_CONF; default ${DEFAULT_CONFIG_FILE})`))
    .addOption(new Option('-D', 'print debugging logs'))
    .addOption(new Option('-q', 'quieter log output'))
    .addOption(new Option('--issuer, --iss <iss>', `JWT "iss" of authenticated requests (default ${DEFAULT_ISSUER})`))
    .showHelpAfterError();
  for (const command of commands) program.addCommand(command);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = clairctlProgram([manifestCommand(), reportCommand(), deleteCommand(), exportUpdatersCommand(), importUpdatersCommand(), adminCommand(), checkConfigCommand()]);
  const throwInstead = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(throwInstead);
  };
  throwInstead(program);
  try {
    await program.parseAsync(goStyleFlags(argv, LONG_FLAGS), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version exit 0; every other commander error is a usage error.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`clairctl: ${(err as Error).message}\n`);
    process.exitCode = isClairError(err, 'CLI_USAGE') ? 2 : 1;
  }
}
