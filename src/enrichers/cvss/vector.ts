/**
 * @module CVSS vector strings (v2.0, v3.0, v3.1, v4.0): a strict reading of
 * their grammar, and their scores from the `ae-cvss-calculator` library.
 *
 * The library scores FIRST's formulas faithfully but parses leniently (it
 * fills in missing metrics, accepts duplicates and values a metric cannot
 * take, and logs to the console on the way), so a vector is checked here
 * first, against each specification's metric table:
 *
 * - v2.0 has no prefix; base metrics in order, then the temporal and the
 *   environmental groups, each complete or absent;
 * - v3.x starts `CVSS:3.0/` or `CVSS:3.1/`; every base metric once, the
 *   others optional, in any order (the specification says readers must
 *   accept any order), `X` (not defined) only outside the base group;
 * - v4.0 starts `CVSS:4.0/`; every base metric, then any of the others, in
 *   the specification's order.
 *
 * Severity bands are FIRST's (v3.x and v4.0; v2 has none of its own, and
 * NVD's v2 bands are used).
 */
import { createRequire } from 'node:module';

/**
 * The library is a CommonJS bundle whose exports neither Node's ESM loader
 * nor every transpiler detects by name, so it is required as such.
 */
const ae = createRequire(import.meta.url)('ae-cvss-calculator') as typeof import('ae-cvss-calculator');

export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';

export interface ParsedVector {
  version: CvssVersion;
  /** Metric → value, as written. */
  metrics: Map<string, string>;
}

export type VectorResult = { ok: true; vector: ParsedVector } | { ok: false; reason: string };

interface Metric {
  key: string;
  values: readonly string[];
  /** Must be present. */
  required: boolean;
}

const m = (key: string, values: string, required = false): Metric => ({ key, values: values.split(','), required });

const V2: readonly (readonly Metric[])[] = [
  [m('AV', 'L,A,N', true), m('AC', 'H,M,L', true), m('Au', 'M,S,N', true), m('C', 'N,P,C', true), m('I', 'N,P,C', true), m('A', 'N,P,C', true)],
  [m('E', 'U,POC,F,H,ND'), m('RL', 'OF,TF,W,U,ND'), m('RC', 'UC,UR,C,ND')],
  [m('CDP', 'N,L,LM,MH,H,ND'), m('TD', 'N,L,M,H,ND'), m('CR', 'L,M,H,ND'), m('IR', 'L,M,H,ND'), m('AR', 'L,M,H,ND')],
];

const V3: readonly Metric[] = [
  m('AV', 'N,A,L,P', true), m('AC', 'L,H', true), m('PR', 'N,L,H', true), m('UI', 'N,R', true), m('S', 'U,C', true),
  m('C', 'H,L,N', true), m('I', 'H,L,N', true), m('A', 'H,L,N', true),
  m('E', 'X,H,F,P,U'), m('RL', 'X,U,W,T,O'), m('RC', 'X,C,R,U'),
  m('CR', 'X,H,M,L'), m('IR', 'X,H,M,L'), m('AR', 'X,H,M,L'),
  m('MAV', 'X,N,A,L,P'), m('MAC', 'X,L,H'), m('MPR', 'X,N,L,H'), m('MUI', 'X,N,R'), m('MS', 'X,U,C'),
  m('MC', 'X,H,L,N'), m('MI', 'X,H,L,N'), m('MA', 'X,H,L,N'),
];

const V4: readonly Metric[] = [
  m('AV', 'N,A,L,P', true), m('AC', 'L,H', true), m('AT', 'N,P', true), m('PR', 'N,L,H', true), m('UI', 'N,P,A', true),
  m('VC', 'H,L,N', true), m('VI', 'H,L,N', true), m('VA', 'H,L,N', true), m('SC', 'H,L,N', true), m('SI', 'H,L,N', true), m('SA', 'H,L,N', true),
  m('E', 'X,A,P,U'),
  m('CR', 'X,H,M,L'), m('IR', 'X,H,M,L'), m('AR', 'X,H,M,L'),
  m('MAV', 'X,N,A,L,P'), m('MAC', 'X,L,H'), m('MAT', 'X,N,P'), m('MPR', 'X,N,L,H'), m('MUI', 'X,N,P,A'),
  m('MVC', 'X,H,L,N'), m('MVI', 'X,H,L,N'), m('MVA', 'X,H,L,N'), m('MSC', 'X,H,L,N'), m('MSI', 'X,S,H,L,N'), m('MSA', 'X,S,H,L,N'),
  m('S', 'X,N,P'), m('AU', 'X,N,Y'), m('R', 'X,A,U,I'), m('V', 'X,D,C'), m('RE', 'X,L,M,H'), m('U', 'X,Clear,Green,Amber,Red'),
];

const fail = (reason: string): VectorResult => ({ ok: false, reason });

/** Splits `K:V/K:V…` into pairs, refusing empty parts, a missing value and a repeated metric. */
function pairs(body: string): Array<[string, string]> | string {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const part of body.split('/')) {
    const colon = part.indexOf(':');
    if (colon <= 0 || colon === part.length - 1) return `malformed metric ${JSON.stringify(part)}`;
    const key = part.slice(0, colon);
    if (seen.has(key)) return `metric ${key} repeated`;
    seen.add(key);
    out.push([key, part.slice(colon + 1)]);
  }
  return out;
}

function checkValue(metric: Metric, value: string): string | undefined {
  return metric.values.includes(value) ? undefined : `metric ${metric.key} cannot be ${JSON.stringify(value)} (one of ${metric.values.join(', ')})`;
}

/** Metrics in `table` order, each optional one at most once, the required ones all present. */
function ordered(version: CvssVersion, table: readonly Metric[], items: Array<[string, string]>): VectorResult {
  const metrics = new Map<string, string>();
  let at = 0;
  for (const [key, value] of items) {
    const index = table.findIndex((t, i) => i >= at && t.key === key);
    if (index < 0) return fail(table.some((t) => t.key === key) ? `metric ${key} out of order` : `unknown metric ${key}`);
    for (const skipped of table.slice(at, index)) if (skipped.required) return fail(`missing metric ${skipped.key}`);
    const bad = checkValue(table[index]!, value);
    if (bad) return fail(bad);
    metrics.set(key, value);
    at = index + 1;
  }
  for (const rest of table.slice(at)) if (rest.required) return fail(`missing metric ${rest.key}`);
  return { ok: true, vector: { version, metrics } };
}

function parseV2(body: string): VectorResult {
  const items = pairs(body);
  if (typeof items === 'string') return fail(items);
  const metrics = new Map<string, string>();
  let i = 0;
  for (const [g, group] of V2.entries()) {
    if (g > 0 && i === items.length) break;
    for (const metric of group) {
      const item = items[i];
      if (item === undefined || item[0] !== metric.key) {
        return fail(g === 0 ? `missing or misplaced metric ${metric.key}` : `incomplete ${g === 1 ? 'temporal' : 'environmental'} group: expected ${metric.key}`);
      }
      const bad = checkValue(metric, item[1]);
      if (bad) return fail(bad);
      metrics.set(item[0], item[1]);
      i++;
    }
  }
  if (i < items.length) return fail(`unexpected metric ${items[i]![0]}`);
  return { ok: true, vector: { version: '2.0', metrics } };
}

function parseV3(version: '3.0' | '3.1', body: string): VectorResult {
  const items = pairs(body);
  if (typeof items === 'string') return fail(items);
  const metrics = new Map<string, string>();
  for (const [key, value] of items) {
    const metric = V3.find((t) => t.key === key);
    if (!metric) return fail(`unknown metric ${key}`);
    const bad = checkValue(metric, value);
    if (bad) return fail(bad);
    metrics.set(key, value);
  }
  for (const metric of V3) if (metric.required && !metrics.has(metric.key)) return fail(`missing metric ${metric.key}`);
  return { ok: true, vector: { version, metrics } };
}

/** Reads a vector string strictly; the reason names what is wrong. */
export function parseVector(vector: string): VectorResult {
  if (typeof vector !== 'string' || vector === '') return fail('empty vector');
  const prefix = /^CVSS:(\d\.\d)\//.exec(vector);
  if (prefix === null) {
    if (vector.startsWith('CVSS:')) return fail(`malformed version prefix in ${JSON.stringify(vector.slice(0, 12))}`);
    return parseV2(vector);
  }
  const body = vector.slice(prefix[0].length);
  switch (prefix[1]) {
    case '3.0':
    case '3.1':
      return parseV3(prefix[1], body);
    case '4.0': {
      const items = pairs(body);
      return typeof items === 'string' ? fail(items) : ordered('4.0', V4, items);
    }
    default:
      return fail(`unsupported CVSS version ${prefix[1]}`);
  }
}

/** The vector string as the specification writes it back: prefix and metrics in order. */
export function formatVector(v: ParsedVector): string {
  const body = [...v.metrics].map(([k, val]) => `${k}:${val}`).join('/');
  return v.version === '2.0' ? body : `CVSS:${v.version}/${body}`;
}

export interface VectorScores {
  /** The base score (v2, v3.x); for v4.0 the score of the metrics given (CVSS-B, -BT, -BE or -BTE). */
  base: number;
  /** The score with every group given applied (temporal, environmental, threat). */
  overall: number;
}

/**
 * Scores a vector that {@link parseVector} accepted.
 *
 * @throws Error when the library refuses it (which a parsed vector should not be).
 */
export function scoreVector(v: ParsedVector): VectorScores {
  const text = formatVector(v);
  switch (v.version) {
    case '2.0': {
      const s = new ae.Cvss2(text).calculateScores();
      return { base: s.base ?? s.overall, overall: s.overall };
    }
    case '3.0': {
      const s = new ae.Cvss3P0(text).calculateScores();
      return { base: s.base ?? s.overall, overall: s.overall };
    }
    case '3.1': {
      const s = new ae.Cvss3P1(text).calculateScores();
      return { base: s.base ?? s.overall, overall: s.overall };
    }
    case '4.0': {
      const s = new ae.Cvss4P0(text).calculateScores();
      return { base: s.overall, overall: s.overall };
    }
  }
}

/** FIRST's qualitative rating of a v3.x or v4.0 score (NVD's bands for v2: LOW, MEDIUM, HIGH). */
export function severityOf(version: CvssVersion, score: number): 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' {
  if (version === '2.0') return score < 4 ? 'LOW' : score < 7 ? 'MEDIUM' : 'HIGH';
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}
