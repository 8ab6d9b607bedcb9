import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildQuery } from '../../matcher/controller.js';
import type { ScannedPackage } from '../../model/scanned.js';
import { GHSA_NUGET } from '../../updaters/osv/fixtures.case.js';
import { indexRecord, osvVulnerabilities } from '../internal/osv-vulnerabilities.case.js';
import { DOTNET_MATCHER_NAME, dotnetMatcher } from './matcher.js';
import { NUGET_REPOSITORY } from './package-scanner.js';

const pkg = (version: string): ScannedPackage => ({ name: 'newtonsoft.json', version, kind: 'binary', arch: '', module: '', cpe: '', packageDb: 'dotnet:x', filepath: 'x', repositoryHint: 'nuget' });
const [newtonsoft] = osvVulnerabilities(GHSA_NUGET, 'NuGet');
const lastAffected = osvVulnerabilities(
  { id: 'GHSA-2099-nuge-t000', summary: 'synthetic', affected: [{ package: { ecosystem: 'NuGet', name: 'System.Text.Encodings.Web' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '4.0.0' }, { last_affected: '4.5.0' }] }] }] },
  'NuGet',
)[0]!;

describe('dotnet matcher', () => {
  it('name, query, filter on the NuGet repository, no version filter', () => {
    assert.equal(DOTNET_MATCHER_NAME, 'dotnet');
    assert.equal(dotnetMatcher.name, 'dotnet');
    assert.deepEqual(dotnetMatcher.query(), ['RepositoryName']);
    assert.equal((dotnetMatcher as { versionFilter?: unknown }).versionFilter, undefined);
    const record = indexRecord(pkg('12.0.3'), NUGET_REPOSITORY);
    assert.equal(dotnetMatcher.filter(record), true);
    assert.deepEqual(buildQuery(dotnetMatcher, record), { names: [{ name: 'newtonsoft.json', kind: 'binary' }], constraints: { repo_name: 'nuget' } });
    assert.equal(dotnetMatcher.filter(indexRecord(pkg('12.0.3'), { name: 'packagist', key: '', uri: '', cpe: '' })), false);
  });

  it('reads GHSA-5crp-9r3c-p9vr (CVE-2024-21907) as fixed in 13.0.1 for newtonsoft.json', () => {
    assert.equal(newtonsoft?.package.name, 'newtonsoft.json');
    assert.equal(newtonsoft?.fixed_in_version, 'fixed=13.0.1');
  });

  const table: [string, boolean][] = [
    ['12.0.3', true],
    ['9.0.1', true],
    ['13.0.1-beta1', true],
    ['13.0.1', false],
    ['13.0.1.0', false],
    ['13.0.3', false],
    ['13.0.1+sha.abc', false],
    ['v12.0.3', false], // not a NuGet version: never vulnerable
  ];
  for (const [version, want] of table) {
    it(`Newtonsoft.Json ${version} is ${want ? '' : 'not '}vulnerable`, () => assert.equal(dotnetMatcher.vulnerable(indexRecord(pkg(version), NUGET_REPOSITORY), newtonsoft!), want));
  }

  it('honours introduced and last_affected bounds', () => {
    const v = (version: string) => dotnetMatcher.vulnerable(indexRecord({ ...pkg(version), name: 'system.text.encodings.web' }, NUGET_REPOSITORY), lastAffected);
    assert.deepEqual(['3.9.9', '4.0.0', '4.5.0', '4.5.0.1', '4.5.1', '4.5.0-rc1'].map(v), [false, true, true, false, false, true]);
  });
});
