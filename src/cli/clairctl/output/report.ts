/**
 * @module What the formatters are given, and a checked view of it.
 *
 * A `ReportResult` is one image of a `clairctl report` run: its name as the
 * user typed it, the manifest digest it resolved to, and either the
 * vulnerability report or the error that stopped it.
 *
 * Reports come from a server, so they are checked before anything of them is
 * written: a map of the wrong type, or a `package_vulnerabilities` entry that
 * names a package or vulnerability the report does not hold, is a
 * `REPORT_INVALID` error naming the image and the field, never a crash or a
 * half-written document. Maps the server left out are read as empty, as
 * Go's decoder leaves them nil.
 */
import type { Environment, Package } from '../../../model/package.js';
import type { Vulnerability, VulnerabilityReport } from '../../../model/vulnerability.js';
import { clairError } from '../../../lib/errors.js';
import { bySeverityThenName, compareText, fixedVersion, normalizedSeverity } from './severity.js';

/** One image's outcome. Exactly one of `report` and `error` is set. */
export interface ReportResult {
  /** The image reference as given on the command line. */
  name: string;
  /** The manifest digest it resolved to; may be empty when resolution failed. */
  digest: string;
  report?: VulnerabilityReport;
  error?: Error;
}

/** One vulnerability affecting one package. */
export interface Finding {
  packageId: string;
  package: Package;
  vulnerabilityId: string;
  vulnerability: Vulnerability;
  /** The vulnerability's normalized severity, Unknown when unrecognised. */
  severity: ReturnType<typeof normalizedSeverity>;
  /** The fixing version, `''` when none is known (see `fixedVersion`). */
  fixedIn: string;
}

type Maps = 'packages' | 'distributions' | 'repository' | 'environments' | 'vulnerabilities' | 'package_vulnerabilities' | 'enrichments';
const MAPS: readonly Maps[] = ['packages', 'distributions', 'repository', 'environments', 'vulnerabilities', 'package_vulnerabilities', 'enrichments'];

function invalid(result: Pick<ReportResult, 'name'>, problem: string): Error {
  return clairError('REPORT_INVALID', `report of ${result.name}: ${problem}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The result's report with every map present and of the right type, or the
 * result's error. Throws `REPORT_INVALID` for a result with neither, or a
 * report whose maps are not objects.
 */
export function checkedReport(result: ReportResult): VulnerabilityReport {
  const report: unknown = result.report;
  if (report === undefined || report === null) {
    throw invalid(result, 'the result carries neither a report nor an error');
  }
  if (!isObject(report)) throw invalid(result, 'the report is not a JSON object');
  for (const key of MAPS) {
    const value = report[key];
    if (value !== undefined && value !== null && !isObject(value)) throw invalid(result, `"${key}" is not an object`);
  }
  if (report.manifest_hash !== undefined && typeof report.manifest_hash !== 'string') throw invalid(result, '"manifest_hash" is not a string');
  return report as unknown as VulnerabilityReport;
}

/** A map of the report, `{}` when the server left it out. */
export function mapOf<K extends Maps>(report: VulnerabilityReport, key: K): NonNullable<VulnerabilityReport[K]> {
  return (report[key] ?? {}) as NonNullable<VulnerabilityReport[K]>;
}

/** The manifest digest of a result: the report's own, else the resolved one. */
export function manifestOf(result: ReportResult): string {
  const hash = result.report?.manifest_hash;
  return typeof hash === 'string' && hash !== '' ? hash : result.digest;
}

/** The first environment a package was found in, if the report records one. */
export function environmentOf(report: VulnerabilityReport, packageId: string): Environment | undefined {
  const envs: unknown = mapOf(report, 'environments')[packageId];
  if (!Array.isArray(envs)) return undefined;
  const first: unknown = envs[0];
  return isObject(first) ? (first as unknown as Environment) : undefined;
}

function checkedPackage(result: ReportResult, id: string, value: unknown): Package {
  if (!isObject(value)) throw invalid(result, `package_vulnerabilities names package "${id}", which "packages" does not hold`);
  if (typeof value.name !== 'string') throw invalid(result, `packages["${id}"].name is not a string`);
  if (value.version !== undefined && typeof value.version !== 'string') throw invalid(result, `packages["${id}"].version is not a string`);
  return value as unknown as Package;
}

function checkedVulnerability(result: ReportResult, id: string, value: unknown): Vulnerability {
  if (!isObject(value)) throw invalid(result, `package_vulnerabilities names vulnerability "${id}", which "vulnerabilities" does not hold`);
  for (const field of ['name', 'description', 'links', 'fixed_in_version', 'normalized_severity', 'updater']) {
    if (value[field] !== undefined && typeof value[field] !== 'string') throw invalid(result, `vulnerabilities["${id}"].${field} is not a string`);
  }
  return value as unknown as Vulnerability;
}

/**
 * Every (package, vulnerability) pair of the report, highest severity first,
 * then by package name and version and vulnerability name. Throws
 * `REPORT_INVALID` when an entry names something the report does not hold.
 */
export function findingsOf(result: ReportResult): Finding[] {
  const report = checkedReport(result);
  const packages = mapOf(report, 'packages') as Record<string, unknown>;
  const vulnerabilities = mapOf(report, 'vulnerabilities') as Record<string, unknown>;
  const findings: Finding[] = [];
  for (const [packageId, ids] of Object.entries(mapOf(report, 'package_vulnerabilities') as Record<string, unknown>)) {
    if (!Array.isArray(ids)) throw invalid(result, `package_vulnerabilities["${packageId}"] is not an array`);
    const pkg = checkedPackage(result, packageId, packages[packageId]);
    for (const vulnerabilityId of ids) {
      if (typeof vulnerabilityId !== 'string') throw invalid(result, `package_vulnerabilities["${packageId}"] holds a non-string id`);
      const vulnerability = checkedVulnerability(result, vulnerabilityId, vulnerabilities[vulnerabilityId]);
      findings.push({
        packageId,
        package: pkg,
        vulnerabilityId,
        vulnerability,
        severity: normalizedSeverity(vulnerability.normalized_severity),
        fixedIn: fixedVersion(vulnerability),
      });
    }
  }
  return findings.sort(
    (a, b) =>
      bySeverityThenName({ severity: a.severity, name: a.package.name }, { severity: b.severity, name: b.package.name }) ||
      compareText(a.package.version ?? '', b.package.version ?? '') ||
      compareText(a.vulnerability.name ?? '', b.vulnerability.name ?? '') ||
      compareText(a.packageId, b.packageId),
  );
}

/** The links of a vulnerability, split on whitespace. */
export function linksOf(vulnerability: Pick<Vulnerability, 'links'>): string[] {
  return typeof vulnerability.links === 'string' ? vulnerability.links.split(/\s+/).filter((l) => l !== '') : [];
}

/** The first link that parses as an http(s) URL, for fields that must hold a URI. */
export function firstUrl(vulnerability: Pick<Vulnerability, 'links'>): string | undefined {
  return linksOf(vulnerability).find(isHttpUrl);
}

export function isHttpUrl(link: string): boolean {
  try {
    const url = new URL(link);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
