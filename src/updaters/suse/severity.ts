/** @module SUSE OVAL severities (claircore `suse.NormalizeSeverity`). */
import type { NormalizedSeverity } from '../../model/index.js';

const SEVERITIES: Readonly<Record<string, NormalizedSeverity>> = {
  none: 'Unknown',
  low: 'Low',
  moderate: 'Medium',
  important: 'High',
  critical: 'Critical',
};

/** `Low`, `Moderate`→Medium, `Important`→High, `Critical`; `None` and anything else → Unknown. */
export function normalizeSuseSeverity(severity: string): NormalizedSeverity {
  return SEVERITIES[severity.trim().toLowerCase()] ?? 'Unknown';
}
