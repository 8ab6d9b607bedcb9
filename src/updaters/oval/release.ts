/**
 * @module What the per-release OVAL feeds (SUSE, Photon) share: every
 * definition of a release file belongs to that release (claircore takes the
 * distribution from the updater, not the definition's platforms), and the
 * vendors' Low / Moderate / Important / Critical severity words.
 */
import type { NormalizedSeverity, VulnerableDistribution } from '../../model/index.js';
import { ovalAliases, ovalLinks } from './links.js';
import { withAliases } from '../../model/alias.js';
import type { OvalDefinition } from './types.js';
import type { RecordPrototype } from './rpm.js';

const SEVERITIES: Readonly<Record<string, NormalizedSeverity>> = {
  low: 'Low',
  moderate: 'Medium',
  important: 'High',
  critical: 'Critical',
};

/** `Low`, `Moderate`→Medium, `Important`→High, `Critical`; anything else (`None` included) → Unknown. */
export function normalizeVendorSeverity(severity: string): NormalizedSeverity {
  return SEVERITIES[severity.trim().toLowerCase()] ?? 'Unknown';
}

/** Record prototypes for a release file: one per definition, for `distribution`. Unlike claircore, `issued` is kept. */
export function releasePrototypes(distribution: VulnerableDistribution) {
  return (def: OvalDefinition, updater: string): RecordPrototype[] => [
    {
      updater,
      name: def.title.trim(),
      ...withAliases(ovalAliases(def, def.title)),
      description: def.description.trim(),
      issued: def.advisory.issued,
      links: ovalLinks(def),
      severity: def.advisory.severity,
      normalizedSeverity: normalizeVendorSeverity(def.advisory.severity),
      distribution,
    },
  ];
}
