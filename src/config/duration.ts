/**
 * @module Go duration strings. Clair's config spells durations the way Go's
 * `time.ParseDuration` reads them (`300ms`, `1.5h`, `2h45m`, `-1m`, bare `0`);
 * this module parses them to milliseconds and prints milliseconds back the way
 * Go's `time.Duration.String` does (`6h0m0s`, `1m30s`, `1.5ms`).
 *
 * Arithmetic is done in integer nanoseconds (`bigint`), as Go does, so that
 * `parseDuration(formatDuration(x))` round-trips exactly at nanosecond
 * resolution.
 */
import { clairError } from '../lib/errors.js';

const NS_PER_MS = 1_000_000n;

/** Nanoseconds per unit, as Go's `unitMap` (both micro signs are accepted). */
const UNIT_NS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // U+00B5 MICRO SIGN
  ['\u03bcs', 1_000n], // U+03BC GREEK SMALL LETTER MU
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

/** Go's `time.Duration` is an int64 of nanoseconds. */
const MAX_NS = (1n << 63n) - 1n;

function invalid(input: string, reason?: string): Error {
  const suffix = reason === undefined ? '' : `: ${reason}`;
  return clairError('CONFIG_INVALID', `invalid duration ${JSON.stringify(input)}${suffix}`);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/**
 * Parses a Go duration string to integer nanoseconds.
 *
 * @throws ClairError `CLAIR_ERR_CONFIG_INVALID` naming the input and what is wrong with it.
 */
export function parseDurationNanos(input: string): bigint {
  let s = input;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid(input, 'empty');

  let total = 0n;
  let i = 0;
  while (i < s.length) {
    // The next character must be [0-9.].
    if (!(isDigit(s[i]) || s[i] === '.')) throw invalid(input, 'expected a number');

    const intStart = i;
    while (isDigit(s[i])) i++;
    const intDigits = s.slice(intStart, i);
    let fracDigits = '';
    if (s[i] === '.') {
      i++;
      const fracStart = i;
      while (isDigit(s[i])) i++;
      fracDigits = s.slice(fracStart, i);
    }
    if (intDigits === '' && fracDigits === '') throw invalid(input, 'expected a number');

    const unitStart = i;
    while (i < s.length && s[i] !== '.' && !isDigit(s[i])) i++;
    const unit = s.slice(unitStart, i);
    if (unit === '') throw invalid(input, 'missing unit (one of ns, us, µs, ms, s, m, h)');
    const perUnit = UNIT_NS.get(unit);
    if (perUnit === undefined) throw invalid(input, `unknown unit ${JSON.stringify(unit)}`);

    let value = BigInt(intDigits === '' ? '0' : intDigits) * perUnit;
    if (fracDigits !== '') {
      // Truncates toward zero, as Go does.
      value += (BigInt(fracDigits) * perUnit) / 10n ** BigInt(fracDigits.length);
    }
    total += value;
    if (total > MAX_NS + (negative ? 1n : 0n)) throw invalid(input, 'out of range');
  }
  return negative ? -total : total;
}

/**
 * Parses a Go duration string (`300ms`, `1.5h`, `2h45m`, `-1m`, `0`) to
 * milliseconds. Sub-millisecond parts are kept as a fraction.
 *
 * @throws ClairError `CLAIR_ERR_CONFIG_INVALID`, e.g. `invalid duration "6 hours": unknown unit " hours"`.
 * @example parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(input: string): number {
  const ns = parseDurationNanos(input);
  const whole = ns / NS_PER_MS;
  const rest = ns % NS_PER_MS;
  return Number(whole) + Number(rest) / 1e6;
}

/** Writes `v` with `prec` implied decimal places, dropping trailing zeros. */
function fraction(v: bigint, prec: number): { int: bigint; text: string } {
  const scale = 10n ** BigInt(prec);
  let digits = (v % scale).toString().padStart(prec, '0').replace(/0+$/, '');
  if (digits !== '') digits = `.${digits}`;
  return { int: v / scale, text: digits };
}

/** Formats integer nanoseconds exactly as Go's `time.Duration.String`. */
export function formatDurationNanos(ns: bigint): string {
  const sign = ns < 0n ? '-' : '';
  const u = ns < 0n ? -ns : ns;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    if (u < 1_000n) return `${sign}${u}ns`;
    if (u < 1_000_000n) {
      const f = fraction(u, 3);
      return `${sign}${f.int}${f.text}µs`;
    }
    const f = fraction(u, 6);
    return `${sign}${f.int}${f.text}ms`;
  }
  const f = fraction(u, 9);
  let rest = f.int; // whole seconds
  let out = `${rest % 60n}${f.text}s`;
  rest /= 60n;
  if (rest > 0n) {
    out = `${rest % 60n}m${out}`;
    rest /= 60n;
    if (rest > 0n) out = `${rest}h${out}`;
  }
  return sign + out;
}

/**
 * Formats milliseconds as Go prints a `time.Duration`: `6h0m0s`, `1m30s`,
 * `30s`, `1.5ms`, `0s`.
 *
 * @throws ClairError `CLAIR_ERR_CONFIG_INVALID` when `ms` is not a finite number.
 * @example formatDuration(21_600_000) // '6h0m0s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw clairError('CONFIG_INVALID', `not a finite number of milliseconds: ${ms}`);
  const whole = Math.trunc(ms);
  const ns = BigInt(whole) * NS_PER_MS + BigInt(Math.round((ms - whole) * 1e6));
  return formatDurationNanos(ns);
}
