import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildQuery } from '../../matcher/controller.js';
import type { ScannedPackage } from '../../model/scanned.js';
import { GHSA_PACKAGIST } from '../../updaters/osv/fixtures.case.js';
import { indexRecord, osvVulnerabilities } from '../internal/osv-vulnerabilities.case.js';
import { PHP_MATCHER_NAME, phpMatcher } from './matcher.js';
import { PACKAGIST_REPOSITORY } from './package-scanner.js';

const pkg = (name: string, version: string): ScannedPackage => ({ name, version, kind: 'binary', arch: '', module: '', cpe: '', packageDb: 'composer:x', filepath: 'x', repositoryHint: 'packagist' });
const vulnerabilities = osvVulnerabilities(GHSA_PACKAGIST, 'Packagist');
/** The advisory's records for `name` that the matcher calls vulnerable for `version`. */
const matching = (name: string, version: string) =>
  vulnerabilities.filter((v) => v.package.name === name && phpMatcher.vulnerable(indexRecord(pkg(name, version), PACKAGIST_REPOSITORY), v)).map((v) => v.fixed_in_version);

describe('php matcher', () => {
  it('name, query, filter on the Packagist repository, no version filter', () => {
    assert.equal(PHP_MATCHER_NAME, 'php');
    assert.equal(phpMatcher.name, 'php');
    assert.deepEqual(phpMatcher.query(), ['RepositoryName']);
    assert.equal((phpMatcher as { versionFilter?: unknown }).versionFilter, undefined);
    const record = indexRecord(pkg('symfony/http-kernel', 'v5.4.19'), PACKAGIST_REPOSITORY);
    assert.equal(phpMatcher.filter(record), true);
    assert.deepEqual(buildQuery(phpMatcher, record)?.constraints, { repo_name: 'packagist' });
    assert.equal(phpMatcher.filter(indexRecord(pkg('symfony/http-kernel', 'v5.4.19'), undefined)), false);
  });

  // GHSA-h7vf-5wrv-9fhv: fixed in 4.4.50, 5.4.20, 6.0.20, 6.1.12 and 6.2.6, affected from 2.0.0.
  const table: [string, string[]][] = [
    ['v5.4.19', ['introduced=5.0.0&fixed=5.4.20']],
    ['v5.4.20', []],
    ['5.4.20-RC1', ['introduced=5.0.0&fixed=5.4.20']],
    ['v4.4.49', ['introduced=2.0.0&fixed=4.4.50']],
    ['v4.4.50', []],
    ['v6.2.5', ['introduced=6.2.0&fixed=6.2.6']],
    ['v6.2.6', []],
    ['v6.3.0', []],
    ['1.0.0', []],
    ['dev-main', []],
    ['5.4.x-dev', []],
    ['not a version', []],
  ];
  for (const [version, want] of table) {
    it(`symfony/http-kernel ${version}: ${want.length ? want.join(', ') : 'not vulnerable'}`, () => assert.deepEqual(matching('symfony/http-kernel', version), want));
  }

  it('applies the symfony/symfony range to symfony/symfony only', () => {
    assert.deepEqual(matching('symfony/symfony', 'v6.2.1'), ['introduced=6.2.0&fixed=6.2.6']);
    assert.deepEqual(matching('symfony/symfony', 'v5.4.19'), []);
  });
});
