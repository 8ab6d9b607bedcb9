import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runSchemeConformance } from '../scheme.case.js';
import { compareStrings, format, nuget, parse } from './index.js';

// Written from NuGet.Versioning's rules (its NuGetVersion and VersionComparer tests cover the same ground).
const EQUAL: string[][] = [
  ['1.0.0', '1', '1.0', '1.0.0.0', '01.00.000', '1.0.0+build.1', ' 1.0.0 ', '1.0.0+0.01'],
  ['1.0.0-BETA.2', '1.0.0-beta.2', '1.0.0-Beta.2+meta'],
  ['2.1.3.4', '2.1.3.4+x.01', '2.01.3.4'],
  ['3.0.0-rc-1', '3.0.0-RC-1'],
];

const ORDERED = [
  '0.0.1',
  '1.0.0-0',
  '1.0.0-1',
  '1.0.0-2147483647',
  '1.0.0-2147483648', // beyond int32: a word, so after every number
  '1.0.0-alpha',
  '1.0.0-alpha.-1', // Int32.TryParse reads "-1" as a number
  '1.0.0-alpha.1',
  '1.0.0-alpha.beta',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-beta.11',
  '1.0.0-rc.1',
  '1.0.0',
  '1.0.0.1-beta',
  '1.0.0.1',
  '1.0.1',
  '1.2',
  '10.0.0',
  '2147483647.0',
];

const INVALID = [
  '',
  '   ',
  'v1.0.0',
  '1.0.0.0.0',
  '1..0',
  'a.b',
  '1.0.0-',
  '1.0.0+',
  '1.0.0-01',
  '1.0.0-a..b',
  '1.0.0-a_b',
  '1.0.0-a+',
  '1.0.0+a..b',
  '-1.0',
  '1.0.0-+x',
  '2147483648.0',
  '1. 0',
  '1.0.0-beta$',
];

const num = fc.oneof(fc.nat({ max: 12 }), fc.nat({ max: 100000 }));
const label = fc.constantFrom('alpha', 'beta', 'rc', 'RC', 'Beta', '0', '1', '2', '10', 'x-y', 'preview', 'a1');
const nugetParts = fc.tuple(fc.array(num, { minLength: 1, maxLength: 4 }), fc.array(label, { maxLength: 3 }), fc.option(fc.constantFrom('build', 'sha.abc', '01')));
const render = ([numbers, labels, meta]: [number[], string[], string | null]) =>
  `${numbers.join('.')}${labels.length ? `-${labels.join('.')}` : ''}${meta === null ? '' : `+${meta}`}`;
const nugetArb = nugetParts.map(render);
// Two spellings of one version: numbers padded with zeros (in place and appended), label case flipped, metadata changed.
const nugetEquivalent = nugetParts.map(([numbers, labels, meta]) => {
  const padded = [...numbers.map((n) => `0${n}`), ...Array<string>(4 - numbers.length).fill('0')];
  const flipped = labels.map((l) => (l === l.toUpperCase() ? l.toLowerCase() : l.toUpperCase()));
  return [render([numbers, labels, meta]), `${padded.join('.')}${flipped.length ? `-${flipped.join('.')}` : ''}+other`] as const;
});

runSchemeConformance(nuget, { equalSpellings: EQUAL, orderedList: ORDERED, invalid: INVALID, arbitrary: nugetArb, equivalent: nugetEquivalent });

describe('nuget', () => {
  it('parses four numbers, labels and metadata', () => {
    assert.deepEqual(parse('1.2.3.4-rc.1+sha.5'), { ok: true, version: { numbers: [1, 2, 3, 4], labels: ['rc', '1'], metadata: 'sha.5' } });
    assert.deepEqual(parse('6'), { ok: true, version: { numbers: [6, 0, 0, 0], labels: [], metadata: '' } });
    assert.deepEqual(parse('1.0+a-b'), { ok: true, version: { numbers: [1, 0, 0, 0], labels: [], metadata: 'a-b' } });
  });

  it('formats as NuGet normalizes (revision only when not 0)', () => {
    const f = (s: string) => {
      const p = parse(s);
      if (!p.ok) assert.fail(p.reason);
      return format(p.version);
    };
    assert.equal(f('01.2'), '1.2.0');
    assert.equal(f('1.2.3.0'), '1.2.3');
    assert.equal(f('1.2.3.4-Beta.1+x'), '1.2.3.4-Beta.1+x');
  });

  it('orders a fix above its pre-releases and ignores metadata', () => {
    assert.equal(compareStrings('13.0.1-beta1', '13.0.1'), -1);
    assert.equal(compareStrings('13.0.1+abc', '13.0.1'), 0);
    assert.equal(compareStrings('12.0.3', '13.0.1'), -1);
    assert.equal(compareStrings('13.0.1.1', '13.0.1'), 1);
  });

  it('gives a reason naming the problem', () => {
    assert.deepEqual(parse('1.0.0-01'), { ok: false, reason: 'nuget: invalid version "1.0.0-01": invalid release label "01"' });
    assert.deepEqual(parse('1.2.3.4.5'), { ok: false, reason: 'nuget: invalid version "1.2.3.4.5": more than four numbers' });
    assert.equal(compareStrings('1.0', 'v1.0'), undefined);
  });
});
