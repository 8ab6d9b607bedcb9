/**
 * @module Benchmark: comparisons per second for every version scheme, on
 * pre-parsed versions and on raw string pairs, against a baseline of plain
 * string comparison of the same pairs measured in the same run.
 *
 * Pairs are built the way a matcher sees them: a version next to a close
 * neighbour (a bumped last number, the next entry in sorted order), an equal
 * copy, and a random partner, from lists of real-looking versions of each
 * ecosystem. Target: >= 2e6 comparisons/s for dpkg and rpm.
 *
 * Run: node --expose-gc --import tsx bench/versions.bench.ts
 */
import { opsPerSecond, report } from './harness.js';
import { SCHEMES, type SchemeName, type VersionScheme } from '../src/versions/index.js';

const VERSIONS: Readonly<Record<SchemeName, readonly string[]>> = {
  dpkg: [
    '1:2.35-0ubuntu3.1', '2.36.1-8+deb11u1', '7.74.0-1.3+deb11u7', '1.1.1n-0+deb11u4', '3.0.2-0ubuntu1.10',
    '2:8.2.2434-3+deb11u1', '1:1.2.11.dfsg-2+deb11u2', '5.1-2', '10.2.1-6', '252.17-1~deb12u1', '1.19.7',
    '2.2.0-1+b1', '0.9.9~pre122-1', '4.6.99+svn6582-1', '1:9.18.19-1~deb12u1', '3.7.9-2+deb12u2',
    '1.20.1-2+deb12u1', '2.9.14+dfsg-1.3~deb12u1', '6.1.0-13', '1.22.1-9', '245.4-4ubuntu3.22',
    '2.34-0ubuntu3.2', '1:1.1.1f-1ubuntu2.20', '2.38-4ubuntu2.3', '8.32-4.1ubuntu1', '1.8.7-6ubuntu0.2',
    '3.6.13-2ubuntu1.9', '2.4.52-1ubuntu4.7', '1.21.1-1~bpo11+1', '0.22.5-1',
  ],
  rpm: [
    '0:4.18.0-348.el9', '4.18.0-372.9.1.el9', '2.28-225.el8_6.2', '1:1.1.1k-7.el8_6', '2.9.13-3.el9_2.1',
    '7.76.1-26.el9_3.2', '1:3.0.7-25.el9_3', '5.14.0-362.8.1.el9_3', '2.34-83.el9_3.7', '1.2.11-40.el9',
    '3.9.18-1.el9_3.1', '2:8.2.2637-20.el9_1', '239-78.el8', '252-18.el9', '4.16.1.3-25.el9', '2.02-148.el8',
    '1.0.2k-26.el7_9', '1:1.0.2k-25.el7_9', '3.2.1-1.fc39', '2.0.5-12.fc39', '0.9.3^20230101git1234-1.fc39',
    '1.0~rc1-1.fc40', '6.5.0-0.rc4.20230804git1.36.fc40', '2.5.1-11.amzn2.0.2', '1.36.0-1.amzn2023.0.1',
    '4.4.20-2.el8', '1:2.9.7-5.el8_8', '3.6.8-51.el8_8.2', '2.17-326.el7_9', '1.12.8-18.el8_6.1',
  ],
  apk: [
    '1.1.1k-r0', '2.4.46-r1', '1.6-r0', '1.6_rc1-r0', '7.79.1-r0', '3.0.8-r3', '1.35.0-r29', '2.9.14-r2',
    '1.2.13-r0', '8.4_p1-r3', '9.0_p1-r2', '1.36.1-r5', '0.3.108-r1', '2.38.1-r0', '3.14.3-r0', '1.24.2-r0',
    '4.4.0_rc2-r0', '3.1.4_git20230101-r0', '1.0.0_alpha20-r0', '6.4_p20230708-r0', '2.7.4-r0', '1.9.4-r3',
    '10.42-r1', '3.4.6-r0', '0.9.13-r0', '2.12.1-r2', '1.47.0-r5', '5.2.15-r0', '1.1.24-r10', '3.41.2-r2',
  ],
  pep440: [
    '2.31.0', '1.26.4', '2.0.0rc1', '3.9.1.post1', '1.0.0.dev3', '41.0.7', '2.2.3', '0.24.2', '1!2.0',
    '2023.7.22', '4.66.1', '3.1.3', '23.2', '2.15.0b2', '1.10.1', '0.41.2', '68.2.2', '6.0.1', '2.8.2',
    '1.16.0', '3.0.0a4', '5.3.1', '2.0.7', '1.3.0.post0', '22.3.1', '0.1.0.dev20230101', '7.4.3', '2.1.0+cpu',
    '1.5.3', '4.9.0',
  ],
  maven: [
    '5.3.27', '2.17.1', '2.14.1', '5.2.20.RELEASE', '1.2.3-SNAPSHOT', '31.1-jre', '4.1.94.Final', '2.0.0-M1',
    '3.12.0', '1.15', '9.4.51.v20230217', '6.0.0-alpha-1', '1.0-beta-2', '2.13.5', '1.7.36', '1.4.14', '4.13.2',
    '5.10.0', '3.0.0-rc1', '2.0.1.Final', '1.33', '3.2.2', '2.15.2', '6.0.11', '1.10.0', '11.0.2', '4.5.14',
    '2.2', '1.9.4', '5.3.1-SNAPSHOT',
  ],
  semver: [
    '1.2.3', '4.17.21', '0.21.4', '18.2.0', '7.5.4', '2.0.0-rc.1', '1.0.0-beta.2', '3.3.6', '6.0.0-alpha.1',
    '5.76.3', '1.6.0', '0.4.0', '4.18.2', '2.29.4', '10.0.0', '8.4.31', '3.0.0-next.12', '1.15.0', '0.10.0',
    '9.0.1', '14.0.0-canary.3', '2.8.5', '16.13.1', '1.1.1', '4.3.4', '5.0.0', '0.2.1', '3.1.2', '7.23.2', '1.4.0',
  ],
  gomod: [
    'v1.2.3', 'v0.0.0-20220722155217-630584e8d5aa', 'v0.17.0', 'v2.0.0+incompatible', 'v1.19.1', 'v0.1.0',
    'v1.2.4-0.20200101000000-abcdefabcdef', 'v0.14.0', 'v1.57.0', 'v0.0.0-20230905200255-921286631fa9',
    'v3.0.1', 'v1.8.0', 'v0.10.0', 'v1.31.0', 'v2.6.0', 'v0.3.0', 'v1.1.0', 'v0.9.1', 'v4.5.0+incompatible',
    'v1.10.0', 'v0.0.0-20190308221718-c2843e01d9a2', 'v1.0.0-rc.1', 'v0.27.4', 'v1.5.3', 'v0.6.0', 'v1.28.1',
    'v0.12.0', 'v2.1.0', 'v1.3.1', 'v0.5.2',
  ],
  crates: [
    '1.0.188', '0.3.28', '1.32.0', '0.9.0-alpha.1', '2.4.0', '0.4.31', '1.0.75', '0.2.148', '1.9.3', '0.11.20',
    '3.4.6', '0.1.43', '2.0.0-rc.3', '1.5.0', '0.7.4', '1.0.107', '0.8.5', '1.18.0', '0.6.2', '4.4.6',
  ],
  gem: [
    '7.0.8', '6.1.7.6', '1.15.4', '2.2.8', '3.0.0.rc1', '1.14.0.pre.1', '5.2.8.1', '2.7.1', '1.13.10', '0.9.5',
    '3.2.2', '4.0.0.beta2', '1.6.0', '2.0.0-alpha', '13.0.6', '3.12.2', '2.8.5', '1.0.1', '0.14.1', '6.0.3',
  ],
  composer: [
    'v6.4.2', '5.4.21', '2.3.0-RC1', '1.0.0-beta2', 'v3.0.0-alpha.1', '7.4.0', '10.2.5', '1.x-dev', '2.11.0', '4.4.49',
    '3.3.2', 'v1.8.1', '2.0.0-patch1', '1.0.0.3', '6.0.0-dev', '1.13.0', '0.9.2', '5.1.11', 'v2.5.3', '9.6.19',
  ],
  nuget: [
    '13.0.1', '12.0.3', '8.0.0', '6.0.0-preview.7.21377.19', '4.7.2', '2.2.0.0', '1.0.0-rc.1', '5.0.17', '7.0.14', '3.1.32',
    '4.3.4', '1.1.1', '8.0.0-rc.2.23479.6', '2.1.30', '6.0.25', '4.5.5', '1.0.0.1', '5.2.9', '0.9.6', '13.0.3',
  ],
};

/** Bumps the last digit run (e.g. `1.2.3-r4` → `1.2.3-r5`). */
function bump(v: string): string {
  return v.replace(/([0-9]+)(?!.*[0-9])/, (n) => String(Number(n) + 1));
}

/** Deterministic PRNG, so every run compares the same pairs. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function buildPairs(scheme: VersionScheme<unknown>, versions: readonly string[]): [string, string][] {
  const valid = versions.filter((v) => scheme.parse(v).ok && scheme.parse(bump(v)).ok);
  const sorted = [...valid].sort((a, b) => {
    const x = scheme.parse(a);
    const y = scheme.parse(b);
    return x.ok && y.ok ? scheme.compare(x.version, y.version) : 0;
  });
  const rand = rng(42);
  const pairs: [string, string][] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    pairs.push([v, bump(v)], [bump(v), v]);
    pairs.push([v, v.slice(0)]); // equal but, for a fresh concatenation, not always the same string object
    if (i + 1 < sorted.length) pairs.push([v, sorted[i + 1]!], [sorted[i + 1]!, v]);
    pairs.push([v, sorted[Math.floor(rand() * sorted.length)]!]);
  }
  return pairs;
}

const TARGETS: Partial<Record<SchemeName, number>> = { dpkg: 2e6, rpm: 2e6 };
const MS = 600;
let sink = 0;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

for (const [name, scheme] of Object.entries(SCHEMES) as [SchemeName, VersionScheme<unknown>][]) {
  const pairs = buildPairs(scheme, VERSIONS[name]);
  const parsed = pairs.map(([a, b]) => {
    const x = scheme.parse(a);
    const y = scheme.parse(b);
    if (!x.ok || !y.ok) throw new Error(`bench: ${name} pair does not parse: ${a} / ${b}`);
    return [x.version, y.version] as const;
  });
  const n = pairs.length;

  let i = 0;
  gc();
  const baseline = opsPerSecond(() => {
    const [a, b] = pairs[i++ % n]!;
    sink += a < b ? -1 : a > b ? 1 : 0;
  }, MS);

  i = 0;
  gc();
  const onParsed = opsPerSecond(() => {
    const [a, b] = parsed[i++ % n]!;
    sink += scheme.compare(a, b);
  }, MS);

  const compareStrings = scheme.compareStrings?.bind(scheme);
  i = 0;
  gc();
  const onStrings = opsPerSecond(() => {
    const [a, b] = pairs[i++ % n]!;
    sink += compareStrings ? (compareStrings(a, b) ?? 0) : 0;
  }, MS);

  const target = TARGETS[name];
  const base = { name: 'string <', value: baseline };
  for (const [label, value] of [
    ['compare (parsed)', onParsed],
    ['compareStrings (raw)', onStrings],
  ] as const) {
    report({
      name: `${name} ${label} [${n} pairs]`,
      value,
      unit: 'ops/s',
      baseline: base,
      ...(target !== undefined ? { target: `>= ${target.toExponential(0)} ops/s`, met: value >= target } : {}),
    });
  }
}

// Keep the results observable so the compares cannot be optimised away.
if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
