import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runSchemeConformance, withZeroPadding } from '../scheme.case.js';
import { absent, at, readFields, readTsv, SHARED_DIR } from '../upstream-vectors.case.js';
import {
  compare,
  compareRpmver,
  compareStrings,
  formatRpmver,
  formatRpmverEvr,
  parse,
  parseRpmver,
  rpm,
  rpmvercmp,
  type Rpmver,
} from './index.js';

const token = fc.oneof(
  fc.nat({ max: 40 }).map(String),
  fc.constantFrom('a', 'b', 'rc', 'git', 'el', 'fc', 'p', 'Z', 'xyz'),
  fc.constantFrom('.', '.', '_', '+', '~', '^', '.'),
);
const vpart = fc.array(token, { minLength: 1, maxLength: 6 }).map((t) => t.join(''));
const rpmArb = fc
  .tuple(fc.option(fc.nat({ max: 3 })), vpart, fc.option(vpart))
  .map(([e, v, r]) => `${e === null ? '' : `${e}:`}${v}${r === null ? '' : `-${r}`}`);
// Separators other than ~ and ^ are interchangeable, and leading zeros do not count.
const rpmEquivalent = fc
  .tuple(withZeroPadding(rpmArb), fc.constantFrom('.', '_', '+', '%'))
  .map(([[a, b], sep]) => [a, b.replace(/[._+]/g, sep)] as const);

const EQUAL: string[][] = [
  ['1.0', '0:1.0', ':1.0', '1_0', '1+0', '01.00', '1..0', '1.0.'],
  ['1.0-1', '1.0-01', '1.0-1.', '0:1.0-1'],
  ['1a', '1.a', '1_a'],
  ['2:1.0-1.el8', '02:1.0-1.el8', '2:1.0-1_el8'],
];

const ORDERED = [
  '0.9',
  '1.0~~',
  '1.0~',
  '1.0~rc1',
  '1.0~rc1^git1',
  '1.0~rc2',
  '1.0',
  '1.0-0.1',
  '1.0-1',
  '1.0-1.el8',
  '1.0-1.el8_1',
  '1.0-2',
  '1.0-10',
  '1.0^',
  '1.0^git1',
  '1.0^git2',
  '1.0a',
  '1.0b',
  '1.0.1',
  '1.0.1a',
  '1.0.2',
  '1.0.10',
  '1.1',
  '1:0.1',
  '1:1.0-1',
  '2:0',
];

const INVALID = ['', ' 1.0', '1.0 ', '1 .0', 'x:1.0', 'a-b:1', '1:', '1.0-', '-1', ':'];

runSchemeConformance(rpm, {
  equalSpellings: EQUAL,
  orderedList: ORDERED,
  invalid: INVALID,
  arbitrary: rpmArb,
  equivalent: rpmEquivalent,
});

const op = (o: string): number => {
  const r = { '<': -1, '==': 0, '>': 1 }[o];
  assert.ok(r !== undefined, `bad operator ${o}`);
  return r;
};

describe('rpm rpmvercmp', () => {
  it('sorts ~ before everything and ^ after the end but before anything else', () => {
    assert.equal(rpmvercmp('1.0~rc1', '1.0'), -1);
    assert.equal(rpmvercmp('1.0^', '1.0'), 1);
    assert.equal(rpmvercmp('1.0^git1', '1.01'), -1);
    assert.equal(rpmvercmp('1.0^20160101', '1.0.1'), -1);
    assert.equal(rpmvercmp('1.0~rc1^git1', '1.0~rc1'), 1);
    assert.equal(rpmvercmp('1.0^git1~pre', '1.0^git1'), -1);
  });

  it('treats other non-alphanumerics as equal separators and numbers beat letters', () => {
    assert.equal(rpmvercmp('2_0', '2.0'), 0);
    assert.equal(rpmvercmp('+', '_'), 0);
    assert.equal(rpmvercmp('1.0a', '1.0.1'), -1);
    assert.equal(rpmvercmp('xyz.4', '8'), -1);
    assert.equal(rpmvercmp('10.0001', '10.1'), 0);
    assert.equal(rpmvercmp('12345678901234567890', '12345678901234567891'), -1);
  });

  it('compares EVRs with labelCompare semantics (missing epoch 0, missing release empty)', () => {
    assert.equal(compareStrings('1.0', '0:1.0'), 0);
    assert.equal(compareStrings('1.0', '1.0-0'), -1);
    assert.equal(compareStrings('1:1.0', '2.0'), 1);
    assert.equal(compareStrings('00:1', '1'), 0);
    assert.deepEqual(parse('3:1.2-3-4'), { ok: true, version: { epoch: '3', version: '1.2-3', release: '4' } });
    assert.deepEqual(parse('x:1.0'), { ok: false, reason: 'rpm: epoch "x" is not a number' });
    assert.equal(compareStrings('x:1.0', '1.0'), undefined);
  });

  it('passes rpm.tsv (rpm tests/rpmvercmp.at)', (t) => {
    const rows = readTsv('rpm.tsv');
    if (!rows) return t.skip(absent('rpm.tsv'));
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const a = row.get('a');
      const b = row.get('b');
      const expected = Number(row.get('expected'));
      assert.equal(rpmvercmp(a, b), expected, `${at('rpm.tsv', row.line)}: rpmvercmp(${a}, ${b})`);
      // None of these contain ':' or '-', so as EVRs they compare the same way.
      assert.equal(compareStrings(a, b), expected, `${at('rpm.tsv', row.line)}: EVR compare(${a}, ${b})`);
    }
  });

  it("passes claircore's rpmvercmp list", (t) => {
    const name = 'upstream-lists/claircore-rpmver-rpmvercmp.txt';
    const rows = readFields(name);
    if (!rows) return t.skip(absent(name));
    assert.ok(rows.length > 0);
    for (const { line, fields } of rows) {
      const [a, o, b] = fields;
      assert.equal(rpmvercmp(a!, b!), op(o!), `${at(name, line)}: ${a} ${o} ${b}`);
      assert.equal(rpmvercmp(b!, a!), -op(o!) || 0, `${at(name, line)}: reversed`);
    }
  });

  it('agrees with librpm labelCompare on random EVR pairs', (t) => {
    const oracle = path.join(SHARED_DIR, 'scripts', 'oracles', 'rpm-vercmp');
    if (!existsSync(oracle)) return t.skip(`oracle absent: ${oracle}`);
    const probe = spawnSync(oracle, ['1', '2'], { encoding: 'utf8' });
    if (probe.status !== 0 || probe.stdout.trim() !== '<') return t.skip('rpm oracle not runnable (python3-rpm missing?)');
    const own: [string, string][] = ORDERED.slice(1).map((b, i): [string, string] => [ORDERED[i]!, b]);
    for (const [a, b] of [...own, ...fc.sample(fc.tuple(rpmArb, rpmArb), { numRuns: 100, seed: 7 })]) {
      const ours = compareStrings(a, b);
      if (ours === undefined) continue;
      const out = spawnSync(oracle, [a, b], { encoding: 'utf8' });
      assert.equal(out.status, 0, `oracle failed on ${a} ${b}: ${out.stderr}`);
      assert.equal(ours, { '<': -1, '=': 0, '>': 1 }[out.stdout.trim()], `rpm labelCompare ${a} ${b}`);
    }
  });
});

describe('rpm rpmver (claircore NEVRA)', () => {
  const must = (s: string): Rpmver => {
    const r = parseRpmver(s);
    if (!r.ok) assert.fail(r.reason);
    return r.version;
  };

  it('splits name, epoch, version, release and a known arch', () => {
    assert.deepEqual(must('fonts-filesystem-1:2.0.5-12.fc39.noarch'), {
      name: 'fonts-filesystem',
      epoch: '1',
      version: '2.0.5',
      release: '12.fc39',
      arch: 'noarch',
    });
    assert.deepEqual(must('1.0-1.el8.i386'), { epoch: '0', version: '1.0', release: '1.el8', arch: 'i386' });
    assert.deepEqual(must('kernel-5.14.0-1.el9.armv7hl'), { name: 'kernel', epoch: '0', version: '5.14.0', release: '1.el9.armv7hl' });
    assert.deepEqual(parseRpmver('1.0'), { ok: false, reason: 'rpm: "1.0" is missing separators (needs version-release)' });
  });

  it('formats the minimal EVR and the full string', () => {
    const v = must('fonts-filesystem-1:2.0.5-12.fc39.noarch');
    assert.equal(formatRpmverEvr(v), '1:2.0.5-12.fc39');
    assert.equal(formatRpmver(v), 'fonts-filesystem-1:2.0.5-12.fc39.noarch');
    assert.equal(formatRpmver(must('0:1-2')), '1-2');
  });

  it('sorts an absent name or arch first', () => {
    assert.equal(compareRpmver(must('a-1-1'), must('1-1')), 1);
    assert.equal(compareRpmver(must('1-1'), must('1-1.x86_64')), -1);
    assert.equal(compareRpmver(must('a-1-1.aarch64'), must('a-1-1.riscv')), -1);
  });

  it("passes claircore's parse list", (t) => {
    const name = 'upstream-lists/claircore-rpmver-parse.txt';
    const rows = readFields(name);
    if (!rows) return t.skip(absent(name));
    assert.ok(rows.length > 0);
    for (const { line, fields } of rows) {
      const [input, n, e, v, r, a] = fields.map((f) => f.replace(/^["']+|["']+$/g, ''));
      const want: { name?: string; epoch: string; version: string; release: string; arch?: string } = {
        epoch: e === '' ? '0' : e!,
        version: v!,
        release: r!,
      };
      if (n !== '') want.name = n!;
      if (a !== '') want.arch = a!;
      assert.deepEqual(parseRpmver(input!), { ok: true, version: want }, at(name, line));
    }
  });

  it("passes claircore's NEVRA compare list", (t) => {
    const name = 'upstream-lists/claircore-rpmver-compare.txt';
    const rows = readFields(name);
    if (!rows) return t.skip(absent(name));
    assert.ok(rows.length > 0);
    for (const { line, fields } of rows) {
      const [a, o, b] = fields;
      assert.equal(compareRpmver(must(a!), must(b!)), op(o!), `${at(name, line)}: ${a} ${o} ${b}`);
    }
  });

  it('compares parsed EVRs like the string compare', () => {
    const a = parse('1:2.0-3');
    const b = parse('1:2.0-3.el8');
    assert.ok(a.ok && b.ok);
    if (a.ok && b.ok) assert.equal(compare(a.version, b.version), -1);
  });
});
