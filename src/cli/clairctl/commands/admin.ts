/**
 * @module `clairctl admin`: administrator tasks.
 *
 * - `admin gc` runs the matcher's update-operation garbage collection once,
 *   to completion, and prints how many operations it deleted.
 * - `admin reindex IMAGE...` deletes images' index reports and indexes
 *   them again (`./reindex.ts`).
 * - `admin pre <version>` and `admin post <version>` are Clair's upgrade
 *   tasks (index builds and data clean-ups around its own migrations). This
 *   Clair's schema has none of those migrations, so each answers that it is
 *   not needed and exits 0, and upgrade scripts that call them keep working.
 */
import { Command } from 'commander';
import { runMatcherGc } from '../../../app/matcher-gc.js';
import { clairError } from '../../../lib/errors.js';
import { cliLogger, globalsOf, requiredConfig } from '../globals.js';
import { reindexCommand } from './reindex.js';

/** Clair's semver rule for a task name (`v4.7.0`, `4.8.0`, `v4.8.0-rc.1`). */
const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function upgradeTask(phase: 'pre' | 'post'): Command {
  return new Command(phase)
    .description(`Clair's ${phase}-upgrade tasks: not needed here (this schema has no such migrations)`)
    .argument('<version>', 'the Clair version the task is for, e.g. v4.7.0')
    .action((version: string) => {
      if (!VERSION.test(version)) throw clairError('CLI_USAGE', `admin ${phase}: ${JSON.stringify(version)} is not a Clair version (e.g. v4.7.0)`);
      process.stdout.write(`admin ${phase} ${version}: not needed: this Clair's database schema has no migration that task ${phase === 'pre' ? 'prepares' : 'finishes'}; nothing was done\n`);
    });
}

export function adminCommand(): Command {
  return new Command('admin')
    .description('run administrator tasks')
    .addCommand(
      new Command('gc')
        .description("run the matcher's update-operation garbage collection once, to completion (keeps matcher.update_retention operations per updater)")
        .action(async (_opts: unknown, cmd: Command) => {
          const g = globalsOf(cmd);
          const result = await runMatcherGc(await requiredConfig(g), cliLogger(g));
          process.stdout.write(
            result.retention <= 0
              ? 'garbage collection is off (matcher.update_retention is 0): nothing deleted\n'
              : `deleted ${result.deleted} update operations (keeping the newest ${result.retention} per updater)${result.remaining > 0 ? `; ${result.remaining} more became deletable meanwhile` : ''}\n`,
          );
        }),
    )
    .addCommand(reindexCommand())
    .addCommand(upgradeTask('pre'))
    .addCommand(upgradeTask('post'));
}
