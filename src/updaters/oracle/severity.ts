/** @module Oracle ELSA severities (claircore `oracle.NormalizeSeverity`). */
import type { NormalizedSeverity } from '../../model/index.js';

const SEVERITIES: Readonly<Record<string, NormalizedSeverity>> = {
  'N/A': 'Unknown',
  LOW: 'Low',
  MODERATE: 'Medium',
  IMPORTANT: 'High',
  CRITICAL: 'Critical',
};

/** `LOW`, `MODERATE`→Medium, `IMPORTANT`→High, `CRITICAL`; `N/A` and anything else → Unknown. */
export function normalizeOracleSeverity(severity: string): NormalizedSeverity {
  return SEVERITIES[severity.trim().toUpperCase()] ?? 'Unknown';
}
