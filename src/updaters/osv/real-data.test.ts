/**
 * Real OSV bundles from /work/shared/data/osv (see its README), served at the
 * bucket layout. Skipped with a message when the shared data is absent.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { VulnerabilityRecord } from '../../model/vulnerability-record.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { createOsvFactory } from './factory.js';
import { SHARED_OSV, setContext, sharedOsvSkip, updaterContext } from './test-helpers.case.js';
import type { OsvUpdater } from './updater.js';

const skip = sharedOsvSkip('ecosystems.txt');
const ECOS = ['Go', 'Maven', 'PyPI', 'RubyGems', 'crates.io', 'npm'];

describe('osv real data', { skip }, () => {
  let server: FeedServer;
  const byUpdater = new Map<string, VulnerabilityRecord[]>();

  before(async () => {
    const routes: Parameters<typeof startFeedServer>[0] = { '/ecosystems.txt': { body: { file: join(SHARED_OSV, 'ecosystems.txt') }, etag: '"eco-1"' } };
    for (const eco of ECOS) routes[`/${encodeURIComponent(eco)}/all.zip`] = { body: { file: join(SHARED_OSV, eco, 'all.zip') }, etag: `"${eco}-1"` };
    server = await startFeedServer(routes);
    const updaters = (await createOsvFactory().create(setContext({ url: server.url }))) as OsvUpdater[];
    assert.deepEqual(updaters.map((u) => u.name), ['osv/go', 'osv/maven', 'osv/pypi', 'osv/rubygems', 'osv/crates.io', 'osv/npm']);
    for (const u of updaters) {
      const ctx = await updaterContext();
      try {
        const out = await u.fetch(ctx, undefined);
        assert.deepEqual(out, { unchanged: false, fingerprint: `etag:"${u.ecosystem}-1"` });
        byUpdater.set(u.name, await collect(u.parse(ctx)));
        assert.deepEqual(await u.fetch(ctx, out.unchanged ? undefined : out.fingerprint), { unchanged: true });
      } finally {
        await ctx.cleanup();
      }
    }
  });
  after(() => server?.close());

  it('yields the expected record counts per ecosystem', () => {
    // Counted independently (Python over the same zips): one record per
    // SEMVER/ECOSYSTEM interval of non-withdrawn advisories; npm's GHSA
    // sample has only ECOSYSTEM ranges, read as semver (claircore skips them).
    const counts = Object.fromEntries([...byUpdater].map(([k, v]) => [k, [v.length, new Set(v.map((r) => r.name)).size]]));
    assert.deepEqual(counts, {
      'osv/go': [7560, 4274],
      'osv/maven': [15, 4],
      'osv/pypi': [5084, 2650],
      'osv/rubygems': [4, 2],
      'osv/crates.io': [1452, 1193],
      'osv/npm': [7, 3],
    });
    assert.ok(byUpdater.get('osv/go')!.every((r) => r.range?.kind === 'semver' && r.range.lower.length === 10 && r.range.upper.length === 10));
    assert.ok(byUpdater.get('osv/pypi')!.every((r) => r.range === undefined && r.repository?.uri === 'https://pypi.org/simple'));
  });

  it('maps GO-2022-1059 exactly', () => {
    const recs = byUpdater.get('osv/go')!.filter((r) => r.name === 'GO-2022-1059');
    assert.deepEqual(recs, [
      {
        updater: 'osv/go',
        name: 'GO-2022-1059',
        description: 'Denial of service via crafted Accept-Language header in golang.org/x/text/language',
        issued: new Date('0001-01-01T00:00:00Z'),
        links: 'https://go.dev/issue/56152 https://go.dev/cl/442235 https://groups.google.com/g/golang-announce/c/-hjNw559_tE/m/KlGTfid5CAAJ https://osv.dev/vulnerability/GO-2022-1059',
        severity: '',
        normalizedSeverity: 'Unknown',
        package: { name: 'golang.org/x/text', version: '', module: '', arch: '', kind: 'binary' },
        repository: { name: 'go', key: '', uri: 'https://pkg.go.dev/' },
        fixedInVersion: '0.3.8',
        archOp: '',
        range: { kind: 'semver', lower: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], upper: [0, 0, 3, 8, 0, 0, 0, 0, 0, 0] },
        self: { space: 'GO', name: '2022-1059' },
        aliases: [{ space: 'CVE', name: '2022-32149' }, { space: 'GHSA', name: '69ch-w2m2-3vjp' }],
      },
    ]);
  });

  it('maps PyPI names (PEP 503), open-ended ranges and CVSS v3.0 severity', () => {
    const pypi = byUpdater.get('osv/pypi')!;
    const jw = pypi.filter((r) => r.name === 'PYSEC-2020-341');
    assert.deepEqual(jw.map((r) => [r.package.name, r.fixedInVersion, r.normalizedSeverity, r.issued?.toISOString()]), [['jw-util', 'fixed=2.3', 'Unknown', '2020-05-22T17:15:00.000Z']]);
    assert.ok(jw[0]!.links.endsWith(' https://osv.dev/vulnerability/PYSEC-2020-341'));
    const atlas = pypi.filter((r) => r.name === 'PYSEC-2017-105');
    assert.deepEqual(atlas.map((r) => [r.package.name, r.fixedInVersion, r.severity, r.normalizedSeverity]), [
      ['apache-atlas', '', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 'High'],
    ]);
  });

  it('maps the Maven GHSA sample (log4j) to query strings', () => {
    const log4j = byUpdater.get('osv/maven')!.filter((r) => r.name === 'GHSA-jfh8-c2jp-5v3q');
    assert.deepEqual(log4j.map((r) => [r.package.name, r.fixedInVersion, r.normalizedSeverity, r.repository?.name]), [
      ['org.apache.logging.log4j:log4j-core', 'introduced=2.13.0&fixed=2.15.0', 'Critical', 'maven'],
      ['org.apache.logging.log4j:log4j-core', 'fixed=2.3.1', 'Critical', 'maven'],
      ['org.apache.logging.log4j:log4j-core', 'introduced=2.4&fixed=2.12.2', 'Critical', 'maven'],
    ]);
  });
});

if (skip) console.log(`# ${skip}`);
