import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runSchemeConformance } from '../scheme.case.js';
import { absent, at, readFields, readTsv } from '../upstream-vectors.case.js';
import { canonical, compareStrings, maven, MAX_MAVEN_VERSION_LENGTH, parse } from './index.js';

const token = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 12 }).map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('alpha', 'a', 'beta', 'b', 'm', 'milestone', 'rc', 'cr', 'snapshot', 'ga', 'final', 'release', 'sp', 'abc', 'xyz'),
  },
  { weight: 3, arbitrary: fc.constantFrom('.', '-', '.', '-') },
);
const mavenArb = fc
  .tuple(fc.nat({ max: 9 }), fc.array(token, { maxLength: 7 }))
  .map(([n, t]) => `${n}${t.join('')}`);
// Leading zeros and case are insignificant.
const mavenEquivalent = fc
  .tuple(mavenArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.boolean())
  .map(([text, flags, upper]) => {
    let i = 0;
    const padded = text.replace(/[0-9]+/g, (run) => (flags[i++ % flags.length] ? `0${run}` : run));
    return [text, upper ? padded.toUpperCase() : padded] as const;
  });

const EQUAL: string[][] = [
  ['1', '1.0', '1.0.0', '1-ga', '1-final', '1-release', '1.0-0', '1GA', '1-0'],
  ['1-rc1', '1-cr1', '1-RC-1', '1rc1', '1.0-rc1'],
  ['1a1', '1-alpha-1', '1.0-alpha1', '1-ALPHA1'],
  ['1-m3', '1-milestone-3', '1m3'],
  ['2.0.1-klm', '2.0.1-KLM'],
];

const ORDERED = [
  '1-alpha',
  '1-alpha1',
  '1-alpha2',
  '1-beta',
  '1-beta1',
  '1-milestone1',
  '1-rc1',
  '1-rc2',
  '1-snapshot',
  '1',
  '1-sp',
  '1-sp1',
  '1-abc',
  '1-xyz',
  '1-1',
  '1.0.1',
  '1.1',
  '1.1.1',
  '2-snapshot',
  '2',
  '10',
];

const INVALID = ['', '   ', '1'.repeat(MAX_MAVEN_VERSION_LENGTH + 1)];

runSchemeConformance(maven, {
  equalSpellings: EQUAL,
  orderedList: ORDERED,
  invalid: INVALID,
  arbitrary: mavenArb,
  equivalent: mavenEquivalent,
});

// claircore's internal/maven/testdata/compare.list came from an older Maven
// (via go-mvn-version). Current Maven treats a trailing ".X" qualifier as
// "-X", so these compare differently; we follow Maven.
const CLAIRCORE_DIVERGENCES: Readonly<Record<string, number>> = {
  '2.0.a < 2.0.0.a': 0,
};

describe('maven', () => {
  it('prints the canonical form', () => {
    const c = (s: string): string => {
      const r = parse(s);
      if (!r.ok) assert.fail(r.reason);
      return canonical(r.version);
    };
    assert.equal(c('1-alpha-1'), '1-alpha1');
    assert.equal(c('1.0.0'), '1');
    assert.equal(c('1.0RC1'), '1-rc1');
    assert.equal(c('1-ga'), '1-ga');
    assert.equal(c('2.0.a'), '2-a');
  });

  it('handles numbers of any length', () => {
    assert.equal(compareStrings('1.12345678901234567890', '1.12345678901234567891'), -1);
    assert.equal(compareStrings('1.999999999', '1.1000000000'), -1);
    assert.equal(compareStrings('1.00000000000000000001', '1.1'), 0);
  });

  it('rejects empty and over-long versions with a reason', () => {
    assert.deepEqual(parse(''), { ok: false, reason: 'maven: version string is empty' });
    const r = parse('1.'.repeat(200));
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, /^maven: version is longer than 256 characters/);
  });

  it('passes maven.tsv (apache/maven ComparableVersionTest)', (t) => {
    const rows = readTsv('maven.tsv');
    if (!rows) return t.skip(absent('maven.tsv'));
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const a = row.get('a');
      const b = row.get('b');
      const want = Number(row.get('expected'));
      const where = `${at('maven.tsv', row.line)} (${row.get('source')}): ${a} vs ${b}`;
      assert.equal(compareStrings(a, b), want, where);
      assert.equal(compareStrings(b, a), want === 0 ? 0 : -want, `${where} reversed`);
    }
  });

  it("passes claircore's maven compare list (with documented divergences)", (t) => {
    const name = 'upstream-lists/claircore-maven-compare.list';
    const rows = readFields(name);
    if (!rows) return t.skip(absent(name));
    assert.ok(rows.length > 0);
    let diverged = 0;
    for (const { line, fields } of rows) {
      const [a, op, b] = fields;
      const key = `${a} ${op} ${b}`;
      const listed = { '<': -1, '==': 0, '>': 1 }[op!];
      assert.ok(listed !== undefined, `${at(name, line)}: bad operator`);
      const want = CLAIRCORE_DIVERGENCES[key] ?? listed;
      if (key in CLAIRCORE_DIVERGENCES) diverged++;
      assert.equal(compareStrings(a!, b!), want, `${at(name, line)}: ${key}`);
    }
    assert.equal(diverged, Object.keys(CLAIRCORE_DIVERGENCES).length, 'every documented divergence is still in the list');
  });
});
