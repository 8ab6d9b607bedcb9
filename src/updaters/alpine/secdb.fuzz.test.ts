/** Fuzzing the secdb JSON reader through the Alpine and Wolfi updaters' parse, from the secdb fixtures. */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WOLFI } from '../../model/releases.js';
import { fuzz } from '../../test-support/fuzz.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { drain, unmasked } from '../fuzz.case.js';
import { alpineUpdater } from './factory.js';
import { SecdbUpdater } from './secdb-updater.js';
import { rollingRecords, WOLFI_UPDATER_NAME } from './wolfi.js';

const testdata = (name: string): Buffer => readFileSync(new URL(`./testdata/${name}`, import.meta.url));

describe('alpine/wolfi secdb JSON: fuzz', async () => {
  const ctx = await updaterContext();
  after(() => ctx.cleanup());
  const updaters = [
    alpineUpdater('https://secdb.alpinelinux.org/', { kind: 'stable', major: 3, minor: 17 }, 'main'),
    new SecdbUpdater({ name: WOLFI_UPDATER_NAME, url: 'https://packages.wolfi.dev/os/security.json', toRecords: (pkg, updater) => rollingRecords(pkg, updater, WOLFI) }),
  ];

  it('answers every mutated secdb document with records or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: ['v3.17-main.json', 'edge-main.json', 'wolfi-security.json'].map(testdata),
      parse: (input) =>
        unmasked(async () => {
          await writeFile(join(ctx.dir, 'secdb.json'), input);
          let records = 0;
          for (const u of updaters) records += await drain(u.parse(ctx));
          return records;
        }),
    });
  });
});
