import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareNormalized, formatNormalized, INT32_MIN } from '../scheme.js';
import { runSchemeConformance } from '../scheme.case.js';
import { absent, at, readLines, readTsv } from '../upstream-vectors.case.js';
import {
  compareStrings,
  filterSpecifierSet,
  formatVersion,
  normalizeVersion,
  parseSpecifier,
  parseSpecifierSet,
  parseVersion,
  pep440,
  specifierSetContains,
  type ContainsOptions,
} from './index.js';

interface Parts {
  epoch: number | null;
  release: number[];
  pre: ['a' | 'b' | 'rc', number] | null;
  post: number | null;
  dev: number | null;
  local: string[] | null;
}

const partsArb: fc.Arbitrary<Parts> = fc.record({
  epoch: fc.option(fc.nat({ max: 2 }), { freq: 6 }),
  release: fc.array(fc.constantFrom(0, 0, 1, 2, 3, 10), { minLength: 1, maxLength: 4 }),
  pre: fc.option(fc.tuple(fc.constantFrom('a' as const, 'b' as const, 'rc' as const), fc.nat({ max: 3 })), { freq: 2 }),
  post: fc.option(fc.nat({ max: 3 }), { freq: 3 }),
  dev: fc.option(fc.nat({ max: 3 }), { freq: 3 }),
  local: fc.option(fc.array(fc.constantFrom('ubuntu', 'abc', '1', '2', '10', 'local'), { minLength: 1, maxLength: 3 }), { freq: 4 }),
});

const SPELL = {
  a: ['a', 'alpha', 'A', 'Alpha'],
  b: ['b', 'beta', 'B'],
  rc: ['rc', 'c', 'pre', 'preview', 'RC'],
} as const;

/** Renders canonically (choice 0) or with an alternative spelling of every part. */
function render(p: Parts, alt: number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[alt % xs.length]!;
  const sep = pick(['', '.', '-', '_']);
  let s = alt ? pick(['', 'v', 'V', ' ']) : '';
  if (p.epoch !== null) s += `${p.epoch}!`;
  s += p.release.join('.');
  if (alt && alt % 2) s += '.0'; // trailing zeros are insignificant
  if (p.pre) s += `${alt ? sep : ''}${alt ? pick(SPELL[p.pre[0]]) : p.pre[0]}${alt ? sep : ''}${alt && p.pre[1] === 0 && alt % 3 === 0 ? '' : p.pre[1]}`;
  if (p.post !== null) {
    if (alt && alt % 4 === 1 && p.post > 0) s += `-${p.post}`;
    else s += `${alt ? pick(['.', '-', '_', '']) : '.'}${alt ? pick(['post', 'rev', 'r', 'POST']) : 'post'}${alt && p.post === 0 && alt % 3 === 1 ? '' : p.post}`;
  }
  if (p.dev !== null) s += `${alt ? sep : '.'}${alt ? pick(['dev', 'DEV']) : 'dev'}${alt && p.dev === 0 && alt % 3 === 2 ? '' : p.dev}`;
  if (p.local !== null) s += `+${p.local.join(alt ? pick(['.', '-', '_']) : '.')}`;
  return s;
}

const pepArb = fc.tuple(partsArb, fc.nat({ max: 11 })).map(([p, alt]) => render(p, alt));
const pepEquivalent = fc.tuple(partsArb, fc.integer({ min: 1, max: 11 })).map(([p, alt]) => [render(p, 0), render(p, alt)] as const);

const EQUAL: string[][] = [
  ['1.0a1', '1.0.0alpha1', '1.0-a1', '1.0_alpha-1', '1.0A1', 'v1.0a1', ' 1.0a1 ', '1.0.a.1'],
  ['1.0.post1', '1.0-post1', '1.0post1', '1.0-1', '1.0.r1', '1.0-rev1', '1.0_post_1'],
  ['1.0rc1', '1.0c1', '1.0pre1', '1.0preview1', '1.0-RC1'],
  ['1.0.dev0', '1.0dev', '1.0-dev0', '1.0_dev'],
  ['1!1.0', '1!1.0.0'],
  ['1.0+ubuntu.1', '1.0+ubuntu-1', '1.0+UBUNTU_1', '1.0.0+ubuntu.01'],
  ['1.0b', '1.0b0', '1.0beta'],
];

const ORDERED = [
  '0.9',
  '1.0.dev0',
  '1.0.dev1',
  '1.0a1.dev1',
  '1.0a1',
  '1.0a1.post1.dev1',
  '1.0a1.post1',
  '1.0a2',
  '1.0b1',
  '1.0rc1',
  '1.0',
  '1.0+abc',
  '1.0+abc.1',
  '1.0+1',
  '1.0.post1.dev1',
  '1.0.post1',
  '1.0.1',
  '1.1.dev1',
  '1.1',
  '2.0',
  '1!0.1',
];

const INVALID = ['french toast', '', '1.0+', '1.0+a+', '1..0', '1.0.', '.1', 'v', '1.0 a1', '1.0-', '1.0+local version', '١.٠', '99999999999999999999'];

runSchemeConformance(pep440, {
  equalSpellings: EQUAL,
  orderedList: ORDERED,
  invalid: INVALID,
  arbitrary: pepArb,
  equivalent: pepEquivalent,
  normalizeOrderedFor: (text) => {
    const v = parseVersion(text);
    return v.ok && v.version.dev === undefined;
  },
});

const set = (text: string) => {
  const r = parseSpecifierSet(text);
  if (!r.ok) assert.fail(r.reason);
  return r.version;
};
const contains = (spec: string, v: string, o: ContainsOptions = {}): boolean => specifierSetContains(set(spec), v, o);

describe('pep440 versions', () => {
  it('normalises to the canonical string', () => {
    const canon = (s: string): string => {
      const r = parseVersion(s);
      if (!r.ok) assert.fail(r.reason);
      return formatVersion(r.version);
    };
    assert.equal(canon('1.0.0ALPHA1'), '1.0.0a1');
    assert.equal(canon('v1.0-post1'), '1.0.post1');
    assert.equal(canon('1.0-1'), '1.0.post1');
    assert.equal(canon('1.0c'), '1.0rc0');
    assert.equal(canon('1!02.03dev'), '1!2.3.dev0');
    assert.equal(canon('1.0+Ubuntu-01_x'), '1.0+ubuntu.1.x');
  });

  it('orders local versions after the public one, strings before numbers', () => {
    assert.equal(compareStrings('1.0', '1.0+local'), -1);
    assert.equal(compareStrings('1.0+abc', '1.0+1'), -1);
    assert.equal(compareStrings('1.0+1.abc', '1.0+1.1'), -1);
    assert.equal(compareStrings('1.0+1', '1.0+1.0'), -1);
  });

  it("normalizes like claircore's pkg/pep440 (local dropped, dev folded into V6/V9)", () => {
    const n = (s: string): string | undefined => {
      const r = parseVersion(s);
      if (!r.ok) assert.fail(r.reason);
      const v = normalizeVersion(r.version);
      return v && formatNormalized(v);
    };
    assert.equal(n('1.2.3'), 'pep440:0.1.2.3.0.0.0.0.0.0');
    assert.equal(n('1!2.0a1'), 'pep440:1.2.0.0.0.0.-3.1.0.0');
    assert.equal(n('1.0b2'), 'pep440:0.1.0.0.0.0.-2.2.0.0');
    assert.equal(n('1.0.dev5'), `pep440:0.1.0.0.0.0.${INT32_MIN + 5}.0.0.0`);
    assert.equal(n('1.0rc2.post3.dev4'), 'pep440:0.1.0.0.0.0.-1.2.3.-4');
    assert.equal(n('1.0.post2.dev1'), 'pep440:0.1.0.0.0.0.0.0.2.-1');
    assert.equal(n('1.0+local'), n('1.0'));
    assert.equal(n('1.2.3.4.5.6'), 'pep440:0.1.2.3.4.5.0.0.0.0');
    assert.equal(n('1.0.dev2147483647'), undefined);
    assert.equal(n('3000000000.0'), undefined);
  });

  it("reproduces claircore's dev-release quirks in the normalized form", () => {
    const n = (s: string) => {
      const r = parseVersion(s);
      if (!r.ok) assert.fail(r.reason);
      const v = normalizeVersion(r.version);
      if (!v) assert.fail(`no normalized form for ${s}`);
      return v;
    };
    // .dev0 and .post0 are indistinguishable from their absence...
    assert.deepEqual(n('1.0.dev0'), n('1.0'));
    // ...so 1.0.dev0 < 1.0.dev1 but normalizes above it,
    assert.equal(compareNormalized(n('1.0.dev0'), n('1.0.dev1')), 1);
    // V9 = -dev reverses dev order after a pre or post release,
    assert.equal(compareNormalized(n('1.0a1.dev1'), n('1.0a1.dev2')), 1);
    // and a post0 dev release (> 1.0) lands below every pre-release.
    assert.equal(compareNormalized(n('1.0.post0.dev1'), n('1.0a1')), -1);
  });

  it('rejects numbers beyond 2^53 with a reason', () => {
    assert.deepEqual(parseVersion('1.99999999999999999999'), {
      ok: false,
      reason: 'pep440: number 99999999999999999999 in "1.99999999999999999999" is too large',
    });
  });

  it('passes pep440-ordered.txt / pep440.tsv (pypa/packaging tests/test_version.py)', (t) => {
    const ordered = readLines('pep440-ordered.txt');
    const rows = readTsv('pep440.tsv');
    if (!ordered || !rows) return t.skip(absent('pep440-ordered.txt, pep440.tsv'));
    const list = ordered.filter((l) => l.text !== '');
    assert.ok(list.length > 1);
    for (let i = 0; i < list.length; i++) {
      for (let j = 0; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        const want = i < j ? -1 : i > j ? 1 : 0;
        assert.equal(compareStrings(a.text, b.text), want, `pep440-ordered.txt:${a.line} vs :${b.line}: ${a.text} vs ${b.text}`);
      }
    }
    for (const row of rows) {
      const a = row.get('a');
      const b = row.get('b');
      assert.equal(compareStrings(a, b), Number(row.get('expected')), `${at('pep440.tsv', row.line)}: ${a} vs ${b}`);
    }
  });

  it('rejects every version in pep440-invalid.txt', (t) => {
    const lines = readLines('pep440-invalid.txt');
    if (!lines) return t.skip(absent('pep440-invalid.txt'));
    const list = lines.filter((l) => l.text !== '');
    assert.ok(list.length > 0);
    for (const { line, text } of list) {
      const r = parseVersion(text);
      assert.equal(r.ok, false, `${at('pep440-invalid.txt', line)}: "${text}" should be invalid`);
    }
  });
});

describe('pep440 specifiers', () => {
  it('parses operators and rejects malformed specifiers', () => {
    assert.deepEqual(parseSpecifier(' >= 1.0 '), {
      ok: true,
      version: {
        operator: '>=',
        version: '1.0',
        parsed: { epoch: 0, release: [1, 0], pre: undefined, post: undefined, dev: undefined, local: undefined },
        wildcard: false,
      },
    });
    for (const bad of ['~=1', '>=1.0.*', '<1.0+local', '=1.0', '==1.0a1.*', '>= ', '1.0']) {
      const r = parseSpecifier(bad);
      assert.equal(r.ok, false, `"${bad}" should be invalid`);
      if (!r.ok) assert.match(r.reason, /^pep440: invalid specifier/);
    }
    assert.equal(parseSpecifierSet('>=1.0,,<2').ok, true);
    assert.equal(parseSpecifierSet('>=1.0, foo').ok, false);
  });

  it('~= is ">= V and == V-without-last-component.*"', () => {
    assert.equal(contains('~=2.2', '2.3'), true);
    assert.equal(contains('~=2.2', '2.2'), true);
    assert.equal(contains('~=2.2', '3.0'), false);
    assert.equal(contains('~=2.2', '2.1'), false);
    assert.equal(contains('~=1.4.5', '1.4.9'), true);
    assert.equal(contains('~=1.4.5', '1.5.0'), false);
    assert.equal(contains('~=2.2.post3', '2.3'), true);
    assert.equal(contains('~=2.2.post3', '2.2'), false);
    assert.equal(contains('~=1.4.5a4', '1.4.5'), true);
    assert.equal(contains('~=1.4.5a4', '1.4.5a3'), false);
  });

  it('== and != match exactly, by prefix with .*, and ignore a local part the spec lacks', () => {
    assert.equal(contains('==1.1', '1.1.0'), true);
    assert.equal(contains('==1.1', '1.1+local'), true);
    assert.equal(contains('==1.1+local', '1.1'), false);
    assert.equal(contains('==1.1.*', '1.1.post1'), true);
    assert.equal(contains('==1.1.*', '1.10'), false);
    assert.equal(contains('==1.*', '1'), true);
    assert.equal(contains('!=1.1.*', '1.1.5'), false);
    assert.equal(contains('!=1.1.*', '1.2'), true);
    assert.equal(contains('==1!1.*', '1.0'), false);
  });

  it('< excludes pre-releases of V, > excludes post-releases and local versions of V', () => {
    assert.equal(contains('<2.0', '2.0a1'), false);
    assert.equal(contains('<2.0', '1.9'), true);
    assert.equal(contains('<2.0rc1', '2.0b1'), true);
    assert.equal(contains('>1.0', '1.0.post1'), false);
    assert.equal(contains('>1.0.post1', '1.0.post2'), true);
    assert.equal(contains('>1.0', '1.0+local'), false);
    assert.equal(contains('>1.0', '1.0.1'), true);
    assert.equal(contains('<=1.0', '1.0+local'), true);
  });

  it('=== compares strings case-insensitively, even non-PEP 440 ones', () => {
    assert.equal(contains('===1.0', '1.0'), true);
    assert.equal(contains('===1.0', '1.0.0'), false);
    assert.equal(contains('===FooBar', 'foobar'), true);
  });

  it('applies the PEP 440 pre-release rule', () => {
    assert.deepEqual(filterSpecifierSet(set('>=1.0'), ['1.0', '2.0a1']), ['1.0']);
    assert.deepEqual(filterSpecifierSet(set('>=1.0'), ['2.0a1']), ['2.0a1']);
    assert.deepEqual(filterSpecifierSet(set('>=1.0a1'), ['1.0', '2.0a1']), ['1.0', '2.0a1']);
    assert.deepEqual(filterSpecifierSet(set('>=1.0'), ['1.0', '2.0a1'], true), ['1.0', '2.0a1']);
    assert.deepEqual(filterSpecifierSet(set(''), ['1.3', '1.5a1']), ['1.3']);
    assert.equal(contains('>=1.0', '2.0a1'), true); // the only candidate
    assert.equal(contains('>=1.0', '2.0a1', { prereleases: false }), false);
    assert.equal(contains('>=1.0', '2.0a1', { prereleases: false, installed: true }), true);
    assert.equal(contains('', '1.0'), true);
    assert.equal(contains('>=1.0', 'not a version'), false);
  });
});
