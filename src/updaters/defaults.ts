/**
 * @module The default updater sets (explicit list). `updaters.sets` selects
 * among them (`src/app/plugins.ts`): absent means every default, `[]` none
 * (as does `matcher.disable_updaters`).
 */
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
