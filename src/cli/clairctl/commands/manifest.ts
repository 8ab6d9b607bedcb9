/**
 * @module `clairctl manifest IMAGE...`: prints the Clair manifest of each
 * image, one JSON document per line in argument order, as Clair's clairctl.
 * A local archive has no layer URL that outlives clairctl, so it is refused
 * with a pointer to `report`, which serves its layers while Clair fetches.
 */
import { Command } from 'commander';
import { cliLogger, globalsOf } from '../globals.js';
import { imageOptions } from './options.js';
import { inOrder } from '../report-flow.js';
import { openImage } from '../images/index.js';
import { clairError } from '../../../lib/errors.js';
import type { Manifest } from '../../../model/index.js';

export function manifestCommand(): Command {
  const command = new Command('manifest').description('print a Clair manifest for each named image').argument('<image...>', 'registry references or Clair manifest JSON files');
  imageOptions(command);
  return command.action(async (images: string[], opts: { platform?: string; insecure?: boolean }, cmd: Command) => {
    const log = cliLogger(globalsOf(cmd));
    const controller = new AbortController();
    const resolve = async (name: string): Promise<Manifest> => {
      const image = await openImage(name, { ...(opts.platform !== undefined ? { platform: opts.platform } : {}), insecure: opts.insecure === true, signal: controller.signal, log });
      try {
        if (image.local) throw clairError('CLI_USAGE', `${name} is a local archive: its layers have no URL outside clairctl; use "clairctl report", which serves them while Clair fetches them`);
        return image.manifest();
      } finally {
        await image.close();
      }
    };
    await inOrder(images, 4, (name) => resolve(name).catch((err: unknown) => {
      controller.abort(err);
      throw err;
    }), async (manifest) => {
      process.stdout.write(`${JSON.stringify(manifest)}\n`);
    });
  });
}
