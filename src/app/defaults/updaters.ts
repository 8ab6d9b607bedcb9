/**
 * @module The default updater sets (explicit list). `updaters.sets` selects
 * among them and the enrichers' sets (`./enrichers.ts`, through
 * `src/app/plugins.ts`): absent means every default, `[]` none (as does
 * `matcher.disable_updaters`).
 */
import type { UpdaterSetFactory } from '../../updaters/updater.js';
import { alpineFactory, chainguardFactory, wolfiFactory } from '../../updaters/alpine/index.js';
import { awsFactory } from '../../updaters/aws/index.js';
import { azureLinuxSetFactory } from '../../updaters/azurelinux/index.js';
import { debianSetFactory } from '../../updaters/debian/index.js';
import { ubuntuSetFactory } from '../../updaters/ubuntu/index.js';
import { osvSetFactory } from '../../updaters/osv/index.js';
import { rhelVexSetFactory } from '../../updaters/rhel-vex/index.js';
import { oracleSetFactory } from '../../updaters/oracle/index.js';
import { photonSetFactory } from '../../updaters/photon/index.js';
import { suseSetFactory } from '../../updaters/suse/index.js';

export const DEFAULT_SET_FACTORIES: readonly UpdaterSetFactory[] = [
  alpineFactory,
  awsFactory,
  azureLinuxSetFactory,
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
