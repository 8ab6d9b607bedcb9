/**
 * @module The report filters of `clairctl report` (`--severity`,
 * `--ignore-unfixed`) and the `--fail-on` gate.
 *
 * Filters are applied to a report before any format sees it, so every format
 * shows the same findings. They are pure: the result is a new report without
 * the dropped vulnerabilities and without their `package_vulnerabilities`
 * entries (a package whose every vulnerability was dropped loses its entry);
 * packages, environments and enrichments are left as they are.
 */
import type { NormalizedSeverity, Vulnerability, VulnerabilityReport } from '../../../model/vulnerability.js';
import { checkedReport, findingsOf, mapOf, type ReportResult } from './report.js';
import { fixedVersion, severityRank } from './severity.js';

export interface ReportFilter {
  /** Keep only vulnerabilities at or above this severity. @default 'Unknown' (keep all) */
  minSeverity?: NormalizedSeverity | undefined;
  /** Drop vulnerabilities with no known fixed version. @default false */
  ignoreUnfixed?: boolean | undefined;
}

/** Exit code of `clairctl report --fail-on` when a finding at or above the severity remains. */
export const FAIL_ON_EXIT = 3;

/** Whether the filter would drop nothing. */
function keepsEverything(filter: ReportFilter): boolean {
  return severityRank(filter.minSeverity ?? 'Unknown') === 0 && filter.ignoreUnfixed !== true;
}

function keeps(filter: ReportFilter, vulnerability: Vulnerability): boolean {
  if (severityRank(vulnerability.normalized_severity) < severityRank(filter.minSeverity ?? 'Unknown')) return false;
  return filter.ignoreUnfixed !== true || fixedVersion(vulnerability) !== '';
}

/**
 * The report without the vulnerabilities the filter drops. Returns `report`
 * itself when the filter drops nothing. `name` labels errors about a
 * malformed report.
 */
export function filterReport(report: VulnerabilityReport, filter: ReportFilter, name = 'image'): VulnerabilityReport {
  if (keepsEverything(filter)) return report;
  const checked = checkedReport({ name, digest: '', report });
  const vulnerabilities: Record<string, Vulnerability> = {};
  const dropped = new Set<string>();
  for (const [id, vulnerability] of Object.entries(mapOf(checked, 'vulnerabilities'))) {
    if (keeps(filter, vulnerability)) vulnerabilities[id] = vulnerability;
    else dropped.add(id);
  }
  const packageVulnerabilities: Record<string, string[]> = {};
  for (const [packageId, ids] of Object.entries(mapOf(checked, 'package_vulnerabilities'))) {
    if (!Array.isArray(ids)) {
      packageVulnerabilities[packageId] = ids;
      continue;
    }
    const kept = ids.filter((id) => !dropped.has(id));
    if (kept.length > 0 || ids.length === 0) packageVulnerabilities[packageId] = kept;
  }
  // Spread keeps the report's key order, which the json format writes as is.
  return { ...checked, vulnerabilities, package_vulnerabilities: packageVulnerabilities };
}

/** The result with its report filtered; errors pass through. */
export function filterResult(result: ReportResult, filter: ReportFilter): ReportResult {
  if (result.report === undefined || result.error !== undefined) return result;
  return { ...result, report: filterReport(result.report, filter, result.name) };
}

/** Whether any report still has a finding at or above `severity`. Results that are errors have none. */
export function failOn(results: readonly ReportResult[], severity: NormalizedSeverity): boolean {
  const min = severityRank(severity);
  return results.some((r) => r.error === undefined && r.report !== undefined && findingsOf(r).some((f) => severityRank(f.severity) >= min));
}

/**
 * The exit code of a report run: 1 when any image failed (the run is
 * incomplete, so a clean verdict cannot be given), else
 * {@link FAIL_ON_EXIT} when `--fail-on` is set and a finding at or above
 * it remains, else 0.
 */
export function reportExitCode(results: readonly ReportResult[], failOnSeverity?: NormalizedSeverity): number {
  if (results.some((r) => r.error !== undefined)) return 1;
  if (failOnSeverity !== undefined && failOn(results, failOnSeverity)) return FAIL_ON_EXIT;
  return 0;
}
