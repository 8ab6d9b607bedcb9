/**
 * Fuzzing the clair.cvss inputs: NVD CVE JSON 2.0 feeds (plain or gzip),
 * the `.meta` files beside them, and the `cvssData` vector check, from
 * feeds written by the enrichment test builders.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { cvss3Data, nvdCve, nvdFeed, nvdMeta } from '../../test-support/enrichment-feeds.js';
import { fuzz } from '../../test-support/fuzz.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { drain, unmasked } from '../../updaters/fuzz.case.js';
import { checkCvssData, newTally, readNvdFeed } from './feed.js';
import { parseFeedMeta } from './meta.js';

const V31 = cvss3Data('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 'HIGH');
const V30 = cvss3Data('CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:C/C:N/I:H/A:N', 6.5, 'MEDIUM');
const V40 = { version: '4.0', vectorString: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', baseScore: 7.7, baseSeverity: 'HIGH' };
/** Compact JSON: mutations land on content rather than indentation. */
const FEED = JSON.stringify(
  JSON.parse(
    nvdFeed([
      nvdCve({ id: 'CVE-2016-2781', metrics: { cvssMetricV31: [{ type: 'Secondary', cvssData: V31 }], cvssMetricV30: [{ type: 'Primary', cvssData: V30 }] } }),
      nvdCve({ id: 'CVE-2016-3197', status: 'Rejected', metrics: { cvssMetricV31: [{ type: 'Primary', cvssData: V31 }] } }),
      nvdCve({ id: 'CVE-2016-5002', metrics: { cvssMetricV40: [{ type: 'Primary', cvssData: V40 }] } }),
      nvdCve({ id: 'CVE-2016-5004', metrics: { cvssMetricV31: [{ type: 'Primary', cvssData: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' } }] } }),
    ]),
  ),
);
const VECTORS = [
  'AV:N/AC:L/Au:N/C:N/I:N/A:C',
  'AV:L/AC:H/Au:M/C:P/I:P/A:P/E:POC/RL:OF/RC:C/CDP:LM/TD:H/CR:M/IR:L/AR:ND',
  'CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:C/C:N/I:H/A:N',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C/CR:H/IR:X/AR:M/MAV:A/MAC:H/MPR:L/MUI:R/MS:C/MC:L/MI:N/MA:X',
  'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  'CVSS:4.0/AV:A/AC:H/AT:N/PR:L/UI:A/VC:L/VI:N/VA:L/SC:H/SI:L/SA:N/E:P/CR:H/MAV:L/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Amber',
];

describe('clair.cvss feeds: fuzz', async () => {
  const ctx = await updaterContext();
  after(() => ctx.cleanup());

  it('answers every mutated NVD feed, plain or gzip, with records or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [Buffer.from(FEED), gzipSync(FEED)],
      parse: (input) =>
        unmasked(async () => {
          const file = join(ctx.dir, 'nvdcve-2.0-2016.json');
          await writeFile(file, input);
          const gzip = input[0] === 0x1f && input[1] === 0x8b;
          return drain(readNvdFeed(file, gzip, { component: 'clair.cvss: 2016', tally: newTally(), seen: new Set() }));
        }),
    });
  });

  it('answers every mutated meta file with its fields or a reason, never a crash', async () => {
    await fuzz({ seeds: [Buffer.from(nvdMeta(FEED))], parse: (input) => parseFeedMeta(input.toString('utf8')) });
  });

  it('answers every mutated cvssData vector with the data to store or a reason, never by throwing', async () => {
    await fuzz({
      seeds: VECTORS.map((v) => Buffer.from(v)),
      parse: (input) => {
        // The contract is a returned reason: any throw, however worded, is a crash here.
        try {
          return checkCvssData({ vectorString: input.toString('utf8') }, newTally());
        } catch (err) {
          assert.fail(`checkCvssData threw instead of returning a reason: ${(err as Error).message}`);
        }
      },
    });
  });
});
