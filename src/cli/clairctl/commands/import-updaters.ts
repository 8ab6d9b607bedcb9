/**
 * @module `clairctl import-updaters [-g|-z] FILE|URL|-`: loads a bundle made
 * by `export-updaters` (this Clair's or Go Clair's) into the matcher
 * database of the configuration (see `app/bundle/import.ts`). The
 * compression is read from the data itself; `-g`/`-z` are accepted, as
 * upstream, and must agree with it.
 */
import { Command, Option } from 'commander';
import { importUpdaters } from '../../../app/bundle/import.js';
import { cliLogger, globalsOf, requiredConfig } from '../globals.js';

export function importUpdatersCommand(): Command {
  return new Command('import-updaters')
    .description('import an updater bundle into the matcher database (run with matcher.disable_updaters on an air-gapped Clair)')
    .argument('<in>', 'bundle file, http(s) URL, or - for standard input')
    .addOption(new Option('-g, --gzip', 'the bundle is gzip-compressed (detected anyway)'))
    .addOption(new Option('-z, --zstd', 'the bundle is zstd-compressed (detected anyway)'))
    .action(async (source: string, opts: { gzip?: boolean; zstd?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      await importUpdaters({
        config: await requiredConfig(g),
        source,
        // As upstream, -z wins when both are given.
        expected: opts.zstd ? 'zstd' : opts.gzip ? 'gzip' : undefined,
        log: cliLogger(g),
      });
    });
}
