/**
 * End to end for language packages: the lang test image (pip and setuptools
 * wheels, log4j and commons-text jars, a rack gemspec, lodash from npm, Go
 * binaries) indexed over HTTP, OSV data loaded by the real OSV updater from a
 * loopback mirror at OSV's layout, and the report requested through the API.
 *
 * The OSV records are written here in OSV's format. Real advisories are used
 * where they exist (and are fixed at or below the image's versions, so must
 * NOT appear, or affect them, so MUST); entries marked "synthetic" stand in
 * where no real advisory affects the exact version in the image.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClairProcess } from '../app/start.js';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { imagesUnavailable, serveImageLayers, type LayerServer } from '../test-support/images.js';
import type { FeedServer } from '../test-support/feed-server.js';
import { serveOsvBuckets, startOsvClair } from '../test-support/osv-feeds.js';
import type { VulnerabilityReport } from '../model/index.js';
import { indexAndReport } from '../test-support/reports.js';
import { assertManifestReportsAccepted } from '../test-support/compat.js';

const skip = imagesUnavailable();

const advisory = (id: string, ecosystem: string, name: string, events: Array<Record<string, string>>, type = 'ECOSYSTEM') => ({
  schema_version: '1.4.0',
  id,
  modified: '2024-01-01T00:00:00Z',
  published: '2023-01-01T00:00:00Z',
  summary: `${id} in ${name}`,
  references: [{ type: 'ADVISORY', url: `https://github.com/advisories/${id}` }],
  affected: [{ package: { ecosystem, name }, ranges: [{ type, events }] }],
  database_specific: { severity: 'HIGH' },
});

const OSV: Record<string, object[]> = {
  PyPI: [
    { ...advisory('GHSA-mq26-g339-26xf', 'PyPI', 'pip', [{ introduced: '0' }, { fixed: '23.3' }]), aliases: ['CVE-2023-5752'] }, // affects pip 23.0.1
    advisory('GHSA-r9hx-vwmv-q579', 'PyPI', 'setuptools', [{ introduced: '0' }, { fixed: '65.5.1' }]), // CVE-2022-40897: fixed below 66.1.1
  ],
  Maven: [
    advisory('GHSA-jfh8-c2jp-5v3q', 'Maven', 'org.apache.logging.log4j:log4j-core', [{ introduced: '2.0-beta9' }, { fixed: '2.15.0' }]), // Log4Shell: fixed below 2.19.0
    advisory('GHSA-599f-7c49-w659', 'Maven', 'org.apache.commons:commons-text', [{ introduced: '1.5' }, { fixed: '1.10.0' }]), // Text4Shell: fixed at 1.10.0
    advisory('GHSA-test-log4j-2190', 'Maven', 'org.apache.logging.log4j:log4j-core', [{ introduced: '2.17.0' }, { fixed: '2.20.0' }]), // synthetic
  ],
  RubyGems: [
    advisory('GHSA-22f2-v57c-j9cx', 'RubyGems', 'rack', [{ introduced: '0' }, { fixed: '2.2.8.1' }]), // fixed below 2.2.22
    advisory('GHSA-test-rack-2222', 'RubyGems', 'rack', [{ introduced: '2.2.0' }, { last_affected: '2.2.22' }]), // synthetic
  ],
  npm: [
    advisory('GHSA-p6mc-m468-83gw', 'npm', 'lodash', [{ introduced: '0' }, { fixed: '4.17.19' }]), // CVE-2020-8203: affects 4.17.15
    advisory('GHSA-35jh-r3h4-6jhm', 'npm', 'lodash', [{ introduced: '0' }, { fixed: '4.17.21' }]), // CVE-2021-23337: affects 4.17.15
    advisory('GHSA-jf85-cpcp-j695', 'npm', 'lodash', [{ introduced: '0' }, { fixed: '4.17.12' }]), // CVE-2019-10744: fixed below
  ],
  Go: [
    advisory('GO-2022-0493', 'Go', 'golang.org/x/sys', [{ introduced: '0' }, { fixed: '0.0.0-20220412211240-33da011f77ad' }], 'SEMVER'), // fixed before the image's pseudo-version
    advisory('GO-2099-0001', 'Go', 'golang.org/x/sys', [{ introduced: '0' }, { fixed: '0.1.0' }], 'SEMVER'), // synthetic
  ],
};

describe('language vulnerability report end to end', { skip }, () => {
  let clair: ClairProcess;
  let layers: LayerServer;
  let feeds: FeedServer;
  let db: TestDatabase;
  let report: VulnerabilityReport;

  before(async () => {
    db = await createTestDatabase((await postgresUnavailable()) ? 'embedded' : 'postgres');
    layers = await serveImageLayers();
    feeds = await serveOsvBuckets(OSV);
    clair = await startOsvClair(db.connstring, feeds, ['osv/pypi', 'osv/maven', 'osv/rubygems', 'osv/npm', 'osv/go']);
    report = await indexAndReport(clair, layers.manifest('lang'));
  });
  after(async () => {
    await clair?.close();
    await layers?.close();
    await feeds?.close();
    await db?.drop();
  });

  it('matches each language package with its ecosystem\'s version rules', () => {
    const findings: Record<string, string[]> = {};
    for (const [pkgId, ids] of Object.entries(report.package_vulnerabilities)) {
      const p = report.packages[pkgId]!;
      const names = ids.map((id) => report.vulnerabilities[id]!.name).sort();
      findings[`${p.name} ${p.version}`] = [...(findings[`${p.name} ${p.version}`] ?? []), ...names].sort();
    }
    const language = Object.fromEntries(Object.entries(findings).filter(([k]) => /^(pip|setuptools|org\.apache|rack|lodash|golang\.org)/.test(k)));
    assert.deepEqual(language, {
      'pip 23.0.1': ['GHSA-mq26-g339-26xf'],
      'org.apache.logging.log4j:log4j-core 2.19.0': ['GHSA-test-log4j-2190'],
      'rack 2.2.22': ['GHSA-test-rack-2222'],
      'lodash 4.17.15': ['GHSA-35jh-r3h4-6jhm', 'GHSA-p6mc-m468-83gw'],
      'golang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8': ['GO-2099-0001'],
    });
  });

  it('carries each record\'s own id and aliases as claircore writes them (Self, Aliases)', () => {
    const pip = Object.values(report.vulnerabilities).find((v) => v.name === 'GHSA-mq26-g339-26xf')!;
    assert.deepEqual([pip.Self, pip.Aliases], [{ space: 'GHSA', name: 'mq26-g339-26xf' }, [{ space: 'CVE', name: '2023-5752' }]]);
    const lodash = Object.values(report.vulnerabilities).find((v) => v.name === 'GHSA-p6mc-m468-83gw')!;
    assert.deepEqual([lodash.Self, 'Aliases' in lodash], [{ space: 'GHSA', name: 'p6mc-m468-83gw' }, false]);
  });

  it('gives reports that Quay\'s client and Clair\'s published schema accept, and Quay lists the findings', async () => {
    const features = await assertManifestReportsAccepted(clair, layers.manifest('lang'));
    const lodash = features.find((f) => f.name === 'lodash')!;
    assert.deepEqual(lodash.vulnerabilities.map((v) => [v.name, v.updater, v.repository]).sort(), [
      ['GHSA-35jh-r3h4-6jhm', 'osv/npm', ['npm', 'https://www.npmjs.com/']],
      ['GHSA-p6mc-m468-83gw', 'osv/npm', ['npm', 'https://www.npmjs.com/']],
    ]);
  });
});
