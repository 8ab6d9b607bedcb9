import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isClairError } from '../lib/errors.js';
import { formatDuration, formatDurationNanos, parseDuration, parseDurationNanos } from './duration.js';

describe('parseDuration', () => {
  const valid: Array<[string, number]> = [
    ['0', 0],
    ['-0', 0],
    ['+0', 0],
    ['0s', 0],
    ['5s', 5_000],
    ['30s', 30_000],
    ['1m', 60_000],
    ['6h', 21_600_000],
    ['1.5h', 5_400_000],
    ['2h45m', 9_900_000],
    ['1h30m15s', 5_415_000],
    ['-1m', -60_000],
    ['+1m', 60_000],
    ['300ms', 300],
    ['.5s', 500],
    ['5.s', 5_000],
    ['1.000000001s', 1_000.000001],
    ['1500us', 1.5],
    ['1500µs', 1.5], // U+00B5
    ['1500μs', 1.5], // U+03BC
    ['250ns', 0.00025],
    ['1h1h', 7_200_000],
  ];
  for (const [input, ms] of valid) {
    test(`reads ${JSON.stringify(input)} as ${ms} ms`, () => {
      assert.equal(parseDuration(input), ms);
    });
  }

  const invalid: Array<[string, RegExp]> = [
    ['', /invalid duration "": empty/],
    ['-', /invalid duration "-"/],
    ['6 hours', /invalid duration "6 hours": unknown unit " hours"/],
    ['10', /invalid duration "10": missing unit/],
    ['1d', /unknown unit "d"/],
    ['h', /expected a number/],
    ['.s', /expected a number/],
    ['1h 30m', /unknown unit "h "/],
    ['1H', /unknown unit "H"/],
    ['9223372036855s', /out of range/],
  ];
  for (const [input, re] of invalid) {
    test(`rejects ${JSON.stringify(input)} with a clear message`, () => {
      assert.throws(
        () => parseDuration(input),
        (err: unknown) => {
          assert.ok(isClairError(err, 'CONFIG_INVALID'));
          assert.match(err.message, re);
          return true;
        },
      );
    });
  }

  test('accepts the extreme int64 values Go accepts', () => {
    assert.equal(parseDurationNanos('9223372036854775807ns'), 9223372036854775807n);
    assert.equal(parseDurationNanos('-9223372036854775808ns'), -9223372036854775808n);
    assert.throws(() => parseDurationNanos('9223372036854775808ns'), /out of range/);
  });
});

describe('formatDuration', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [21_600_000, '6h0m0s'],
    [3_600_000, '1h0m0s'],
    [60_000, '1m0s'],
    [90_000, '1m30s'],
    [30_000, '30s'],
    [1_500, '1.5s'],
    [5_400_500, '1h30m0.5s'],
    [1.5, '1.5ms'],
    [0.3, '300µs'],
    [0.00025, '250ns'],
    [-60_000, '-1m0s'],
    [1, '1ms'],
  ];
  for (const [ms, text] of cases) {
    test(`prints ${ms} ms as ${text}, like Go`, () => {
      assert.equal(formatDuration(ms), text);
    });
  }

  test('round-trips through parseDuration', () => {
    for (const s of ['6h0m0s', '1h30m0.5s', '1.5ms', '300µs', '250ns', '-2m3s']) {
      assert.equal(formatDurationNanos(parseDurationNanos(s)), s);
    }
  });

  test('rejects a non-finite number', () => {
    assert.throws(() => formatDuration(Number.NaN), /not a finite number/);
  });
});
