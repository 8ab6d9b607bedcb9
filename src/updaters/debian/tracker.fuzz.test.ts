/** Fuzzing the Debian security tracker JSON reader through the updater's parse, from the tracker fixture. */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { drain, unmasked } from '../fuzz.case.js';
import { debianConfig } from './config.js';
import { DebianUpdater, RELEASES_FILE, TRACKER_FILE } from './updater.js';

const TRACKER = readFileSync(new URL('./testdata/tracker.json', import.meta.url));
const SMALL = Buffer.from(JSON.stringify({ openssl: { 'CVE-2024-0727': { description: 'd', releases: { bookworm: { status: 'open', urgency: 'low' }, sid: { status: 'resolved', fixed_version: '0' } } } }, 'x': [] }));

describe('debian tracker JSON: fuzz', async () => {
  const ctx = await updaterContext();
  after(() => ctx.cleanup());
  await writeFile(join(ctx.dir, RELEASES_FILE), JSON.stringify({ releases: [{ codeName: 'bullseye', versionId: 11 }, { codeName: 'bookworm', versionId: 12 }] }));
  const updater = new DebianUpdater(debianConfig({}));

  it('answers every mutated tracker document with records or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [TRACKER, SMALL],
      parse: (input) =>
        unmasked(async () => {
          await writeFile(join(ctx.dir, TRACKER_FILE), input);
          return drain(updater.parse(ctx));
        }),
    });
  });
});
