/** Fuzzing the CISA KEV catalog reader, from a catalog written by the enrichment test builders. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { kevCatalog } from '../../test-support/enrichment-feeds.js';
import { fuzz } from '../../test-support/fuzz.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { drain, unmasked } from '../../updaters/fuzz.case.js';
import { readKevCatalog } from './catalog.js';

/** Compact JSON: mutations land on content rather than indentation. */
const CATALOG = JSON.stringify(
  JSON.parse(kevCatalog([{ cveID: 'CVE-2021-44228', dateAdded: '2021-12-10', dueDate: '2021-12-24', knownRansomwareCampaignUse: 'Known' }, { cveID: 'CVE-2025-48384' }])),
);

describe('clair.kev catalog JSON: fuzz', async () => {
  const ctx = await updaterContext();
  after(() => ctx.cleanup());

  it('answers every mutated catalog with records or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [Buffer.from(CATALOG)],
      parse: (input) =>
        unmasked(async () => {
          const file = join(ctx.dir, 'kev.json');
          await writeFile(file, input);
          return drain(readKevCatalog(file, 'clair.kev'));
        }),
    });
  });
});
