import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RUBY_GEM_MATCHER_NAME, rubyGemMatcher } from './matcher.js';
import { RUBYGEMS_REPOSITORY } from './package-scanner.js';
import type { IndexRecord } from '../../matcher/matcher.js';
import type { Repository, Vulnerability } from '../../model/index.js';
import { NO_DISTRIBUTION } from '../../test-support/vulnerabilities.js';

const gems: Repository = { id: '1', name: RUBYGEMS_REPOSITORY.name, key: '', uri: RUBYGEMS_REPOSITORY.uri, cpe: '' };
const record = (version: string, repository: Repository | null = gems): IndexRecord => ({
  package: { id: '1', name: 'rails', version, kind: 'binary', normalized_version: '', cpe: '' },
  repository: repository ?? undefined,
});
const vuln = (fixed: string): Vulnerability => ({
  id: '1', updater: 'osv/rubygems', name: 'GHSA-x', description: '', issued: '', links: '', severity: '', normalized_severity: 'Unknown',
  package: { id: '', name: 'rails', version: '', kind: 'binary', normalized_version: '', cpe: '' },
  distribution: NO_DISTRIBUTION,
  repository: { name: 'rubygems', cpe: '' },
  fixed_in_version: fixed,
});

describe('ruby-gem matcher', () => {
  it('name, query, no version filter', () => {
    assert.equal(rubyGemMatcher.name, 'ruby-gem');
    assert.equal(RUBY_GEM_MATCHER_NAME, 'ruby-gem');
    assert.deepEqual(rubyGemMatcher.query(), ['RepositoryName']);
    assert.equal((rubyGemMatcher as { versionFilter?: unknown }).versionFilter, undefined);
  });
  it('filter: the rubygems repository by name', () => {
    assert.equal(rubyGemMatcher.filter(record('1.0')), true);
    assert.equal(rubyGemMatcher.filter(record('1.0', null)), false);
    assert.equal(rubyGemMatcher.filter(record('1.0', { name: 'gem', cpe: '' })), false);
  });
  const table: [string, string, boolean][] = [
    ['7.0.4', '', true],
    ['7.0.4.1', 'introduced=7.0.0&fixed=7.0.4.3', true],
    ['7.0.4.3', 'introduced=7.0.0&fixed=7.0.4.3', false],
    ['7.1.0', 'introduced=7.0.0&fixed=7.0.4.3', false],
    ['6.1.7', 'introduced=7.0.0&fixed=7.0.4.3', false],
    ['7.0.4.3.pre', 'fixed=7.0.4.3', true],
    ['7.0.4.3-1', 'fixed=7.0.4.3', true],
    ['1.2.0', 'lastAffected=1.2.0', true],
    ['1.2', 'lastAffected=1.2.0', true],
    ['1.2.1', 'lastAffected=1.2.0', false],
    ['1.0', 'introduced=1.1&lastAffected=1.2', false],
    ['1.0', 'introduced=0', true],
    ['not a version', 'fixed=1.0', false],
    ['1..2', 'fixed=3.0', false],
    ['1.0', 'fixed=not a version', false],
    ['1.0', 'introduced=not a version&fixed=3.0', false],
  ];
  for (const [installed, fixedIn, want] of table) {
    it(`vulnerable("${installed}", "${fixedIn}") = ${want}`, () => assert.equal(rubyGemMatcher.vulnerable(record(installed), vuln(fixedIn)), want));
  }
});
