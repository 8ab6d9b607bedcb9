/**
 * @module `clairctl admin reindex IMAGE...`: deletes each image's index
 * report and indexes it again, for a manifest indexed by an older or faulty
 * scanner set, or one whose layers changed meaning. Prints each digest and
 * its new index state. Takes the same image and server flags as `report`.
 */
import { Command } from 'commander';
import { globalsOf } from '../globals.js';
import { inOrder, reindex } from '../report-flow.js';
import { openSession, type SessionOptions } from '../session.js';
import { submitOptions } from './options.js';

export function reindexCommand(): Command {
  const command = new Command('reindex').description('delete the index report of each image and index it again').argument('<image...>', 'images, as `report` takes them');
  submitOptions(command);
  return command.action(async (images: string[], opts: SessionOptions, cmd: Command) => {
    const session = await openSession(globalsOf(cmd), opts);
    const controller = new AbortController();
    try {
      const work = (name: string) => reindex(name, session.flow, controller.signal).catch((err: unknown) => {
        controller.abort(err);
        throw err;
      });
      await inOrder(images, 4, work, async (report, name) => {
        process.stdout.write(`${name} ${report.manifest_hash} ${report.state}\n`);
      });
    } finally {
      await session.close();
    }
  });
}
