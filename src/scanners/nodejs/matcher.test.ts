import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NODEJS_MATCHER_NAME, nodejsMatcher } from './matcher.js';
import { NPM_REPOSITORY } from './package-scanner.js';
import { buildQuery } from '../../matcher/controller.js';
import type { IndexRecord } from '../../matcher/matcher.js';
import type { Repository, Vulnerability } from '../../model/index.js';
import { NO_DISTRIBUTION } from '../../test-support/vulnerabilities.js';

const npm: Repository = { id: '1', name: NPM_REPOSITORY.name, key: '', uri: NPM_REPOSITORY.uri, cpe: '' };
const sv = (v: string) => {
  const [a, b, c] = v.split('.').map(Number);
  return `semver:0.${a}.${b}.${c}.0.0.0.0.0.0`;
};
const record = (version: string, repository: Repository | null = npm, normalized = sv(version)): IndexRecord => ({
  package: { id: '1', name: 'lodash', version, kind: 'binary', normalized_version: normalized, cpe: '' },
  repository: repository ?? undefined,
});
const vuln = (fixed: string, range?: [string, string]): Vulnerability => ({
  id: '1', updater: 'osv/npm', name: 'GHSA-x', description: '', issued: '', links: '', severity: '', normalized_severity: 'Unknown',
  package: { id: '', name: 'lodash', version: '', kind: 'binary', normalized_version: '', cpe: '' },
  distribution: NO_DISTRIBUTION,
  repository: { name: 'npm', cpe: '' },
  fixed_in_version: fixed,
  ...(range ? { range: { '[': sv(range[0]), ')': sv(range[1]) } } : {}),
});

describe('nodejs matcher', () => {
  it('name, query, authoritative version filter', () => {
    assert.equal(nodejsMatcher.name, 'nodejs');
    assert.equal(NODEJS_MATCHER_NAME, 'nodejs');
    assert.deepEqual(nodejsMatcher.query(), ['RepositoryName']);
    assert.deepEqual(nodejsMatcher.versionFilter, { authoritative: true });
  });
  it('filter: the npm repository by name', () => {
    assert.equal(nodejsMatcher.filter(record('4.17.20')), true);
    assert.equal(nodejsMatcher.filter(record('4.17.20', { name: 'npm', cpe: '' })), true);
    assert.equal(nodejsMatcher.filter(record('4.17.20', null)), false);
    assert.equal(nodejsMatcher.filter(record('4.17.20', { name: 'go', uri: NPM_REPOSITORY.uri, cpe: '' })), false);
  });
  it('the controller query: repo name plus the normalized version; none without one', () => {
    const q = buildQuery(nodejsMatcher, record('4.17.20'));
    assert.deepEqual(q?.constraints, { repo_name: 'npm' });
    assert.deepEqual(q?.versionIn, { kind: 'semver', v: [0, 4, 17, 20, 0, 0, 0, 0, 0, 0] });
    assert.equal(buildQuery(nodejsMatcher, record('latest', npm, '')), undefined);
  });
  const table: [string, string, [string, string] | undefined, boolean][] = [
    ['4.17.20', '4.17.21', ['0.0.0', '4.17.21'], true],
    ['4.17.21', '4.17.21', ['0.0.0', '4.17.21'], false],
    ['3.9.0', '4.17.21', ['4.0.0', '4.17.21'], false],
    ['4.0.0', '4.17.21', ['4.0.0', '4.17.21'], true],
    ['4.17.20', '', undefined, true],
    ['4.17.20', '4.17.21', undefined, true],
    ['4.17.21', '4.17.21', undefined, false],
  ];
  for (const [installed, fixed, range, want] of table) {
    it(`vulnerable(${installed}, fixed "${fixed}", range ${range ? `[${range.join(', ')})` : 'none'}) = ${want}`, () =>
      assert.equal(nodejsMatcher.vulnerable(record(installed), vuln(fixed, range)), want));
  }
  it('vulnerable: unparsable normalized version ⇒ false', () => {
    assert.equal(nodejsMatcher.vulnerable(record('latest', npm, ''), vuln('', ['0.0.0', '9.0.0'])), false);
    assert.equal(nodejsMatcher.vulnerable(record('latest', npm, 'semver:x'), vuln('')), false);
  });
});
