import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runSchemeConformance } from '../scheme.case.js';
import { absent, at, readTsv } from '../upstream-vectors.case.js';
import { apk, compareRaw, compareStrings, fuzzyMatch, parse, validate } from './index.js';

interface ApkParts {
  numbers: number[];
  letter: string | null;
  suffixes: [string, number | null][];
  hash: string | null;
  revision: number | null;
}

const partsArb: fc.Arbitrary<ApkParts> = fc.record({
  numbers: fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 4 }),
  letter: fc.option(fc.constantFrom('a', 'b', 'k', 'z')),
  suffixes: fc.array(
    fc.tuple(fc.constantFrom('alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p'), fc.option(fc.nat({ max: 12 }))),
    { maxLength: 2 },
  ),
  hash: fc.option(fc.constantFrom('1234', '2345', 'abcdef', '0f00', 'ff')),
  revision: fc.option(fc.nat({ max: 12 })),
});

// Leading zeros are insignificant in the first number, suffix numbers and the
// revision (apk compares those numerically), but not in later components.
function render(p: ApkParts, pad: boolean): string {
  const z = pad ? '0' : '';
  let s = `${z}${p.numbers[0]}${p.numbers
    .slice(1)
    .map((n) => `.${n}`)
    .join('')}`;
  if (p.letter !== null) s += p.letter;
  for (const [name, n] of p.suffixes) s += `_${name}${n === null ? '' : `${z}${n}`}`;
  if (p.hash !== null) s += `~${p.hash}`;
  if (p.revision !== null) s += `-r${z}${p.revision}`;
  return s;
}

const apkArb = partsArb.map((p) => render(p, false));
const apkEquivalent = partsArb.map((p) => [render(p, false), render(p, true)] as const);

const EQUAL: string[][] = [
  ['1.0', '01.0', '001.0'],
  ['1.2_rc1-r3', '1.2_rc01-r03', '01.2_rc001-r3'],
  ['2.0_p-r0', '02.0_p-r00'],
];

const ORDERED = [
  '0.1',
  '1.0_alpha',
  '1.0_alpha1',
  '1.0_alpha2',
  '1.0_beta',
  '1.0_pre1',
  '1.0_rc1',
  '1.0_rc1-r1',
  '1.0',
  '1.0-r1',
  '1.0-r2',
  '1.0-r10',
  '1.0~1234',
  '1.0~1234-r1',
  '1.0~2345',
  '1.0_cvs',
  '1.0_svn',
  '1.0_git20240101',
  '1.0_hg',
  '1.0_p1',
  '1.0_p2',
  '1.0a',
  '1.0b',
  '1.0.1',
  '1.0.2',
  '1.0.10',
  '1.1',
  '2',
  '10',
];

const INVALID = [
  '',
  'a',
  '.1',
  '1.',
  '1.0bc',
  '1.0a1',
  '1.0a.1',
  '1.0_foo',
  '1.0_',
  '1.0_1',
  '1.0-r',
  '1.0-1',
  '1.0-r1_p1',
  '1.0-r1-r2',
  '1.0~',
  '1.0~xyz',
  '1.0~ABCD',
  '1.0 ',
  '_p1',
];

runSchemeConformance(apk, {
  equalSpellings: EQUAL,
  orderedList: ORDERED,
  invalid: INVALID,
  arbitrary: apkArb,
  equivalent: apkEquivalent,
});

describe('apk', () => {
  it('issue quay/clair#852: 1.6_rc1-r0 is older than 1.6-r0 (jq false positive)', () => {
    assert.equal(compareStrings('1.6-r0', '1.6_rc1-r0'), 1);
    assert.equal(compareStrings('1.6_rc1-r0', '1.6-r0'), -1);
    assert.equal(compareStrings('1.6_rc1-r0', '1.6_rc1-r1'), -1);
    assert.equal(compareStrings('1.6-r0', '1.6_p1-r0'), -1);
  });

  it('compares a later component with a leading zero as a string', () => {
    assert.equal(compareStrings('1.0.1', '1.01'), -1); // "0" < "01"
    assert.equal(compareStrings('1.01', '1.1'), -1); // "01" < "1"
    assert.equal(compareStrings('1.001', '1.01'), -1);
    assert.equal(compareStrings('01.1', '1.1'), 0); // the first number is numeric
  });

  it('orders any strings as apk-tools does, even invalid ones', () => {
    assert.equal(compareRaw('1.0', '1.0bc'), -1);
    assert.equal(compareRaw('23_foo', '4_beta'), 1);
    assert.equal(compareRaw('a', 'b'), 0);
    assert.equal(compareStrings('1.0', '1.0bc'), undefined);
  });

  it('explains why a version is invalid', () => {
    assert.deepEqual(parse('1.0bc'), { ok: false, reason: 'apk: invalid version "1.0bc": unexpected "c" at offset 4' });
    assert.equal(validate(''), 'apk: version string is empty');
    assert.equal(validate('1.2_pre2~1234abcd-r3'), undefined);
  });

  it('fuzzy-matches on token prefixes', () => {
    assert.equal(fuzzyMatch('3.6.9', '~', '3.6'), true);
    assert.equal(fuzzyMatch('3.6', '~', '3.6.9'), false);
    assert.equal(fuzzyMatch('3.5', '<~', '3.6'), true);
    assert.equal(fuzzyMatch('3.8', '!~', '3.8.1'), true);
  });

  it('passes apk.tsv (apk-tools test/unit/version.data)', (t) => {
    const rows = readTsv('apk.tsv');
    if (!rows) return t.skip(absent('apk.tsv'));
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const a = row.get('a');
      const b = row.get('b');
      const op = row.get('op');
      const where = `${at('apk.tsv', row.line)}: ${a} ${op} ${b}`;
      if (op === '~' || op === '<~' || op === '>~' || op === '!~') {
        assert.equal(fuzzyMatch(a, op, b), true, where);
      } else {
        assert.equal(compareRaw(a, b), Number(row.get('expected')), where);
        const both = validate(a) === undefined && validate(b) === undefined;
        assert.equal(compareStrings(a, b), both ? Number(row.get('expected')) : undefined, `${where} (validated)`);
      }
    }
  });

  it('passes apk-validity.tsv', (t) => {
    const rows = readTsv('apk-validity.tsv');
    if (!rows) return t.skip(absent('apk-validity.tsv'));
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const v = row.get('version');
      const r = parse(v);
      assert.equal(r.ok, row.get('valid') === 'true', `${at('apk-validity.tsv', row.line)}: "${v}"`);
      if (!r.ok) assert.match(r.reason, /^apk: /);
    }
  });
});
