/**
 * The Ubuntu set against real release data from /work/shared/data. There is
 * no Ubuntu OVAL there (README "Gaps": no mirror of
 * security-metadata.canonical.com; the Ubuntu OSV/VEX samples are other
 * formats), so the real input is the release list: `distro-info/ubuntu.csv`
 * (from Debian's distro-info-data) is rendered as a Launchpad series
 * collection, and the OVAL documents are this folder's fixture. What is
 * checked is that every real release gets the name and VERSION_ID the Ubuntu
 * distribution scanner reports for its lsb-release.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpClient } from '../../lib/http-client.js';
import { ubuntuFromText } from '../../scanners/ubuntu/distribution-scanner.js';
import { quietLogger } from '../../test-support/config.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { testContext } from '../../test-support/dpkg-feeds.js';
import { ubuntuSetFactory, type UbuntuUpdater } from './index.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CSV = resolve(REPO_ROOT, '..', 'shared', 'data', 'distro-info', 'ubuntu.csv');
const TESTDATA = fileURLToPath(new URL('./testdata/', import.meta.url));
const skip = existsSync(CSV) ? false : `shared data not found at ${CSV} (/work/shared is absent): skipping real-data Ubuntu tests`;

/** A fixed "today" so the set of supported releases does not drift with the clock. */
const TODAY = '2026-01-01';

interface Row {
  version: string;
  series: string;
  active: boolean;
}

async function releases(): Promise<Row[]> {
  const [, ...lines] = (await readFile(CSV, 'utf8')).trim().split('\n');
  return lines.map((line) => {
    const cols = line.split(',');
    // Supported while any of eol, eol-server, eol-esm lies ahead (Launchpad keeps ESM series active).
    const ends = [cols[5], cols[6], cols[7]].filter((d): d is string => d !== undefined && d !== '');
    return { version: cols[0]!.replace(/ LTS$/, ''), series: cols[2]!, active: cols[4]! <= TODAY && ends.some((d) => d >= TODAY) };
  });
}

describe('ubuntu set on the shared real release list', { skip, timeout: 60_000 }, () => {
  let s: FeedServer;
  let rows: Row[];

  before(async () => {
    rows = await releases();
    const entries = rows.map((r) => ({ name: r.series, version: r.version, active: r.active, status: r.active ? 'Supported' : 'Obsolete', displayname: r.series }));
    const bz2 = await readFile(join(TESTDATA, 'com.ubuntu.jammy.cve.oval.xml.bz2'));
    s = await startFeedServer({
      '/1.0/ubuntu/series': { body: JSON.stringify({ start: 0, total_size: entries.length, entries }), contentType: 'application/json' },
      ...Object.fromEntries(rows.map((r) => [`/oval/com.ubuntu.${r.series}.cve.oval.xml.bz2`, { body: bz2 }])),
    });
  });
  after(() => s?.close());

  it('builds an updater per supported release, with the VERSION_ID its lsb-release gives the scanner', async () => {
    const updaters = (await ubuntuSetFactory.create({ http: createHttpClient({ timeoutMs: 10_000 }), signal: AbortSignal.timeout(30_000), log: quietLogger(), config: { url: `${s.url}1.0/`, oval_url: `${s.url}oval/` } })) as UbuntuUpdater[];
    const active = rows.filter((r) => r.active);
    assert.ok(active.some((r) => r.series === 'jammy') && active.some((r) => r.series === 'noble'), 'jammy and noble are supported on the reference date');
    assert.deepEqual(updaters.map((u) => u.name), active.map((r) => `ubuntu/updater/${r.series}`));
    for (const u of updaters) {
      const lsb = ubuntuFromText(`DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=${u.release.versionId}\nDISTRIB_CODENAME=${u.release.codeName}\n`, 'lsb');
      assert.equal(lsb?.versionId, active.find((r) => r.series === u.release.codeName)?.version);
    }

    const jammy = updaters.find((u) => u.release.codeName === 'jammy')!;
    const ctx = await testContext();
    try {
      await jammy.fetch(ctx, undefined);
      const records = await collect(jammy.parse(ctx));
      assert.equal(records.length, 10);
      const scanned = ubuntuFromText('DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION="Ubuntu 22.04.4 LTS"\n', 'lsb');
      for (const r of records) assert.deepEqual(r.distribution, scanned);
    } finally {
      await ctx.cleanup();
    }
  });
});
