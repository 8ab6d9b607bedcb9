import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatNormalized } from './scheme.js';
import { compareRhctag, parseRhctag, rhctagMinorStart, rhctagNormalized, type Rhctag } from './rhctag.js';

const must = (s: string): Rhctag => {
  const r = parseRhctag(s);
  assert.ok(r.ok, s);
  return r.version;
};

describe('rhctag', () => {
  it('parses the tags claircore tests (major and minor only)', () => {
    const cases: Array<[string, number, number]> = [
      ['v1.0.0', 1, 0],
      ['v1.0.1', 1, 0],
      ['v1.0.0-202201121008', 1, 0],
      ['v4.6.0-202112140546.p0.g8b9da97.assembly.stream', 4, 6],
      ['v4.8.0-202107291502.p0.git.0519730.assembly.stream', 4, 8],
      ['8.5-21.1645811927', 8, 5],
      ['5.8.0-38.e060925.5.8', 5, 8],
      ['4-22', 4, 0],
      ['9.3-1361', 9, 3],
      ['4.7-140.49a6fcf.release_4.7', 4, 7],
    ];
    for (const [tag, major, minor] of cases) assert.deepEqual(must(tag), { original: tag, major, minor }, tag);
  });

  it('rejects tags without a numeric major version', () => {
    for (const tag of ['latest', 'v', '', 'x.1-2', '.5-1']) assert.equal(parseRhctag(tag).ok, false, tag);
  });

  it('keeps a non-numeric minor as 0, and truncates to int32 as Go does', () => {
    assert.deepEqual(must('7.x-3'), { original: '7.x-3', major: 7, minor: 0 });
    assert.equal(must('4294967297.2').major, 1);
    assert.equal(must('+3.4').major, 3);
  });

  it('renders the normalized version claircore stores: minor start, or the top of the minor', () => {
    assert.equal(formatNormalized(rhctagNormalized(rhctagMinorStart(must('v3.5.7-8')), true)), 'rhctag:3.5.0.0.0.0.0.0.0.0');
    assert.equal(formatNormalized(rhctagNormalized(must('1.9.0-9'), false)), 'rhctag:1.9.2147483647.0.0.0.0.0.0.0');
    assert.deepEqual(rhctagMinorStart(must('v4.6.0-2021')), { original: '4.6', major: 4, minor: 6 });
  });

  it('orders tags by their full text as rpm versions', () => {
    const sorted = ['v1.0.1-202201121008.blah.foo.bar', 'v1.0.1-1', 'v1.0.1', 'v1.0.0-9'].map(must).sort(compareRhctag).map((v) => v.original);
    assert.deepEqual(sorted, ['v1.0.0-9', 'v1.0.1', 'v1.0.1-1', 'v1.0.1-202201121008.blah.foo.bar']);
    assert.equal(compareRhctag(must('4.7-140.49a6fcf.release_4.7'), must('4.7-140.49a6fcf.release_4.7')), 0);
    // An epoch (never in real tags) outranks the version, as in rpm.
    assert.equal(compareRhctag({ original: '1:1.0-1', major: 1, minor: 0 }, must('2.0-1')), 1);
    // claircore drops the leading v before comparing, and a bare version is release 0.
    assert.equal(compareRhctag(must('v4.6.0-202112140546.p0'), must('4.6.0-202112140546.p0')), 0);
    assert.equal(compareRhctag(must('v4.6.0'), must('4.6.0-0')), 0);
  });
});
