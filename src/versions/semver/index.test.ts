import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatNormalized } from '../scheme.js';
import { runSchemeConformance } from '../scheme.case.js';
import { absent, at, readTsv } from '../upstream-vectors.case.js';
import {
  compareNpm,
  crates,
  gomod,
  isPseudoVersion,
  parseGo,
  parseNpm,
  parseRange,
  satisfies,
  semver,
  type SemverOptions,
} from './index.js';

const num = fc.constantFrom(0, 0, 1, 2, 3, 10, 11);
const ident = fc.oneof(fc.constantFrom('alpha', 'beta', 'rc', 'pre', 'a-b', 'x1', 'R2', 'r10'), fc.nat({ max: 12 }).map(String));
const pre = fc.array(ident, { minLength: 1, maxLength: 3 }).map((ids) => ids.join('.'));
const build = fc.array(fc.constantFrom('b1', '001', 'sha', 'x-y'), { minLength: 1, maxLength: 2 }).map((ids) => ids.join('.'));
const core = fc.tuple(num, num, num).map(([a, b, c]) => `${a}.${b}.${c}`);
const semverArb = fc.tuple(core, fc.option(pre), fc.option(build)).map(([c, p, b]) => `${c}${p === null ? '' : `-${p}`}${b === null ? '' : `+${b}`}`);
// Build metadata and (npm) a leading "v" or surrounding spaces do not change a version.
const semverEquivalent = fc
  .tuple(core, fc.option(pre), build, fc.constantFrom('', 'v', ' ', 'v'))
  .map(([c, p, b, prefix]) => [`${c}${p === null ? '' : `-${p}`}`, `${prefix}${c}${p === null ? '' : `-${p}`}+${b}`] as const);

runSchemeConformance(semver, {
  equalSpellings: [
    ['1.2.3', 'v1.2.3', ' 1.2.3 ', '1.2.3+build.5', 'v1.2.3+001'],
    ['1.0.0-rc.1', '1.0.0-rc.1+sha.abc'],
  ],
  orderedList: [
    '0.0.0-0',
    '0.0.0',
    '0.9.9',
    '1.0.0-0',
    '1.0.0-1',
    '1.0.0-10',
    '1.0.0-R2',
    '1.0.0-a',
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.0.1',
    '1.1.0',
    '1.10.0',
    '2.0.0',
  ],
  invalid: ['', '1', '1.2', '1.2.3.4', '01.2.3', '1.2.3-', '1.2.3-01', '1.2.3+', '1.2.3-a..b', '=1.2.3', 'x.1.2', '1.2.3beta', `1.2.${'9'.repeat(300)}`],
  arbitrary: semverArb,
  equivalent: semverEquivalent,
});

const GO_ORDERED = [
  'v0.0.0-20190101000000-abcdefabcdef',
  'v0.0.0-20200101000000-abcdefabcdef',
  'v0.0.0',
  'v0.1.0',
  'v1.0.0-alpha',
  'v1.0.0-rc.1',
  'v1.0.0',
  'v1.2.3',
  'v1.2.4-0.20200101000000-abcdefabcdef',
  'v1.2.4-0.20210101000000-000000000000',
  'v1.2.4-pre',
  'v1.2.4-pre.0.20200101000000-abcdefabcdef',
  'v1.2.4-pre.1',
  'v1.2.4',
  'v2.0.0-rc.1+incompatible',
  'v2.0.0+incompatible',
  'v2.1.0',
  'v10.0.0',
];

runSchemeConformance(gomod, {
  equalSpellings: [
    ['v1', 'v1.0', 'v1.0.0', 'v1.0.0+meta'],
    ['v2.0.0', 'v2.0.0+incompatible'],
  ],
  orderedList: GO_ORDERED,
  invalid: ['', '1.2.3', 'v', 'v01.2.3', 'v1.02.3', 'v1.2-pre', 'v1.2.3-', 'v1.2.3-01', 'v1.2.3+', 'v1.2.3.4', 'V1.2.3', 'v1.2.3 '],
  arbitrary: fc.tuple(semverArb, fc.constantFrom('', '+incompatible')).map(([s, inc]) => `v${s.replace(/\+.*$/, '')}${inc}`),
  equivalent: fc
    .tuple(core, fc.option(pre))
    .map(([c, p]) => [`v${c}${p === null ? '' : `-${p}`}`, `v${c}${p === null ? '' : `-${p}`}+incompatible`] as const),
});

runSchemeConformance(crates, {
  equalSpellings: [['1.2.3', '1.2.3+build', '1.2.3+001.b']],
  orderedList: ['0.1.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.10.0'],
  invalid: ['', 'v1.2.3', '1.2', '01.2.3', '1.2.3-01', '1.2.3-', ' 1.2.3', '1.2.3.4'],
  arbitrary: semverArb,
  equivalent: fc.tuple(core, fc.option(pre), build).map(([c, p, b]) => [`${c}${p === null ? '' : `-${p}`}`, `${c}${p === null ? '' : `-${p}`}+${b}`] as const),
});

/** Options from the TSV column: JSON, where a non-object truthy value means loose. */
function options(text: string): SemverOptions {
  if (text === '') return {};
  const o: unknown = JSON.parse(text);
  if (typeof o !== 'object' || o === null) return o ? { loose: true } : {};
  const r = o as { loose?: unknown; includePrerelease?: unknown };
  return { loose: Boolean(r.loose), includePrerelease: Boolean(r.includePrerelease) };
}

describe('semver (npm)', () => {
  it('parses loose versions only when asked', () => {
    assert.equal(parseNpm('=1.2.3').ok, false);
    assert.equal(parseNpm('=1.2.3', { loose: true }).ok, true);
    assert.equal(parseNpm('1.2.3beta', { loose: true }).ok, true);
    assert.deepEqual(parseNpm('nope'), { ok: false, reason: 'semver: invalid version "nope"' });
  });

  it('normalizes to claircore FromSemver (major/minor/patch only)', () => {
    const v = semver.parse('1.2.3-rc.1');
    assert.ok(v.ok);
    if (v.ok) assert.equal(formatNormalized(semver.normalize(v.version)!), 'semver:0.1.2.3.0.0.0.0.0.0');
    const big = semver.parse('3000000000.0.0');
    assert.ok(big.ok);
    if (big.ok) assert.equal(semver.normalize(big.version), undefined);
  });

  it('expands ranges as node-semver does', () => {
    assert.equal(satisfies('1.2.3', '^1.2.0'), true);
    assert.equal(satisfies('2.0.0', '^1.2.0'), false);
    assert.equal(satisfies('0.2.5', '^0.2.3'), true);
    assert.equal(satisfies('0.3.0', '^0.2.3'), false);
    assert.equal(satisfies('1.2.9', '~1.2.3'), true);
    assert.equal(satisfies('1.3.0', '~1.2.3'), false);
    assert.equal(satisfies('1.5.0', '1.x || >=3'), true);
    assert.equal(satisfies('2.5.0', '1.x || >=3'), false);
    assert.equal(satisfies('1.2.3', '1.0.0 - 2.0.0'), true);
    assert.equal(satisfies('2.0.1', '1.0.0 - 2.0.0'), false);
    assert.equal(satisfies('1.2.4-beta', '>=1.2.3 <2'), false);
    assert.equal(satisfies('1.2.4-beta', '>=1.2.3 <2', { includePrerelease: true }), true);
    assert.equal(satisfies('1.2.3-beta.2', '>=1.2.3-beta.1 <2'), true);
    assert.equal(parseRange('>=abc').ok, false);
  });

  it('passes semver-compare.tsv (node-semver comparisons/equality fixtures)', (t) => {
    const rows = readTsv('semver-compare.tsv');
    if (!rows) return t.skip(absent('semver-compare.tsv'));
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const o = options(row.get('options'));
      const a = parseNpm(row.get('a'), o);
      const b = parseNpm(row.get('b'), o);
      const where = `${at('semver-compare.tsv', row.line)}: ${row.get('a')} vs ${row.get('b')}`;
      assert.ok(a.ok && b.ok, `${where}: both parse`);
      if (a.ok && b.ok) {
        const want = Number(row.get('expected'));
        assert.equal(compareNpm(a.version, b.version), want, where);
        assert.equal(compareNpm(b.version, a.version), want === 0 ? 0 : -want, `${where} reversed`);
      }
    }
  });

  it('passes semver-range.tsv (node-semver range-include/range-exclude fixtures)', (t) => {
    const rows = readTsv('semver-range.tsv');
    if (!rows) return t.skip(absent('semver-range.tsv'));
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const want = row.get('satisfies') === 'true';
      assert.equal(
        satisfies(row.get('version'), row.get('range'), options(row.get('options'))),
        want,
        `${at('semver-range.tsv', row.line)}: "${row.get('version')}" in "${row.get('range')}"`,
      );
    }
  });
});

describe('gomod', () => {
  it('treats pseudo-versions as pre-releases of the next version', () => {
    const cmp = (a: string, b: string) => gomod.compareStrings(a, b);
    assert.equal(cmp('v0.0.0-20200101000000-abcdef123456', 'v0.0.1'), -1);
    assert.equal(cmp('v1.2.4-0.20200101000000-abcdef123456', 'v1.2.3'), 1);
    assert.equal(cmp('v1.2.4-0.20200101000000-abcdef123456', 'v1.2.4'), -1);
    const p = (s: string) => {
      const r = parseGo(s);
      if (!r.ok) assert.fail(r.reason);
      return r.version;
    };
    assert.equal(isPseudoVersion(p('v0.0.0-20200101000000-abcdef123456')), true);
    assert.equal(isPseudoVersion(p('v1.2.4-0.20200101000000-abcdef123456')), true);
    assert.equal(isPseudoVersion(p('v1.2.4-pre.0.20200101000000-abcdef123456')), true);
    assert.equal(isPseudoVersion(p('v1.2.4-rc.1')), false);
  });

  it('keeps +incompatible in the canonical form but not in ordering', () => {
    const v = parseGo('v2.0.0+incompatible');
    assert.ok(v.ok);
    if (v.ok) {
      assert.equal(gomod.format(v.version), 'v2.0.0+incompatible');
      assert.equal(formatNormalized(gomod.normalize(v.version)!), 'semver:0.2.0.0.0.0.0.0.0.0');
    }
    assert.equal(gomod.compareStrings('v2.0.0+incompatible', 'v2.0.0'), 0);
    assert.deepEqual(parseGo('1.2.3'), { ok: false, reason: 'gomod: invalid version "1.2.3": must start with "v"' });
  });
});
