/**
 * @module Benchmark harness. Each bench file measures its subject and a
 * baseline in the same process and run, then reports the ratio, because the
 * machine is shared and noisy: absolute numbers drift, ratios much less.
 */

export interface BenchResult {
  /** What was measured, e.g. `dpkg compare`. */
  name: string;
  /** Measured rate or time of the subject. */
  value: number;
  unit: string;
  /** The same quantity for the baseline, measured in the same run. */
  baseline?: { name: string; value: number };
  /** Human-readable target, e.g. `>= 2e6 ops/s`. */
  target?: string;
  /** Whether the target was met, when one is set. */
  met?: boolean;
}

/** Prints one result as a readable line followed by a JSON line for tooling. */
export function report(result: BenchResult): void {
  const ratio = result.baseline ? result.value / result.baseline.value : undefined;
  const parts = [
    result.name.padEnd(36),
    `${formatNumber(result.value)} ${result.unit}`.padEnd(22),
  ];
  if (result.baseline && ratio !== undefined) {
    parts.push(`${ratio.toFixed(2)}x ${result.baseline.name}`.padEnd(32));
  }
  if (result.target) parts.push(`target ${result.target}: ${result.met ? 'met' : 'NOT MET'}`);
  console.log(parts.join(' '));
  console.log(`BENCH ${JSON.stringify({ ...result, ratio })}`);
}

/** Runs `fn` repeatedly for about `ms` milliseconds and returns calls per second. */
export function opsPerSecond(fn: () => void, ms = 1000): number {
  for (let i = 0; i < 1000; i++) fn(); // warm up the JIT before timing
  let calls = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 1000; i++) fn();
    calls += 1000;
    elapsed = process.hrtime.bigint() - start;
  }
  return calls / (Number(elapsed) / 1e9);
}

function formatNumber(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(2);
}
