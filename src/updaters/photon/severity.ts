/** @module Photon OVAL severities (claircore `photon.NormalizeSeverity`). */
import type { NormalizedSeverity } from '../../model/index.js';

const SEVERITIES: Readonly<Record<string, NormalizedSeverity>> = {
  low: 'Low',
  moderate: 'Medium',
  important: 'High',
  critical: 'Critical',
};

/** `Low`, `Moderate`→Medium, `Important`→High, `Critical`; anything else → Unknown. */
export function normalizePhotonSeverity(severity: string): NormalizedSeverity {
  return SEVERITIES[severity.trim().toLowerCase()] ?? 'Unknown';
}
