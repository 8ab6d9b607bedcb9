import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GOBIN_MATCHER_NAME, gobinMatcher } from './matcher.js';
import { GO_REPOSITORY } from './scanner.js';
import { parseGoVersion } from './packages.js';
import { buildQuery } from '../../matcher/controller.js';
import type { IndexRecord } from '../../matcher/matcher.js';
import type { Repository, Vulnerability } from '../../model/index.js';
import { formatNormalized } from '../../versions/scheme.js';
import { NO_DISTRIBUTION } from '../../test-support/vulnerabilities.js';

const go: Repository = { id: '1', name: GO_REPOSITORY.name, key: '', uri: GO_REPOSITORY.uri, cpe: '' };
const norm = (v: string) => {
  const n = parseGoVersion(v);
  return n ? formatNormalized(n) : '';
};
const record = (name: string, version: string, repository: Repository | null = go, normalized = norm(version)): IndexRecord => ({
  package: { id: '1', name, version, kind: 'binary', normalized_version: normalized, cpe: '' },
  repository: repository ?? undefined,
});
const vuln = (fixed: string, lower: string, upper: string): Vulnerability => ({
  id: '1', updater: 'osv/go', name: 'GO-2024-1', description: '', issued: '', links: '', severity: '', normalized_severity: 'Unknown',
  package: { id: '', name: 'golang.org/x/net', version: '', kind: 'binary', normalized_version: '', cpe: '' },
  distribution: NO_DISTRIBUTION,
  repository: { name: 'go', uri: 'https://pkg.go.dev/', cpe: '' },
  fixed_in_version: fixed,
  range: { '[': norm(lower), ')': norm(upper) },
});

describe('gobin matcher', () => {
  it('name, query, authoritative version filter', () => {
    assert.equal(gobinMatcher.name, 'gobin');
    assert.equal(GOBIN_MATCHER_NAME, 'gobin');
    assert.deepEqual(gobinMatcher.query(), ['RepositoryName']);
    assert.deepEqual(gobinMatcher.versionFilter, { authoritative: true });
  });

  it('filter: Go repository records with a semver normalized version', () => {
    assert.equal(gobinMatcher.filter(record('golang.org/x/net', 'v0.17.0')), true);
    assert.equal(gobinMatcher.filter(record('stdlib', '1.21.3')), true, 'stdlib');
    assert.equal(gobinMatcher.filter(record('stdlib', '1.21.3', { uri: 'https://pkg.go.dev/', cpe: '' })), true, 'claircore keys on the URI');
    assert.equal(gobinMatcher.filter(record('stdlib', '1.21.3', { name: 'go', cpe: '' })), true, 'the lookup keys on the name');
    assert.equal(gobinMatcher.filter(record('golang.org/x/net', 'v0.17.0', null)), false, 'no repository');
    assert.equal(gobinMatcher.filter(record('golang.org/x/net', 'v0.17.0', { name: 'npm', uri: 'https://www.npmjs.com/', cpe: '' })), false);
    assert.equal(gobinMatcher.filter(record('example.com/cmd', '(devel)')), false, '(devel)');
    assert.equal(gobinMatcher.filter(record('example.com/cmd', '(devel) (git, commit abc, dirty)')), false, '(devel) with VCS info');
    assert.equal(gobinMatcher.filter(record('example.com/cmd', '(devel)', go, 'semver:0.0.0.0.0.0.0.0.0.0')), false, '(devel) even if normalized');
    assert.equal(gobinMatcher.filter(record('example.com/cmd', 'x', go, 'unmatchable:0.0.0.0.0.0.0.0.0.0')), false, 'unmatchable');
    assert.equal(gobinMatcher.filter(record('example.com/cmd', 'x', go, '')), false, 'no normalized version');
  });

  it('the controller query: repo name plus the normalized version; none for (devel)', () => {
    const q = buildQuery(gobinMatcher, record('golang.org/x/net', 'v0.17.0'));
    assert.deepEqual(q?.constraints, { repo_name: 'go' });
    assert.deepEqual(q?.versionIn, parseGoVersion('v0.17.0'));
    assert.equal(buildQuery(gobinMatcher, record('example.com/cmd', '(devel)')), undefined);
  });

  const table: [string, string, string, string, boolean][] = [
    ['v0.17.0', '0.0.0', '0.17.0', '0.17.0', false],
    ['v0.16.9', '0.0.0', '0.17.0', '0.17.0', true],
    ['v0.0.0-20230101000000-abcdefabcdef', '0.0.0', '0.17.0', '0.17.0', true],
    ['v0.17.0', '0.13.0', '0.17.1', '0.17.1', true],
    ['v0.12.0', '0.13.0', '0.17.1', '0.17.1', false],
    ['v0.13.0', '0.13.0', '0.17.1', '0.17.1', true],
  ];
  for (const [installed, lower, upper, fixed, want] of table) {
    it(`vulnerable(${installed}, [${lower}, ${upper})) = ${want}`, () =>
      assert.equal(gobinMatcher.vulnerable(record('golang.org/x/net', installed), vuln(fixed, lower, upper)), want));
  }
  it('vulnerable: never for (devel) or unmatchable records', () => {
    assert.equal(gobinMatcher.vulnerable(record('example.com/cmd', '(devel)'), vuln('', '0.0.0', '99.0.0')), false);
    assert.equal(gobinMatcher.vulnerable(record('example.com/cmd', '(devel)', go, 'semver:0.0.0.0.0.0.0.0.0.0'), vuln('', '0.0.0', '99.0.0')), false);
    assert.equal(gobinMatcher.vulnerable(record('x', 'x', go, 'unmatchable:0.0.0.0.0.0.0.0.0.0'), vuln('', '0.0.0', '99.0.0')), false);
  });
});
