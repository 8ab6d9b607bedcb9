import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JAVA_MAVEN_MATCHER_NAME, javaMavenMatcher } from './matcher.js';
import { MAVEN_REPOSITORY } from './scanner.js';
import type { IndexRecord } from '../../matcher/matcher.js';
import type { Repository, Vulnerability } from '../../model/index.js';
import { NO_DISTRIBUTION } from '../../test-support/vulnerabilities.js';

const maven: Repository = { id: '1', name: MAVEN_REPOSITORY.name, key: '', uri: MAVEN_REPOSITORY.uri, cpe: '' };
const record = (version: string, repository: Repository | null = maven): IndexRecord => ({
  package: { id: '1', name: 'com.fasterxml.jackson.core:jackson-databind', version, kind: 'binary', normalized_version: '', cpe: '' },
  repository: repository ?? undefined,
});
const vuln = (fixed: string): Vulnerability => ({
  id: '1', updater: 'osv/maven', name: 'GHSA-x', description: '', issued: '', links: '', severity: '', normalized_severity: 'Unknown',
  package: { id: '', name: 'com.fasterxml.jackson.core:jackson-databind', version: '', kind: 'binary', normalized_version: '', cpe: '' },
  distribution: NO_DISTRIBUTION,
  repository: { name: 'maven', cpe: '' },
  fixed_in_version: fixed,
});

describe('java-maven matcher', () => {
  it('name, query, no version filter', () => {
    assert.equal(javaMavenMatcher.name, 'java-maven');
    assert.equal(JAVA_MAVEN_MATCHER_NAME, 'java-maven');
    assert.deepEqual(javaMavenMatcher.query(), ['RepositoryName']);
    assert.equal((javaMavenMatcher as { versionFilter?: unknown }).versionFilter, undefined);
  });
  it('filter: the maven repository by name', () => {
    assert.equal(javaMavenMatcher.filter(record('1.0')), true);
    assert.equal(javaMavenMatcher.filter(record('1.0', { name: 'maven', cpe: '' })), true, 'name alone suffices');
    assert.equal(javaMavenMatcher.filter(record('1.0', null)), false);
    assert.equal(javaMavenMatcher.filter(record('1.0', { name: 'pypi', uri: MAVEN_REPOSITORY.uri, cpe: '' })), false, 'URI alone does not');
  });
  const table: [string, string, boolean][] = [
    ['2.13.4', '', true],
    ['2.13.4', 'introduced=2.13.0&fixed=2.13.4.2', true],
    ['2.13.4.2', 'introduced=2.13.0&fixed=2.13.4.2', false],
    ['2.13.5', 'introduced=2.13.0&fixed=2.13.4.2', false],
    ['2.12.7', 'introduced=2.13.0&fixed=2.13.4.2', false],
    ['2.13.0', 'introduced=2.13.0&fixed=2.13.4.2', true],
    ['1.0-SNAPSHOT', 'fixed=1.0', true],
    ['1.0.RELEASE', 'fixed=1.0', false],
    ['1.0-alpha', 'fixed=1.0', true],
    ['5.3.17', 'lastAffected=5.3.17', true],
    ['5.3.18', 'lastAffected=5.3.17', false],
    ['5.0', 'introduced=5.1&lastAffected=5.3.17', false],
    ['5.0', 'introduced=0', true],
    ['', 'fixed=1.0', false],
    ['1.0', 'fixed=', true],
    ['1.0', 'fixed=%zz', false],
  ];
  for (const [installed, fixedIn, want] of table) {
    it(`vulnerable("${installed}", "${fixedIn}") = ${want}`, () => assert.equal(javaMavenMatcher.vulnerable(record(installed), vuln(fixedIn)), want));
  }
});
