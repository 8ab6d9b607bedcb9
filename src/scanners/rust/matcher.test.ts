import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildQuery } from '../../matcher/controller.js';
import { openZip } from '../../lib/zip.js';
import { SHARED_DATA, sharedDataSkip } from '../../test-support/updater-context.js';
import { indexRecord, osvVulnerabilities } from '../internal/osv-vulnerabilities.case.js';
import { CRATES_IO_REPOSITORY, cratePackage } from './crates.js';
import { RUST_MATCHER_NAME, rustMatcher } from './matcher.js';

// RUSTSEC-2022-0013 as OSV publishes it (regex, CVE-2022-24713), and a two-interval advisory in the same shape.
const REGEX_ADVISORY = {
  id: 'RUSTSEC-2022-0013',
  modified: '2023-06-13T13:10:24Z',
  published: '2022-03-08T12:00:00Z',
  aliases: ['CVE-2022-24713', 'GHSA-m5pq-gvj9-9vr8'],
  summary: 'Regexes with large repetitions on empty sub-expressions take a very long time to parse',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
  affected: [
    {
      package: { ecosystem: 'crates.io', name: 'regex', purl: 'pkg:cargo/regex' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0.0.0-0' }, { fixed: '1.5.5' }] }],
      database_specific: { categories: ['denial-of-service'], informational: null },
    },
  ],
  references: [{ type: 'PACKAGE', url: 'https://crates.io/crates/regex' }, { type: 'ADVISORY', url: 'https://rustsec.org/advisories/RUSTSEC-2022-0013.html' }],
};
const TWO_RANGES = {
  id: 'RUSTSEC-2099-0001',
  summary: 'synthetic: affected in two release lines',
  affected: [
    {
      package: { ecosystem: 'crates.io', name: 'tokio' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0.2.0' }, { fixed: '1.18.4' }, { introduced: '1.19.0' }, { fixed: '1.20.1' }] }],
    },
  ],
};

const cratesIo = (name: string, version: string) => cratePackage({ name, version, source: 'registry+https://github.com/rust-lang/crates.io-index' }, true, 'cargo:Cargo.lock', 'Cargo.lock');
const vulnerable = (name: string, version: string, advisory: object) =>
  osvVulnerabilities(advisory, 'crates.io').some((v) => rustMatcher.vulnerable(indexRecord(cratesIo(name, version), CRATES_IO_REPOSITORY), v));

describe('rust matcher', () => {
  it('name, query, authoritative version filter', () => {
    assert.equal(RUST_MATCHER_NAME, 'rust');
    assert.equal(rustMatcher.name, 'rust');
    assert.deepEqual(rustMatcher.query(), ['RepositoryName']);
    assert.deepEqual(rustMatcher.versionFilter, { authoritative: true });
  });

  it('filter and lookup: crates.io records with a semver version; git and path crates never', () => {
    const regex = indexRecord(cratesIo('regex', '1.5.4'), CRATES_IO_REPOSITORY);
    assert.equal(rustMatcher.filter(regex), true);
    const q = buildQuery(rustMatcher, regex);
    assert.deepEqual(q?.constraints, { repo_name: 'crates.io' });
    assert.deepEqual(q?.versionIn, { kind: 'semver', v: [0, 1, 5, 4, 0, 0, 0, 0, 0, 0] });
    const git = indexRecord(cratePackage({ name: 'regex', version: '1.5.4', source: 'git+https://github.com/rust-lang/regex#abc' }, false, 'x', 'x'), CRATES_IO_REPOSITORY);
    assert.equal(rustMatcher.filter(git), false);
    assert.equal(rustMatcher.filter(indexRecord(cratesIo('regex', '1.5.4'), { name: 'npm', key: '', uri: 'https://www.npmjs.com/', cpe: '' })), false);
    assert.equal(rustMatcher.filter(indexRecord(cratesIo('odd', 'not-semver'), CRATES_IO_REPOSITORY)), false);
  });

  const table: [string, string, object, boolean][] = [
    ['regex', '1.5.4', REGEX_ADVISORY, true],
    ['regex', '0.1.80', REGEX_ADVISORY, true],
    ['regex', '1.5.5', REGEX_ADVISORY, false],
    ['regex', '1.10.2', REGEX_ADVISORY, false],
    ['tokio', '0.1.22', TWO_RANGES, false],
    ['tokio', '1.18.3', TWO_RANGES, true],
    ['tokio', '1.18.4', TWO_RANGES, false],
    ['tokio', '1.19.2', TWO_RANGES, true],
    ['tokio', '1.20.1', TWO_RANGES, false],
  ];
  for (const [name, version, advisory, want] of table) {
    it(`${name} ${version} is ${want ? '' : 'not '}vulnerable to ${(advisory as { id: string }).id}`, () => assert.equal(vulnerable(name, version, advisory), want));
  }

  it('against the real crates.io bundle: RUSTSEC-2022-0013 and its neighbours', async (t) => {
    const skip = sharedDataSkip('osv/crates.io/all.zip');
    if (skip) return t.skip(skip);
    const zip = await openZip(join(SHARED_DATA, 'osv/crates.io/all.zip'));
    const read = async (id: string) => JSON.parse((await zip.read(zip.entries.find((e) => e.name === `${id}.json`)!, 1 << 20)).toString('utf8')) as object;
    const real = await read('RUSTSEC-2022-0013');
    assert.equal(vulnerable('regex', '1.5.4', real), true);
    assert.equal(vulnerable('regex', '1.5.5', real), false);
    assert.deepEqual(
      osvVulnerabilities(real, 'crates.io').map((v) => [v.name, v.package.name, v.fixed_in_version, v.range, v.normalized_severity, v.repository.name]),
      [['RUSTSEC-2022-0013', 'regex', '1.5.5', { '[': 'semver:0.0.0.0.0.0.0.0.0.0', ')': 'semver:0.1.5.5.0.0.0.0.0.0' }, 'High', 'crates.io']],
    );
  });
});
