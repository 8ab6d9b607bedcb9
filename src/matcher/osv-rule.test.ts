import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { osvRangeRule, osvRule, parseOsvFixedIn } from './osv-rule.js';
import type { IndexRecord } from './matcher.js';
import type { Vulnerability } from '../model/index.js';
import { NO_DISTRIBUTION } from '../test-support/vulnerabilities.js';

const record = (version: string, normalized = ''): IndexRecord => ({
  package: { id: '1', name: 'pkg', version, kind: 'binary', normalized_version: normalized, cpe: '' },
});
const vuln = (fixed: string, range?: Vulnerability['range']): Vulnerability => ({
  id: '1', updater: 'osv/pypi', name: 'GHSA-1', description: '', issued: '', links: '', severity: '', normalized_severity: 'Unknown',
  package: { id: '', name: 'pkg', version: '', kind: 'binary', normalized_version: '', cpe: '' },
  distribution: NO_DISTRIBUTION,
  repository: { cpe: '' },
  fixed_in_version: fixed,
  ...(range === undefined ? {} : { range }),
});
const sv = (maj: number, min: number, pat: number) => `semver:0.${maj}.${min}.${pat}.0.0.0.0.0.0`;

describe('parseOsvFixedIn', () => {
  it('reads the three keys as Go url.ParseQuery + Get', () => {
    assert.deepEqual(parseOsvFixedIn('introduced=1.0&fixed=2.0&lastAffected=1.9'), { introduced: '1.0', fixed: '2.0', lastAffected: '1.9' });
    assert.deepEqual(parseOsvFixedIn('fixed=2.0'), { fixed: '2.0' });
    assert.deepEqual(parseOsvFixedIn('fixed=1.0&fixed=2.0'), { fixed: '1.0' }, 'first value wins');
    assert.deepEqual(parseOsvFixedIn('introduced=&fixed=2.0'), { fixed: '2.0' }, 'empty value is absent');
    assert.deepEqual(parseOsvFixedIn('fixed=1.0%2Bbuild'), { fixed: '1.0+build' });
    assert.deepEqual(parseOsvFixedIn('fixed=1.0+rc'), { fixed: '1.0 rc' }, '+ is a space');
    assert.deepEqual(parseOsvFixedIn('other=1&1.2.3'), {});
    assert.equal(parseOsvFixedIn('fixed=%zz'), undefined, 'bad escape');
    assert.equal(parseOsvFixedIn('fixed=1;introduced=0'), undefined, 'semicolon');
  });
});

describe('osvRule (pep440)', () => {
  const rule = osvRule('pep440');
  const table: [string, string, boolean, string][] = [
    ['1.0', '', true, 'no fixed_in_version: vulnerable'],
    ['1.0', 'fixed=2.0', true, 'below fixed'],
    ['2.0', 'fixed=2.0', false, 'at fixed'],
    ['2.1', 'fixed=2.0', false, 'above fixed'],
    ['0.9', 'introduced=1.0&fixed=2.0', false, 'below introduced'],
    ['1.0', 'introduced=1.0&fixed=2.0', true, 'at introduced'],
    ['1.5', 'introduced=1.0&fixed=2.0', true, 'inside'],
    ['2.0', 'introduced=1.0&fixed=2.0', false, 'at fixed with introduced'],
    ['1.9', 'lastAffected=1.9', true, 'at lastAffected'],
    ['1.8', 'lastAffected=1.9', true, 'below lastAffected'],
    ['1.9.1', 'lastAffected=1.9', false, 'above lastAffected'],
    ['0.5', 'introduced=1.0&lastAffected=1.9', false, 'below introduced with lastAffected'],
    ['1.9.1', 'fixed=2.0&lastAffected=1.9', true, 'fixed takes precedence over lastAffected'],
    ['0.1', 'introduced=0', true, 'introduced only: vulnerable'],
    ['5.0', 'introduced=1.0', true, 'introduced only, above'],
    ['0.5', 'introduced=1.0', false, 'introduced only, below'],
    ['1.0', 'unknown=1', true, 'no known key: vulnerable'],
    ['2.0rc1', 'fixed=2.0', true, 'pre-release before final'],
    ['1!0.1', 'fixed=2.0', false, 'epoch'],
    ['not a version', 'fixed=2.0', false, 'unparsable installed'],
    ['', 'fixed=2.0', false, 'empty installed'],
    ['1.0', 'fixed=bad version', false, 'unparsable fixed'],
    ['1.0', 'introduced=bad version&fixed=2.0', false, 'unparsable introduced'],
    ['1.0', 'lastAffected=bad version', false, 'unparsable lastAffected'],
    ['1.0', 'fixed=%zz', false, 'unparsable query string'],
  ];
  for (const [installed, fixedIn, want, why] of table) {
    it(`${installed || '""'} / ${fixedIn || '""'} ⇒ ${want} (${why})`, () => assert.equal(rule(record(installed), vuln(fixedIn)), want));
  }
  it('an unparsable installed version is still vulnerable to a record without fixed_in_version (claircore order)', () => {
    assert.equal(rule(record('not a version'), vuln('')), true);
  });
});

describe('osvRule never throws', () => {
  it('on odd inputs in every scheme', () => {
    for (const scheme of ['pep440', 'maven', 'gem', 'semver', 'gomod'] as const) {
      for (const v of ['', '%', '&&&', '=', 'fixed', 'fixed=', 'introduced=%', '\u0000', 'fixed=' + '9'.repeat(400)]) {
        assert.doesNotThrow(() => osvRule(scheme)(record('1.0'), vuln(v)));
      }
    }
  });
});

describe('osvRangeRule', () => {
  const rule = osvRangeRule('semver');
  const range = { '[': sv(1, 0, 0), ')': sv(1, 2, 3) };
  it('lower ≤ v < upper', () => {
    assert.equal(rule(record('1.0.0', sv(1, 0, 0)), vuln('1.2.3', range)), true, 'at lower');
    assert.equal(rule(record('1.2.2', sv(1, 2, 2)), vuln('1.2.3', range)), true);
    assert.equal(rule(record('1.2.3', sv(1, 2, 3)), vuln('1.2.3', range)), false, 'at upper');
    assert.equal(rule(record('0.9.0', sv(0, 9, 0)), vuln('1.2.3', range)), false, 'below lower');
  });
  it('unparsable or unmatchable ⇒ not vulnerable', () => {
    assert.equal(rule(record('1.1.0', ''), vuln('1.2.3', range)), false, 'no normalized version');
    assert.equal(rule(record('1.1.0', 'semver:1.2'), vuln('1.2.3', range)), false, 'bad normalized version');
    assert.equal(rule(record('(devel)', 'unmatchable:0.0.0.0.0.0.0.0.0.0'), vuln(''), ), false, 'unmatchable');
    assert.equal(rule(record('1.1.0', sv(1, 1, 0)), vuln('', { '[': 'junk', ')': sv(2, 0, 0) })), false, 'bad range bound');
    assert.equal(rule(record('1.1.0', sv(1, 1, 0)), vuln('', { '[': sv(1, 0, 0) })), false, 'half a range');
    assert.equal(rule(record('1.1.0', 'pep440:0.1.1.0.0.0.0.0.0.0'), vuln('1.2.3', range)), false, 'other kind');
  });
  it('without a range: the fix under the scheme, or vulnerable when none', () => {
    assert.equal(rule(record('1.1.0', sv(1, 1, 0)), vuln('')), true);
    assert.equal(rule(record('1.1.0', sv(1, 1, 0)), vuln('1.2.0')), true);
    assert.equal(rule(record('1.2.0', sv(1, 2, 0)), vuln('1.2.0')), false);
    assert.equal(rule(record('1.1.0', sv(1, 1, 0)), vuln('not-semver')), false);
  });
});
