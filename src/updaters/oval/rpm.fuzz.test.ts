/** Fuzzing the shared OVAL rpminfo reader (both passes, records included), from the rpminfo fixture. */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { oracleRelease } from '../../model/releases.js';
import { fuzz } from '../../test-support/fuzz.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { drain, unmasked } from '../fuzz.case.js';
import { ovalRpmRecords, releasePrototypes } from './index.js';

const RPMINFO = readFileSync(new URL('./testdata/rpminfo.xml', import.meta.url));

describe('OVAL rpminfo XML: fuzz', async () => {
  const ctx = await updaterContext();
  after(() => ctx.cleanup());
  const prototypes = releasePrototypes(oracleRelease(8));

  it('answers every mutated OVAL document with records or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [RPMINFO],
      parse: (input) =>
        unmasked(async () => {
          const file = join(ctx.dir, 'oval.xml');
          await writeFile(file, input);
          return drain(ovalRpmRecords(file, { component: 'fuzz', signal: ctx.signal, prototypes: (def) => prototypes(def, 'fuzz') }));
        }),
    });
  });
});
