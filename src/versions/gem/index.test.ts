import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runSchemeConformance, withZeroPadding } from '../scheme.case.js';
import { compareStrings, gem, parse, release } from './index.js';

const segment = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 12 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('a', 'b', 'pre', 'rc', 'beta', 'x', 'A', 'a1', 'rc2', 'b10') },
);
const gemArb = fc
  .tuple(fc.nat({ max: 9 }), fc.array(segment, { maxLength: 5 }), fc.option(fc.constantFrom('1', 'rc.1', 'beta', 'a-1')))
  .map(([n, segs, dash]) => `${n}${segs.map((s) => `.${s}`).join('')}${dash === null ? '' : `-${dash}`}`);
// Leading zeros, trailing ".0"s and "-" vs ".pre." do not change a version.
const gemEquivalent = fc
  .tuple(withZeroPadding(gemArb), fc.nat({ max: 2 }))
  .map(([[a, b], zeros]) => [a, `${b.replaceAll('-', '.pre.')}${zeros > 0 && !/[a-zA-Z]/.test(b) ? '.0'.repeat(zeros) : ''}`] as const);

// Written from Gem::Version's rules (test_gem_version.rb covers the same ground).
const EQUAL: string[][] = [
  ['1', '1.0', '1.0.0', ' 1.0 ', '1.0\n', '\n1.0\n'],
  ['0', '', '   ', '0.0'],
  ['1.2.b1', '1.2.b.1', '1.2.0.b.1', '1.2.0.0.b1.0'],
  ['0.beta.1', '0.0.beta.1'],
  ['1.2.pre.1', '1.2.0.pre.1.0', '1.2-1', '1.2.0-1'],
  ['5.10', '5.010'],
];

const ORDERED = [
  '0.0.beta',
  '0.beta.1',
  '0.9',
  '1.0.a',
  '1.0.a.2',
  '1.0.a9',
  '1.0.a10',
  '1.0.b1',
  '1.0.0-1', // 1.pre.1: "pre" sorts between "b" and "rc"
  '1.0.rc1',
  '1.0',
  '1.0.1',
  '1.8.2.a',
  '1.8.2',
  '5.a',
  '5.0.0.rc2',
  '5.x',
  '5',
  '5.2',
  '5.10',
];

const INVALID = ['junk', '1.0\n2.0', '1..2', '1.2 3.4', '1.', '.1', '1.0+build', '2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e.'];

runSchemeConformance(gem, {
  equalSpellings: EQUAL,
  orderedList: ORDERED,
  invalid: INVALID,
  arbitrary: gemArb,
  equivalent: gemEquivalent,
});

describe('gem', () => {
  it('a letter makes a pre-release, which sorts before the release (1.0.a < 1.0)', () => {
    assert.equal(compareStrings('1.0.a', '1.0'), -1);
    assert.equal(compareStrings('1.8.2.b', '1.8.2.a'), 1);
    assert.equal(compareStrings('1.0.0-rc1', '1.0.0'), -1);
    const v = parse('1.A');
    assert.ok(v.ok && v.version.prerelease);
    const r = parse('1-1');
    assert.ok(r.ok && r.version.prerelease && r.version.version === '1.pre.1');
  });

  it('splits letter/digit runs inside a segment (1.0.a10 > 1.0.a9)', () => {
    assert.equal(compareStrings('1.8.2.a10', '1.8.2.a9'), 1);
    assert.equal(compareStrings('1.2.b1', '1.2.b.1'), 0);
  });

  it('uses canonical segments: trailing zeros and zeros before the first letter are dropped', () => {
    const segs = (s: string) => {
      const r = parse(s);
      if (!r.ok) assert.fail(r.reason);
      return r.version.segments.map((x) => ('num' in x ? Number(x.num || '0') : x.str));
    };
    assert.deepEqual(segs('1.0.0'), [1]);
    assert.deepEqual(segs('1.0.0.a.1.0'), [1, 'a', 1]);
    assert.deepEqual(segs('1.2.3-1'), [1, 2, 3, 'pre', 1]);
    assert.deepEqual(segs('10.0'), [10]);
  });

  it('gives the release of a pre-release', () => {
    const rel = (s: string) => {
      const r = parse(s);
      if (!r.ok) assert.fail(r.reason);
      return release(r.version);
    };
    assert.equal(rel('1.2.0.a'), '1.2.0');
    assert.equal(rel('1.1.rc10'), '1.1');
    assert.equal(rel('1.9.3.alpha.5'), '1.9.3');
    assert.equal(rel('1.9.3'), '1.9.3');
  });

  it('rejects malformed versions with a reason', () => {
    assert.deepEqual(parse('junk'), { ok: false, reason: 'gem: malformed version number string "junk"' });
    assert.equal(compareStrings('1.0', 'junk'), undefined);
  });
});
