/**
 * @module `clairctl`: the command-line client. This build has `check-config`;
 * the image subcommands (`manifest`, `report`, `delete`, `export-updaters`,
 * `import-updaters`) come with the indexer and matcher.
 */
import { Command, CommanderError } from 'commander';
import { stringify } from 'yaml';
import { readConfigDocument } from '../config/index.js';
import { CLAIR_VERSION } from '../lib/version.js';

export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('clairctl')
    .exitOverride()
    .description('Command-line client for Clair')
    .version(CLAIR_VERSION, '--version', 'print the version and exit');

  program
    .command('check-config')
    .description('print the merged configuration of each file (drop-ins applied, defaults not)')
    .argument('<file...>', 'configuration files')
    .option('-o, --out <format>', 'output format: json or yaml', 'json')
    .action(async (files: string[], opts: { out: string }) => {
      if (opts.out !== 'json' && opts.out !== 'yaml') throw new Error(`unknown output format "${opts.out}": use json or yaml`);
      for (const file of files) {
        const doc = await readConfigDocument(file);
        process.stdout.write(opts.out === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc));
      }
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`clairctl: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
