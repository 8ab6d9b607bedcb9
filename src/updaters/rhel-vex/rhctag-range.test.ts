import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INT32_MAX } from '../../versions/scheme.js';
import { everyRhctag, RhctagRanger } from './rhctag-range.js';

const v = (...xs: number[]): number[] => [...xs, ...Array<number>(10 - xs.length).fill(0)];

describe('RhctagRanger', () => {
  it('ranges a fixed tag over its minor stream (claircore rendering cases)', () => {
    const r = new RhctagRanger();
    // claircore pkg/rhctag TestRendering: 1.9.0-9 → 1!9 / 1!9.2147483647; v3.5.7-8 → 3!5.
    assert.deepEqual(r.add('a', '1.9.0-9'), { range: { kind: 'rhctag', lower: v(1, 9, 0), upper: v(1, 9, INT32_MAX) } });
    assert.deepEqual(r.add('b', 'v3.5.7-8'), { range: { kind: 'rhctag', lower: v(3, 5, 0), upper: v(3, 5, INT32_MAX) } });
    // rhceph dashboard: "4-22" has no minor.
    assert.deepEqual(r.add('c', '4-22'), { range: { kind: 'rhctag', lower: v(4, 0, 0), upper: v(4, 0, INT32_MAX) } });
  });

  it('widens only the lowest minor of each image down to zero', () => {
    const r = new RhctagRanger();
    const newer = r.add('ose-foo', 'v4.15.0-202402010000.p0.g1234567.assembly.stream.el9');
    const older = r.add('ose-foo', 'v4.14.0-202401150000.p0.g7654321.assembly.stream.el8');
    const other = r.add('ose-bar', '4.15-22');
    r.finish();
    assert.ok('range' in newer && 'range' in older && 'range' in other);
    assert.deepEqual(newer.range.lower, v(4, 15, 0));
    assert.deepEqual(older.range.lower, v());
    assert.deepEqual(older.range.upper, v(4, 14, INT32_MAX));
    assert.deepEqual(other.range.lower, v());
  });

  it('covers everything when there is no fix, and reports unparsable tags', () => {
    assert.deepEqual(new RhctagRanger().add('x', ''), { range: everyRhctag() });
    assert.deepEqual(everyRhctag(), { kind: 'rhctag', lower: v(), upper: v(INT32_MAX) });
    assert.ok('error' in new RhctagRanger().add('x', 'latest'));
  });
});
