/** @module `clairctl check-config FILE…`: prints each file merged with its drop-ins (defaults not applied). */
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { readConfigDocument } from '../../../config/index.js';

export function checkConfigCommand(): Command {
  return new Command('check-config')
    .description('print the merged configuration of each file (drop-ins applied, defaults not)')
    .argument('<file...>', 'configuration files')
    .addOption(new Option('-o, --out <format>', 'output format').choices(['json', 'yaml']).default('json'))
    .action(async (files: string[], opts: { out: 'json' | 'yaml' }) => {
      for (const file of files) {
        const doc = await readConfigDocument(file);
        process.stdout.write(opts.out === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc));
      }
    });
}
