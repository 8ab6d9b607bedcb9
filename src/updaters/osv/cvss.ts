/**
 * @module CVSS v3.x and v2 base scores from vector strings, and their
 * qualitative ratings as claircore maps them to a normalized severity
 * (`fromCVSS3`/`fromCVSS2`). CVSS v4 scoring (macro-vector tables) is not
 * implemented: a v4-only advisory falls back to `database_specific.severity`.
 *
 * Pure: nothing throws; an invalid vector gives `undefined`.
 */
import type { NormalizedSeverity } from '../../model/vulnerability.js';

function metrics(parts: readonly string[]): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const p of parts) {
    const i = p.indexOf(':');
    if (i <= 0) return undefined;
    const k = p.slice(0, i);
    if (out.has(k)) return undefined;
    out.set(k, p.slice(i + 1));
  }
  return out;
}

/** CVSS v3.1 `Roundup`. */
function roundup(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

const V3_AV: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const V3_AC: Record<string, number> = { L: 0.77, H: 0.44 };
const V3_UI: Record<string, number> = { N: 0.85, R: 0.62 };
const V3_CIA: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };

/** The base score of a `CVSS:3.0/…` or `CVSS:3.1/…` vector. */
export function cvss3BaseScore(vector: string): number | undefined {
  const parts = vector.trim().split('/');
  if (parts[0] !== 'CVSS:3.0' && parts[0] !== 'CVSS:3.1') return undefined;
  const m = metrics(parts.slice(1));
  if (!m) return undefined;
  const scope = m.get('S');
  if (scope !== 'U' && scope !== 'C') return undefined;
  const av = V3_AV[m.get('AV') ?? ''];
  const ac = V3_AC[m.get('AC') ?? ''];
  const ui = V3_UI[m.get('UI') ?? ''];
  const pr = { N: 0.85, L: scope === 'C' ? 0.68 : 0.62, H: scope === 'C' ? 0.5 : 0.27 }[m.get('PR') ?? ''];
  const c = V3_CIA[m.get('C') ?? ''];
  const i = V3_CIA[m.get('I') ?? ''];
  const a = V3_CIA[m.get('A') ?? ''];
  if (av === undefined || ac === undefined || ui === undefined || pr === undefined || c === undefined || i === undefined || a === undefined) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15);
  if (impact <= 0) return 0;
  const exploitability = 8.22 * av * ac * pr * ui;
  return scope === 'U' ? roundup(Math.min(impact + exploitability, 10)) : roundup(Math.min(1.08 * (impact + exploitability), 10));
}

const V2_AV: Record<string, number> = { L: 0.395, A: 0.646, N: 1.0 };
const V2_AC: Record<string, number> = { H: 0.35, M: 0.61, L: 0.71 };
const V2_AU: Record<string, number> = { M: 0.45, S: 0.56, N: 0.704 };
const V2_CIA: Record<string, number> = { N: 0, P: 0.275, C: 0.66 };

/** The base score of a v2 vector (`AV:N/AC:L/…`, optionally `(…)`-wrapped or `CVSS:2.0/`-prefixed). */
export function cvss2BaseScore(vector: string): number | undefined {
  let text = vector.trim().replace(/^\((.*)\)$/, '$1');
  if (text.startsWith('CVSS:2.0/')) text = text.slice('CVSS:2.0/'.length);
  const m = metrics(text.split('/'));
  if (!m) return undefined;
  const av = V2_AV[m.get('AV') ?? ''];
  const ac = V2_AC[m.get('AC') ?? ''];
  const au = V2_AU[m.get('Au') ?? ''];
  const c = V2_CIA[m.get('C') ?? ''];
  const i = V2_CIA[m.get('I') ?? ''];
  const a = V2_CIA[m.get('A') ?? ''];
  if (av === undefined || ac === undefined || au === undefined || c === undefined || i === undefined || a === undefined) return undefined;
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * av * ac * au;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

/** v3 qualitative rating: None→Negligible, Low, Medium, High, Critical. */
export function severityFromCvss3Score(score: number): NormalizedSeverity {
  if (score === 0) return 'Negligible';
  if (score < 4) return 'Low';
  if (score < 7) return 'Medium';
  if (score < 9) return 'High';
  return 'Critical';
}

/** v2 qualitative rating: Low, Medium, High (v2 has no Critical). */
export function severityFromCvss2Score(score: number): NormalizedSeverity {
  if (score < 4) return 'Low';
  if (score < 7) return 'Medium';
  return 'High';
}
