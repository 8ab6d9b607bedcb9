/** Fuzzing Ubuntu's OVAL reader (bzip2 or plain, both passes) through the updater's parse, from the jammy fixture. */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { drain, unmasked } from '../fuzz.case.js';
import { DOWNLOAD_FILE, UbuntuUpdater } from './updater.js';

const testdata = (name: string): Buffer => readFileSync(new URL(`./testdata/${name}`, import.meta.url));

describe('ubuntu OVAL XML: fuzz', async () => {
  const ctx = await updaterContext();
  after(() => ctx.cleanup());
  const updater = new UbuntuUpdater({ codeName: 'jammy', versionId: '22.04' }, 'https://security-metadata.canonical.com/oval/com.ubuntu.jammy.cve.oval.xml.bz2');

  it('answers every mutated OVAL document, plain or bzip2, with records or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [testdata('com.ubuntu.jammy.cve.oval.xml'), testdata('com.ubuntu.jammy.cve.oval.xml.bz2')],
      parse: (input) =>
        unmasked(async () => {
          await writeFile(join(ctx.dir, DOWNLOAD_FILE), input);
          return drain(updater.parse(ctx));
        }),
    });
  });
});
