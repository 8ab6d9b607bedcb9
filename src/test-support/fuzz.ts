/**
 * @module Fuzzing a parser with fast-check: inputs are real seeds mutated
 * (bytes flipped, inserted, deleted, runs repeated, cut short, seeds spliced)
 * plus random bytes, and each must end in a result or a clear error, within
 * a time budget. A clear error is any error except the ones that mean the
 * parser itself broke: `TypeError`, `ReferenceError`, `RangeError` (stack
 * overflow, invalid array length), `SyntaxError` thrown by code rather than
 * by a JSON or XML reader that was handed the input, an `AssertionError`
 * (a check inside `parse` failing), and anything that is not an `Error`.
 *
 * Runs per parser: `FUZZ_RUNS` (default 150, so CI stays bounded; raise it
 * to hunt). A failure prints fast-check's seed and path, and the shrunk
 * input as base64, to reproduce with `FUZZ_SEED`.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';

export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

export interface FuzzTarget {
  /** Real inputs the mutations start from. */
  seeds: readonly Uint8Array[];
  /** Parses one input completely (drain streams, iterate generators). */
  parse(input: Buffer): unknown;
  /** Checks what a seed parses to (that it finds what it should), so a harness that parses nothing is caught. */
  checkSeed?(result: unknown): void;
  /** Per input, before it counts as a hang. */
  timeoutMs?: number;
  /** Errors this parser may throw on bad input besides the default rule (rarely needed). */
  clear?(err: unknown): boolean;
  /** The largest input generated from random bytes. */
  maxRandomBytes?: number;
}

/** Whether `err` is a parser's answer to bad input, not the parser breaking. */
export function isClearError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError) return false;
  // An assertion inside `parse` is the target's own property failing, not an answer to bad input.
  if (err instanceof assert.AssertionError) return false;
  if (err.message.trim() === '') return false;
  return true;
}

type Mutation = (b: Buffer) => Buffer;

function mutation(): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  return fc.oneof(
    fc.tuple(at, fc.integer({ min: 0, max: 255 })).map(([i, v]): Mutation => (b) => {
      if (b.length === 0) return b;
      const c = Buffer.from(b);
      c[i % c.length] = v;
      return c;
    }),
    fc.tuple(at, fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([i, bytes]): Mutation => (b) => Buffer.concat([b.subarray(0, i % (b.length + 1)), Buffer.from(bytes), b.subarray(i % (b.length + 1))])),
    fc.tuple(at, fc.integer({ min: 1, max: 64 })).map(([i, n]): Mutation => (b) => {
      const start = i % (b.length + 1);
      return Buffer.concat([b.subarray(0, start), b.subarray(start + n)]);
    }),
    at.map((i): Mutation => (b) => b.subarray(0, i % (b.length + 1))),
    fc.tuple(at, fc.integer({ min: 1, max: 32 }), fc.integer({ min: 2, max: 50 })).map(([i, n, times]): Mutation => (b) => {
      const start = i % (b.length + 1);
      const run = b.subarray(start, start + n);
      return Buffer.concat([b.subarray(0, start), ...Array<Buffer>(times).fill(run), b.subarray(start)]);
    }),
  );
}

function inputs(target: FuzzTarget): fc.Arbitrary<Buffer> {
  const seeds = target.seeds.map((s) => Buffer.from(s));
  const mutated = fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation(), { minLength: 1, maxLength: 6 }))
    .map(([seed, ms]) => ms.reduce<Buffer>((b, m) => m(b), seed));
  const spliced = fc.tuple(fc.constantFrom(...seeds), fc.constantFrom(...seeds), fc.nat(), fc.nat()).map(([a, b, i, j]) => Buffer.concat([a.subarray(0, i % (a.length + 1)), b.subarray(j % (b.length + 1))]));
  const random = fc.uint8Array({ maxLength: target.maxRandomBytes ?? 512 }).map((u) => Buffer.from(u));
  return fc.oneof({ arbitrary: mutated, weight: 6 }, { arbitrary: spliced, weight: 2 }, { arbitrary: random, weight: 1 });
}

/** Runs `target.parse` on `input`, failing on an unclear error or a hang. */
async function once(target: FuzzTarget, input: Buffer): Promise<void> {
  const budget = target.timeoutMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(resolve, budget, 'hang');
  });
  try {
    const outcome = await Promise.race([
      (async () => {
        try {
          await target.parse(input);
          return 'ok' as const;
        } catch (err) {
          return err;
        }
      })(),
      hang,
    ]);
    if (outcome === 'hang') assert.fail(`no answer within ${budget} ms`);
    if (outcome !== 'ok' && !isClearError(outcome) && !target.clear?.(outcome)) {
      const err = outcome as Error;
      assert.fail(`unclear error ${err?.constructor?.name ?? typeof err}: ${err?.message}\n${err?.stack ?? ''}`);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Fuzzes `target`; every seed is first checked to parse cleanly, so a broken harness is not mistaken for robustness. */
export async function fuzz(target: FuzzTarget): Promise<void> {
  assert.ok(target.seeds.length > 0, 'fuzzing needs at least one real seed');
  for (const seed of target.seeds) {
    const result = await target.parse(Buffer.from(seed));
    target.checkSeed?.(result);
  }
  try {
    await fc.assert(
      fc.asyncProperty(inputs(target), async (input) => {
        try {
          await once(target, input);
        } catch (err) {
          throw new Error(`${(err as Error).message}\ninput (base64): ${input.toString('base64').slice(0, 4000)}`);
        }
      }),
      { numRuns: FUZZ_RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  } catch (err) {
    // fast-check's report names the seed and the shrunk input; the reason is in its cause.
    const cause = (err as { cause?: unknown }).cause;
    throw new Error(`${(err as Error).message}\n${cause instanceof Error ? cause.message : String(cause ?? '')}`);
  }
}
