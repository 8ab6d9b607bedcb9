/**
 * @module `clairctl export-updaters [-s SET]... [--strict] [-g|-z] [FILE|-]`:
 * runs the configured updaters and writes their data to a bundle for an
 * air-gapped Clair (see `app/bundle/export.ts`). Compression: `-z`, `-g`,
 * else the suffix (`.zst`, `.gz`, `.json` for none), else zstd; standard
 * output (no FILE, or `-`) gets zstd unless it is a terminal.
 */
import { Command, Option } from 'commander';
import { exportUpdaters } from '../../../app/bundle/export.js';
import { exportCompression } from '../../../updaters/bundle/index.js';
import { cliLogger, globalsOf, requiredConfig } from '../globals.js';

const repeat = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function exportUpdatersCommand(): Command {
  return new Command('export-updaters')
    .description('run the configured updaters and write their data to a bundle (for import-updaters on an air-gapped Clair)')
    .argument('[out]', 'bundle file (.zst or no suffix: zstd; .gz: gzip; .json: none), or - for standard output', '-')
    .addOption(new Option('-s, --set <name>', 'only this updater set of the configuration (repeatable)').argParser(repeat))
    .addOption(new Option('--strict', 'exit 1 when an updater fails (the bundle is still written for the others)'))
    .addOption(new Option('-g, --gzip', 'compress with gzip'))
    .addOption(new Option('-z, --zstd', 'compress with zstd'))
    .action(async (out: string, opts: { set?: string[]; strict?: boolean; gzip?: boolean; zstd?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const log = cliLogger(g);
      if (opts.gzip && opts.zstd) log.warn({}, 'export-updaters: both -g and -z given; zstd wins, as upstream');
      await exportUpdaters({
        config: await requiredConfig(g),
        sets: opts.set,
        target: out,
        compression: exportCompression(opts, out, process.stdout.isTTY === true),
        strict: opts.strict === true,
        log,
      });
    });
}
