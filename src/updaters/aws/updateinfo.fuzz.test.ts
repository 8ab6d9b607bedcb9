/** Fuzzing Amazon Linux's updateinfo XML (plain or gzip) through the updater's parse, and repomd.xml, from the fixtures. */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { fuzz } from '../../test-support/fuzz.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { drain, unmasked } from '../fuzz.case.js';
import { parseRepomd } from './repomd.js';
import { AwsUpdater } from './updater.js';

const UPDATEINFO = readFileSync(new URL('./testdata/updateinfo.xml', import.meta.url));
const REPOMD = `<?xml version="1.0"?><repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm"><revision>1</revision>
<data type="primary_db"><checksum type="sha256">AA</checksum><location href="repodata/primary.sqlite.bz2"/></data>
<data type="updateinfo"><checksum type="sha256"> 9DD3 </checksum><open-checksum type="sha256">bb</open-checksum><location href="repodata/x-updateinfo.xml.gz"/></data></repomd>`;

describe('aws updateinfo XML: fuzz', async () => {
  const ctx = await updaterContext();
  after(() => ctx.cleanup());
  const updater = new AwsUpdater({ release: 'linux2' });

  it('answers every mutated updateinfo, plain or gzip, with records or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [UPDATEINFO, gzipSync(UPDATEINFO)],
      parse: (input) =>
        unmasked(async () => {
          await writeFile(join(ctx.dir, 'updateinfo'), input);
          return drain(updater.parse(ctx));
        }),
    });
  });

  it('answers every mutated repomd.xml with its entries or a clear error, never a crash', async () => {
    await fuzz({
      seeds: [Buffer.from(REPOMD)],
      parse: (input) => unmasked(() => parseRepomd(input.toString('utf8'), 'aws-linux2-updater', 'http://m/repodata/repomd.xml')),
    });
  });
});
