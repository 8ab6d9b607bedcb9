/** Fuzzing the Azure Linux OVAL reader (both passes, records included), from the CBL-Mariner 1.0 fixture. */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { drain, unmasked } from '../fuzz.case.js';
import { OVAL_FILE } from '../oval/index.js';
import { azureLinuxUpdater } from './updater.js';

const OVAL = readFileSync(new URL('./testdata/cbl-mariner-1.0-oval.xml', import.meta.url));

describe('azurelinux OVAL XML: fuzz', async () => {
  const ctx = await updaterContext();
  after(() => ctx.cleanup());
  const updater = azureLinuxUpdater('1.0');

  it('answers every mutated OVAL document with records or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [OVAL],
      parse: (input) =>
        unmasked(async () => {
          await writeFile(join(ctx.dir, OVAL_FILE), input);
          return drain(updater.parse(ctx));
        }),
    });
  });
});
