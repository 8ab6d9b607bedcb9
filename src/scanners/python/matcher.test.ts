import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PYTHON_MATCHER_NAME, pythonMatcher } from './matcher.js';
import { PYPI_REPOSITORY } from './package-scanner.js';
import type { IndexRecord } from '../../matcher/matcher.js';
import type { Repository, Vulnerability } from '../../model/index.js';
import { NO_DISTRIBUTION } from '../../test-support/vulnerabilities.js';

const pypi: Repository = { id: '1', name: PYPI_REPOSITORY.name, key: '', uri: PYPI_REPOSITORY.uri, cpe: '' };
const record = (version: string, normalized = 'pep440:0.1.0.0.0.0.0.0.0.0', repository: Repository | null = pypi): IndexRecord => ({
  package: { id: '1', name: 'requests', version, kind: 'binary', normalized_version: normalized, cpe: '' },
  repository: repository ?? undefined,
});
const vuln = (fixed: string): Vulnerability => ({
  id: '1', updater: 'osv/pypi', name: 'GHSA-x', description: '', issued: '', links: '', severity: '', normalized_severity: 'Unknown',
  package: { id: '', name: 'requests', version: '', kind: 'binary', normalized_version: '', cpe: '' },
  distribution: NO_DISTRIBUTION,
  repository: { name: 'pypi', uri: 'https://pypi.org/simple', cpe: '' },
  fixed_in_version: fixed,
});

describe('python matcher', () => {
  it('name, query, no version filter', () => {
    assert.equal(pythonMatcher.name, 'python');
    assert.equal(PYTHON_MATCHER_NAME, 'python');
    assert.deepEqual(pythonMatcher.query(), ['RepositoryName']);
    assert.equal((pythonMatcher as { versionFilter?: unknown }).versionFilter, undefined);
  });
  it('filter: pep440 normalized kind in the pypi repository', () => {
    assert.equal(pythonMatcher.filter(record('1.0')), true);
    assert.equal(pythonMatcher.filter(record('1.0', 'semver:0.1.0.0.0.0.0.0.0.0')), false, 'other kind');
    assert.equal(pythonMatcher.filter(record('1.0', '')), false, 'no normalized version');
    assert.equal(pythonMatcher.filter(record('1.0', undefined, null)), false, 'no repository');
    assert.equal(pythonMatcher.filter(record('1.0', undefined, { name: 'npm', cpe: '' })), false, 'other repository');
  });
  const table: [string, string, boolean][] = [
    ['2.25.0', '', true],
    ['2.25.0', 'fixed=2.31.0', true],
    ['2.31.0', 'fixed=2.31.0', false],
    ['2.32.0', 'fixed=2.31.0', false],
    ['2.31.0rc1', 'fixed=2.31.0', true],
    ['2.31.0.post1', 'fixed=2.31.0', false],
    ['2.0.0', 'introduced=2.1.0&fixed=2.31.0', false],
    ['2.1.0', 'introduced=2.1.0&fixed=2.31.0', true],
    ['2.31', 'lastAffected=2.31.0', true, ],
    ['2.31.1', 'lastAffected=2.31.0', false],
    ['2.0', 'introduced=2.1&lastAffected=2.31.0', false],
    ['3.0', 'introduced=2.1', true],
    ['1.0', 'introduced=2.1', false],
    ['1!1.0', 'fixed=2.0', false],
    ['bogus version', 'fixed=2.0', false],
    ['1.0', 'fixed=bogus version', false],
    ['1.0', 'introduced=bogus version&fixed=2.0', false],
    ['1.0', 'lastAffected=bogus version', false],
  ];
  for (const [installed, fixedIn, want] of table) {
    it(`vulnerable(${installed}, "${fixedIn}") = ${want}`, () => assert.equal(pythonMatcher.vulnerable(record(installed), vuln(fixedIn)), want));
  }
});
