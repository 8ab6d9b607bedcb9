/**
 * @module `clairctl delete DIGEST...`: deletes the index reports of the
 * named manifest digests (Clair's bulk `DELETE /indexer/api/v1/index_report`)
 * and prints each digest the indexer deleted, one per line.
 */
import { Command } from 'commander';
import { globalsOf, optionalConfig } from '../globals.js';
import { ClairApi } from '../clair-api.js';
import { hostOption } from './options.js';
import { DEFAULT_HOST } from '../session.js';
import { clairError } from '../../../lib/errors.js';

const DIGEST = /^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/;

export function deleteCommand(): Command {
  return new Command('delete')
    .description('delete the index reports of the given manifest digests')
    .argument('<digest...>', 'manifest digests, e.g. sha256:…')
    .addOption(hostOption())
    .action(async (digests: string[], opts: { host?: string }, cmd: Command) => {
      const bad = digests.filter((d) => !DIGEST.test(d));
      if (bad.length > 0) throw clairError('CLI_USAGE', `not a manifest digest: ${bad.join(', ')} (expected sha256:<64 hex digits>, or sha384/sha512)`);
      const g = globalsOf(cmd);
      const api = new ClairApi({ host: opts.host ?? DEFAULT_HOST, config: await optionalConfig(g), issuer: g.issuer });
      for (const digest of await api.deleteIndexReports(digests)) process.stdout.write(`${digest}\n`);
    });
}
