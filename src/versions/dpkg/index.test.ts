import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runSchemeConformance, withZeroPadding } from '../scheme.case.js';
import { absent, at, readTsv, SHARED_DIR } from '../upstream-vectors.case.js';
import { compare, compareFragment, compareStrings, dpkg, format, parse, validate } from './index.js';

const segment = fc.oneof(
  fc.nat({ max: 30 }).map(String),
  fc.constantFrom('a', 'b', 'z', 'A', 'Z', 'rc', 'dfsg', 'git', 'ubuntu', 'deb', 'build'),
  fc.constantFrom('.', '+', '~', '~~', '.', '+'),
);
const upstream = fc.tuple(fc.nat({ max: 20 }), fc.array(segment, { maxLength: 6 })).map(([n, s]) => `${n}${s.join('')}`);
const revision = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join(''));
const dpkgArb = fc
  .tuple(fc.option(fc.nat({ max: 3 })), upstream, fc.option(revision))
  .map(([e, u, r]) => `${e === null ? '' : `${e}:`}${u}${r === null ? '' : `-${r}`}`);

// [spellings that must be the same version], written from dpkg's rules.
const EQUAL: string[][] = [
  ['1.0', '0:1.0', '1.0-0', '0:1.0-0', '1.00', '01.0'],
  ['2:1.09-1', '2:1.9-1', '2:1.9-01'],
  ['1.0-1', '1.0-01'],
  ['1.0.', '1.0.0', '1.0.00'],
  ['1.2.3+dfsg-1', ' 1.2.3+dfsg-1 '],
];

// Strictly ascending, each step exercising one rule.
const ORDERED = [
  '0.9',
  '1.0~~',
  '1.0~~a',
  '1.0~',
  '1.0~alpha',
  '1.0~beta',
  '1.0~rc1',
  '1.0',
  '1.0-0.1',
  '1.0-1~bpo1',
  '1.0-1',
  '1.0-1+b1',
  '1.0-1.1',
  '1.0-2',
  '1.0-10',
  '1.0a',
  '1.0z',
  '1.0+',
  '1.0+dfsg',
  '1.0.',
  '1.0.1',
  '1.0.9',
  '1.0.10',
  '1.1',
  '1.10',
  '2',
  '10',
  '1:0.1',
  '1:1.0-1',
  '2:0',
];

const INVALID = [
  '',
  '   ',
  'a1.0',
  '1.0 1',
  'x:1.0',
  ':1.0',
  '1:',
  '1.0-',
  '-1',
  '1.0_1-!',
  '1.0@1',
  '1:1.0-a:b',
  '99999999999:1.0',
];

runSchemeConformance(dpkg, {
  equalSpellings: EQUAL,
  orderedList: ORDERED,
  invalid: INVALID,
  arbitrary: dpkgArb,
  equivalent: withZeroPadding(dpkgArb),
});

describe('dpkg', () => {
  it('orders the tilde before everything, even the end of the string', () => {
    assert.equal(compareStrings('1.0~rc1', '1.0'), -1);
    assert.equal(compareStrings('1.0~~', '1.0~'), -1);
    assert.equal(compareStrings('1.0~', '1.0'), -1);
    assert.equal(compareStrings('2.2~rc-4', '2.2-1'), -1);
    assert.equal(compareFragment('~', ''), -1);
  });

  it('orders letters before other symbols, and the end of the string before letters', () => {
    assert.equal(compareStrings('1.0a', '1.0+'), -1);
    assert.equal(compareStrings('1.0', '1.0a'), -1);
    assert.equal(compareStrings('1.0Z', '1.0a'), -1);
    assert.equal(compareStrings('1.0.', '1.0+'), 1);
  });

  it('parses epoch, upstream and revision (revision at the last hyphen)', () => {
    assert.deepEqual(parse('2:1.0-rc-3ubuntu1'), { ok: true, version: { epoch: 2, upstream: '1.0-rc', revision: '3ubuntu1' } });
    assert.deepEqual(parse('1:2:3'), { ok: true, version: { epoch: 1, upstream: '2:3', revision: '' } });
    const v = parse(' 1.2 ');
    assert.ok(v.ok && format(v.version) === '1.2');
  });

  it('explains why a version is rejected', () => {
    assert.deepEqual(parse('x:1.0'), { ok: false, reason: 'dpkg: epoch "x" is not a number' });
    assert.deepEqual(parse(''), { ok: false, reason: 'dpkg: version string is empty' });
    assert.deepEqual(parse('a1'), { ok: false, reason: 'dpkg: upstream version in "a1" does not start with a digit' });
    assert.deepEqual(parse('1.0-'), { ok: false, reason: 'dpkg: revision in version "1.0-" is empty' });
    assert.equal(compareStrings('1.0', 'x:1.0'), undefined);
  });

  it('property: the fast validator agrees with the explaining one', () => {
    const alphabet = fc.constantFrom('0', '1', '9', 'a', 'Z', '.', '+', '~', '-', ':', '_', ' ', '\t', '!', 'é');
    fc.assert(
      fc.property(fc.oneof(dpkgArb, fc.array(alphabet, { maxLength: 12 }).map((c) => c.join(''))), (text) => {
        assert.equal(parse(text).ok, validate(text) === undefined, `"${text}"`);
        assert.equal(compareStrings(text, text) === undefined, validate(text) !== undefined, `"${text}" vs itself`);
      }),
      { numRuns: 2000 },
    );
    assert.equal(parse('00000000001:1.0').ok, true);
  });

  it('compares huge digit runs exactly', () => {
    assert.equal(compareStrings('1.123456789012345678901234567890', '1.123456789012345678901234567891'), -1);
    assert.equal(compareStrings('1.0000000000000000000000000000001', '1.1'), 0);
  });

  it('passes dpkg.tsv (dpkg scripts/t/Dpkg_Version.t)', (t) => {
    const rows = readTsv('dpkg.tsv');
    if (!rows) return t.skip(absent('dpkg.tsv'));
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const a = row.get('a');
      const b = row.get('b');
      const expected = Number(row.get('expected'));
      assert.equal(compareStrings(a, b), expected, `${at('dpkg.tsv', row.line)}: ${a} vs ${b}`);
      const pa = parse(a);
      const pb = parse(b);
      assert.ok(pa.ok && pb.ok, `${at('dpkg.tsv', row.line)}: both sides parse`);
      if (pa.ok && pb.ok) assert.equal(compare(pa.version, pb.version), expected, `${at('dpkg.tsv', row.line)}: parsed compare`);
    }
  });

  it('agrees with dpkg --compare-versions on the own vectors and random pairs', (t) => {
    const oracle = path.join(SHARED_DIR, 'scripts', 'oracles', 'dpkg-vercmp');
    if (!existsSync(oracle)) return t.skip(`oracle absent: ${oracle}`);
    const probe = spawnSync(oracle, ['1', '2'], { encoding: 'utf8' });
    if (probe.status !== 0 || probe.stdout.trim() !== '<') return t.skip('dpkg oracle not runnable (no dpkg on PATH?)');
    const own: [string, string][] = [
      ...ORDERED.slice(1).map((b, i): [string, string] => [ORDERED[i]!, b]),
      ...EQUAL.map((g): [string, string] => [g[0]!.trim(), g[g.length - 1]!.trim()]),
    ];
    const pairs = [...own, ...fc.sample(fc.tuple(dpkgArb, dpkgArb), { numRuns: 150, seed: 440 })];
    for (const [a, b] of pairs) {
      const ours = compareStrings(a, b);
      if (ours === undefined) continue;
      const out = spawnSync(oracle, [a, b], { encoding: 'utf8' });
      assert.equal(out.status, 0, `oracle failed on ${a} ${b}: ${out.stderr}`);
      const theirs = { '<': -1, '=': 0, '>': 1 }[out.stdout.trim()];
      assert.equal(ours, theirs, `dpkg --compare-versions ${a} ${b}`);
    }
  });
});
