/**
 * @module The default updater sets (explicit list) and their selection by
 * `updaters.sets`: `undefined` means every default, `[]` none (as does
 * `matcher.disable_updaters`).
 */
import { clairError } from '../lib/errors.js';
import type { UpdaterSetFactory } from './updater.js';
import { alpineFactory, chainguardFactory, wolfiFactory } from './alpine/index.js';
import { awsFactory } from './aws/index.js';
import { debianSetFactory } from './debian/index.js';
import { ubuntuSetFactory } from './ubuntu/index.js';
import { osvSetFactory } from './osv/index.js';
import { rhelVexSetFactory } from './rhel-vex/index.js';
import { oracleSetFactory } from './oracle/index.js';
import { photonSetFactory } from './photon/index.js';
import { suseSetFactory } from './suse/index.js';

export const DEFAULT_SET_FACTORIES: readonly UpdaterSetFactory[] = [
  alpineFactory,
  awsFactory,
  chainguardFactory,
  debianSetFactory,
  oracleSetFactory,
  osvSetFactory,
  photonSetFactory,
  rhelVexSetFactory,
  suseSetFactory,
  ubuntuSetFactory,
  wolfiFactory,
];

export function selectSetFactories(names: readonly string[] | undefined, all: readonly UpdaterSetFactory[] = DEFAULT_SET_FACTORIES): UpdaterSetFactory[] {
  if (names === undefined) return [...all];
  const byName = new Map(all.map((f) => [f.name, f]));
  return names.map((n) => {
    const f = byName.get(n);
    if (!f) throw clairError('CONFIG_INVALID', `config: updaters.sets: unknown updater set "${n}" (known: ${[...byName.keys()].join(', ')})`);
    return f;
  });
}
