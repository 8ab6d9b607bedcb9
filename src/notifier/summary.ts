/**
 * @module The vulnerability summary a notification carries (Clair's
 * `notifier.VulnSummary`): the vulnerability's name, description, package,
 * distribution and repository (under the key `repo`), its *normalized*
 * severity as `severity`, the fixed version and links.
 */
import type { Vulnerability, VulnSummary } from '../model/index.js';

export function vulnSummary(v: Vulnerability): VulnSummary {
  return {
    name: v.name,
    description: v.description,
    package: v.package,
    distribution: v.distribution,
    repo: v.repository,
    severity: v.normalized_severity,
    fixed_in_version: v.fixed_in_version,
    links: v.links,
  };
}
