/**
 * @module The conformance suite every version scheme runs (hono's
 * `common.case.test.ts` pattern): fixed cases each scheme supplies, plus
 * fast-check properties over generated version strings.
 *
 * Properties: parse never throws; compare returns -1/0/1 and never throws;
 * reflexivity; antisymmetry; transitivity of `<=` and of equality (checked
 * over every triple of a generated batch, so a cycle or a non-transitive tie
 * fails); generated equivalent spellings compare equal; `compareStrings`
 * agrees with parse + compare; `format` round-trips; `normalize` preserves
 * order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareNormalized, type Ordering, type VersionScheme } from './scheme.js';

/** What a scheme supplies to the conformance suite. */
export interface ConformanceCases {
  /** Groups of spellings of the same version; every pair must compare equal. */
  readonly equalSpellings: readonly (readonly string[])[];
  /** A strictly ascending list; every pair is checked in both directions. */
  readonly orderedList: readonly string[];
  /** Strings the scheme must reject. */
  readonly invalid: readonly string[];
  /** Generates version strings in the scheme's alphabet (mostly valid). */
  readonly arbitrary: fc.Arbitrary<string>;
  /** Generates pairs of different spellings of one version. */
  readonly equivalent?: fc.Arbitrary<readonly [string, string]>;
  /**
   * Restricts the order-preservation checks of `normalize` to versions for
   * which the scheme promises it (default: all). pep440 uses this because
   * claircore's encoding of dev releases is not order-preserving.
   */
  readonly normalizeOrderedFor?: (text: string) => boolean;
  /** Runs per property (default 300). */
  readonly numRuns?: number;
}

const ORDERINGS = new Set<number>([-1, 0, 1]);

/** Registers the conformance suite for `scheme` with node:test. */
export function runSchemeConformance<V>(scheme: VersionScheme<V>, cases: ConformanceCases): void {
  const numRuns = cases.numRuns ?? 300;
  const name = scheme.name;

  const mustParse = (text: string): V => {
    const r = scheme.parse(text);
    if (!r.ok) assert.fail(`${name}: expected "${text}" to parse, got: ${r.reason}`);
    return r.version;
  };
  const cmp = (a: V, b: V): Ordering => {
    const r = scheme.compare(a, b);
    assert.ok(ORDERINGS.has(r), `${name}: compare returned ${String(r)}, not -1/0/1`);
    return r;
  };
  const tryParse = (text: string): V | undefined => {
    const r = scheme.parse(text);
    return r.ok ? r.version : undefined;
  };

  describe(`${name} conformance`, () => {
    it('equal spellings compare equal, pairwise and both ways', () => {
      for (const group of cases.equalSpellings) {
        for (const a of group) {
          for (const b of group) {
            assert.equal(cmp(mustParse(a), mustParse(b)), 0, `${name}: "${a}" should equal "${b}"`);
          }
        }
      }
    });

    it('the ordered list is strictly ascending for every pair', () => {
      const list = cases.orderedList.map((t) => [t, mustParse(t)] as const);
      for (let i = 0; i < list.length; i++) {
        for (let j = 0; j < list.length; j++) {
          const [ta, a] = list[i]!;
          const [tb, b] = list[j]!;
          const expected = i < j ? -1 : i > j ? 1 : 0;
          assert.equal(cmp(a, b), expected, `${name}: compare("${ta}", "${tb}") should be ${expected}`);
        }
      }
    });

    it('rejects invalid strings with a reason that names the scheme', () => {
      for (const text of cases.invalid) {
        const r = scheme.parse(text);
        assert.equal(r.ok, false, `${name}: "${text}" should not parse`);
        if (!r.ok) {
          assert.ok(r.reason.startsWith(`${name}:`), `${name}: reason "${r.reason}" should start with "${name}:"`);
          assert.ok(r.reason.length > name.length + 2, `${name}: reason for "${text}" is empty`);
        }
      }
    });

    it('compareStrings agrees with parse + compare, and is undefined for invalid input', () => {
      if (!scheme.compareStrings) return;
      const texts = [...cases.orderedList, ...cases.equalSpellings.flat(), ...cases.invalid];
      for (const a of texts) {
        for (const b of texts) {
          const pa = tryParse(a);
          const pb = tryParse(b);
          const expected = pa !== undefined && pb !== undefined ? cmp(pa, pb) : undefined;
          assert.equal(scheme.compareStrings(a, b), expected, `${name}: compareStrings("${a}", "${b}")`);
        }
      }
    });

    it('format gives a string that parses to an equal version', () => {
      if (!scheme.format) return;
      for (const text of [...cases.orderedList, ...cases.equalSpellings.flat()]) {
        const v = mustParse(text);
        const f = scheme.format(v);
        assert.equal(cmp(mustParse(f), v), 0, `${name}: format("${text}") = "${f}" does not round-trip`);
      }
    });

    it('normalize never reverses the order of the ordered list', () => {
      if (!scheme.normalize) return;
      const keep = cases.normalizeOrderedFor ?? (() => true);
      const norm = cases.orderedList.filter(keep).map((t) => [t, scheme.normalize!(mustParse(t))] as const);
      for (let i = 0; i + 1 < norm.length; i++) {
        const [ta, na] = norm[i]!;
        const [tb, nb] = norm[i + 1]!;
        if (na === undefined || nb === undefined) continue;
        assert.notEqual(compareNormalized(na, nb), 1, `${name}: normalize("${ta}") > normalize("${tb}")`);
      }
    });

    it('property: parse never throws and compare stays total on arbitrary strings', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), cases.arbitrary), fc.string({ unit: 'grapheme-ascii' }), (x, y) => {
          const px = scheme.parse(x);
          const py = scheme.parse(y);
          if (!px.ok) assert.equal(typeof px.reason, 'string');
          if (px.ok && py.ok) cmp(px.version, py.version);
          if (scheme.compareStrings) scheme.compareStrings(x, y);
        }),
        { numRuns },
      );
    });

    it('property: reflexive and antisymmetric', () => {
      fc.assert(
        fc.property(cases.arbitrary, cases.arbitrary, (x, y) => {
          const a = tryParse(x);
          const b = tryParse(y);
          if (a === undefined || b === undefined) return;
          assert.equal(cmp(a, a), 0, `${name}: "${x}" != itself`);
          const ab = cmp(a, b);
          const ba = cmp(b, a);
          assert.equal(ab, (ba === 0 ? 0 : -ba) as Ordering, `${name}: compare("${x}","${y}")=${ab} but reverse is ${ba}`);
        }),
        { numRuns },
      );
    });

    it('property: transitive (<= and equality) over every triple of a batch', () => {
      const batch = fc.array(
        cases.equivalent ? fc.oneof(cases.arbitrary, cases.equivalent.map(([a]) => a), cases.equivalent.map(([, b]) => b)) : cases.arbitrary,
        { minLength: 3, maxLength: 9 },
      );
      fc.assert(
        fc.property(batch, (texts) => {
          const vs = texts.map((t) => [t, tryParse(t)] as const).filter((p): p is readonly [string, V] => p[1] !== undefined);
          const n = vs.length;
          const m: Ordering[][] = vs.map(([, a]) => vs.map(([, b]) => cmp(a, b)));
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              for (let k = 0; k < n; k++) {
                const ij = m[i]![j]!;
                const jk = m[j]![k]!;
                const ik = m[i]![k]!;
                const label = `"${vs[i]![0]}", "${vs[j]![0]}", "${vs[k]![0]}"`;
                if (ij <= 0 && jk <= 0) assert.ok(ik <= 0, `${name}: not transitive for ${label}`);
                if (ij === 0) assert.equal(ik, jk, `${name}: equality not a congruence for ${label}`);
              }
            }
          }
        }),
        { numRuns: Math.max(50, Math.floor(numRuns / 3)) },
      );
    });

    it('property: equivalent spellings compare equal', () => {
      if (!cases.equivalent) return;
      fc.assert(
        fc.property(cases.equivalent, ([x, y]) => {
          assert.equal(cmp(mustParse(x), mustParse(y)), 0, `${name}: "${x}" should equal "${y}"`);
        }),
        { numRuns },
      );
    });

    it('property: normalize is order-preserving (a < b implies norm(a) <= norm(b))', () => {
      if (!scheme.normalize) return;
      const normalize = scheme.normalize.bind(scheme);
      const keep = cases.normalizeOrderedFor ?? (() => true);
      fc.assert(
        fc.property(cases.arbitrary.filter(keep), cases.arbitrary.filter(keep), (x, y) => {
          const a = tryParse(x);
          const b = tryParse(y);
          if (a === undefined || b === undefined) return;
          const na = normalize(a);
          const nb = normalize(b);
          if (na === undefined || nb === undefined) return;
          assert.equal(na.v.length, 10);
          if (cmp(a, b) < 0) assert.notEqual(compareNormalized(na, nb), 1, `${name}: "${x}" < "${y}" but normalized order is reversed`);
        }),
        { numRuns },
      );
    });
  });
}

/**
 * Pairs `[text, text with some digit runs zero-padded]`, for schemes where
 * leading zeros are insignificant.
 */
export function withZeroPadding(arb: fc.Arbitrary<string>): fc.Arbitrary<readonly [string, string]> {
  return fc.tuple(arb, fc.array(fc.boolean(), { minLength: 1, maxLength: 12 })).map(([text, flags]) => {
    let i = 0;
    const padded = text.replace(/[0-9]+/g, (run) => (flags[i++ % flags.length] ? `0${run}` : run));
    return [text, padded] as const;
  });
}
