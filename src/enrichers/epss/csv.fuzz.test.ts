/** Fuzzing the EPSS CSV reader (plain or gzip), from files written by the enrichment test builders. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { epssCsv } from '../../test-support/enrichment-feeds.js';
import { fuzz } from '../../test-support/fuzz.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { drain, unmasked } from '../../updaters/fuzz.case.js';
import { readEpss } from './csv.js';

const CSV = epssCsv([
  ['CVE-1999-0005', '0.91963', '0.99030'],
  ['CVE-2022-34667', '0.00073', '0.32799'],
  ['CVE-2024-0001', 'NaN?', '0.5'],
  ['CVE-2024-9986', '1.00000', '1.00000'],
]);

describe('clair.epss CSV: fuzz', async () => {
  const ctx = await updaterContext();
  after(() => ctx.cleanup());

  it('answers every mutated EPSS file, plain or gzip, with records or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [Buffer.from(CSV), gzipSync(CSV), Buffer.from(CSV.replaceAll('\n', '\r\n'))],
      parse: (input) =>
        unmasked(async () => {
          const file = join(ctx.dir, 'epss.csv');
          await writeFile(file, input);
          const gzip = input[0] === 0x1f && input[1] === 0x8b;
          return drain(readEpss(file, gzip, 'clair.epss', { written: 0, invalid: 0 }));
        }),
    });
  });
});
