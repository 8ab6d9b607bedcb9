/**
 * @module Azure Linux OVAL severities. Microsoft writes CVSS v3 rating words
 * (`Critical`, `High`, `Medium`, `Low`) in `<metadata><severity>`; the Red
 * Hat words a `<advisory><severity>` would carry are mapped too. `None` and
 * anything unknown are `Unknown`, as Trivy reads them.
 */
import type { NormalizedSeverity } from '../../model/index.js';

const SEVERITIES: Readonly<Record<string, NormalizedSeverity>> = {
  critical: 'Critical',
  high: 'High',
  important: 'High',
  medium: 'Medium',
  moderate: 'Medium',
  low: 'Low',
  negligible: 'Negligible',
};

/** The normalized severity of an Azure Linux severity word (case-insensitive). */
export function normalizeAzureLinuxSeverity(severity: string): NormalizedSeverity {
  return SEVERITIES[severity.trim().toLowerCase()] ?? 'Unknown';
}
