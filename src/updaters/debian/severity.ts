/** @module Debian urgency → normalized severity (claircore `debian/severity.go`). */
import type { NormalizedSeverity } from '../../model/index.js';

/**
 * Claircore's mapping is deliberately shifted one step up (`low` → Medium):
 * the tracker's urgencies rate the risk to Debian users, which runs lower
 * than CVSS-style ratings. Suffixed urgencies (`high**`, `low*`, marking
 * ones not yet reviewed) and `not yet assigned`/`end-of-life` are Unknown,
 * exactly as upstream, which lower-cases but does not strip.
 */
export function normalizeDebianSeverity(urgency: string): NormalizedSeverity {
  switch (urgency.toLowerCase()) {
    case 'unimportant':
      return 'Low';
    case 'low':
      return 'Medium';
    case 'medium':
      return 'High';
    case 'high':
      return 'Critical';
    default:
      return 'Unknown';
  }
}
