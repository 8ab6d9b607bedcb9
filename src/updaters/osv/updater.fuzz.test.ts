/**
 * Fuzzing the OSV updater's parse: one advisory's JSON (inside an archive
 * built around it) for each ecosystem the fixtures cover, and the `all.zip`
 * archive itself, from the hand-written advisories.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { buildZip } from '../../test-support/jar-builder.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { drain, unmasked } from '../fuzz.case.js';
import { GHSA_CRATES, GHSA_NPM, GHSA_NUGET, GHSA_PACKAGIST, GO_VULN, PYSEC, PYSEC_WITHDRAWN, zipOf } from './fixtures.case.js';
import { OsvUpdater } from './updater.js';

const ADVISORIES = [PYSEC, PYSEC_WITHDRAWN, GHSA_NPM, GO_VULN, GHSA_PACKAGIST, GHSA_NUGET, GHSA_CRATES];
const ECOSYSTEMS = ['PyPI', 'npm', 'Go', 'Packagist', 'NuGet', 'crates.io', 'Maven', 'RubyGems'];

describe('osv: fuzz', async () => {
  const ctx = await updaterContext();
  after(() => ctx.cleanup());
  const updaters = ECOSYSTEMS.map((eco) => new OsvUpdater(eco, 'https://osv-vulnerabilities.storage.googleapis.com/'));
  const parseArchive = async (zip: Buffer): Promise<number> => {
    await writeFile(join(ctx.dir, 'all.zip'), zip);
    let records = 0;
    for (const u of updaters) records += await drain(u.parse(ctx));
    return records;
  };

  it('answers every mutated advisory JSON with records or a clear error, in every ecosystem, never a crash or a hang', async () => {
    await fuzz({
      seeds: ADVISORIES.map((a) => Buffer.from(JSON.stringify(a))),
      parse: (input) => unmasked(() => parseArchive(buildZip([{ name: 'ADVISORY-1.json', content: input }]))),
    });
  });

  it('answers every mutated all.zip with records or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [zipOf([PYSEC, GHSA_NPM]), buildZip([{ name: 'GO-2099-0001.json', content: JSON.stringify(GO_VULN) }, { name: 'dir/', content: '' }])],
      parse: (input) => unmasked(() => parseArchive(input)),
    });
  });
});
