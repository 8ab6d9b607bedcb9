/**
 * @module What Quay's Clair v4 client demands of Clair's responses, written
 * from reading its source (quay/quay `util/secscan/v4/api.py`, its bundled
 * `clair-v4.openapi.json`, and `data/secscan_model/secscan_v4_model.py`), so
 * tests can check that Quay would accept this service's answers:
 *
 * 1. The schema check Quay runs on every IndexReport, VulnerabilityReport,
 *    State and notification page before using it (a failure makes Quay treat
 *    the scanner as incompatible). {@link QUAY_SCHEMAS} restates those
 *    constraints; draft-07 keywords only, as Quay's jsonschema validator reads them.
 * 2. The way Quay's report code walks a VulnerabilityReport
 *    ({@link quayFeatures}) and a notification page
 *    ({@link quayNotificationUpdates}), with Python's semantics: `d[k]` fails
 *    on a missing key, and `d.get(k, {}).get(x)` fails when the value is null.
 */
import { Ajv, type ValidateFunction } from 'ajv';

const str = { type: 'string' };
const severity = { type: 'string', enum: ['Unknown', 'Negligible', 'Low', 'Medium', 'High', 'Critical'] };
const mapOf = (items: object) => ({ type: 'object', additionalProperties: items });

const packageProps = { id: str, name: str, version: str, kind: str, normalized_version: str, arch: str, module: str, cpe: str };
const quayPackage = {
  type: 'object',
  required: ['id', 'name', 'version'],
  properties: { ...packageProps, source: { type: 'object', required: ['id', 'name', 'version'], properties: { ...packageProps, source: str } } },
};
const quayDistribution = {
  type: 'object',
  required: ['id', 'did', 'name', 'version', 'version_code_name', 'version_id', 'arch', 'cpe', 'pretty_name'],
  properties: { id: str, did: str, name: str, version: str, version_code_name: str, version_id: str, arch: str, cpe: str, pretty_name: str },
};
const quayRepository = { type: 'object', properties: { id: str, name: str, key: str, uri: str, cpe: str } };
const quayEnvironment = { type: 'object', required: ['package_db', 'introduced_in', 'distribution_id'], properties: { package_db: str, introduced_in: str, distribution_id: str } };
const quayVulnerability = {
  type: 'object',
  required: ['id', 'updater', 'name', 'description', 'links', 'severity', 'normalized_severity', 'fixed_in_version'],
  properties: {
    id: str, updater: str, name: str, description: str, links: str, severity: str, normalized_severity: severity,
    package: quayPackage, distribution: quayDistribution, repository: quayRepository,
    issued: str,
    // Quay's schema types the range as a string: an object here fails the whole report.
    range: str,
    fixed_in_version: str,
  },
};

/** The constraints of Quay's bundled schema for each body it validates. */
export const QUAY_SCHEMAS = {
  State: { type: 'object', required: ['state'], properties: { state: str } },
  IndexReport: {
    type: 'object',
    required: ['manifest_hash', 'state', 'packages', 'distributions', 'environments', 'success', 'err'],
    properties: {
      manifest_hash: str, state: str, success: { type: 'boolean' }, err: str,
      packages: mapOf(quayPackage), distributions: mapOf(quayDistribution), environments: mapOf({ type: 'array', items: quayEnvironment }),
    },
  },
  VulnerabilityReport: {
    type: 'object',
    required: ['manifest_hash', 'packages', 'distributions', 'environments', 'vulnerabilities', 'package_vulnerabilities'],
    properties: {
      manifest_hash: str,
      packages: mapOf(quayPackage),
      distributions: mapOf(quayDistribution),
      environments: mapOf({ type: 'array', items: quayEnvironment }),
      vulnerabilities: mapOf(quayVulnerability),
      package_vulnerabilities: mapOf({ type: 'array', items: str }),
    },
  },
  PagedNotifications: {
    type: 'object',
    properties: {
      page: { type: 'object' },
      notifications: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: str, manifest: str, reason: str,
            vulnerability: {
              type: 'object',
              properties: { name: str, fixed_in_version: str, links: str, description: str, normalized_severity: severity, package: quayPackage, distribution: quayDistribution, repository: quayRepository },
            },
          },
        },
      },
    },
  },
} as const;

export type QuayBody = keyof typeof QUAY_SCHEMAS;

const ajv = new Ajv({ strict: false, allErrors: true });
const compiled = new Map<QuayBody, ValidateFunction>();

/** Quay's schema errors for `body`; empty when Quay would accept it. */
export function quaySchemaErrors(kind: QuayBody, body: unknown): string[] {
  let validate = compiled.get(kind);
  if (!validate) {
    validate = ajv.compile(QUAY_SCHEMAS[kind]);
    compiled.set(kind, validate);
  }
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}

type Dict = Record<string, unknown>;

/** Python's `d[k]`: a KeyError for a missing key. */
function item(d: unknown, k: string, where: string): unknown {
  if (typeof d !== 'object' || d === null || !(k in d)) throw new Error(`Quay: KeyError ${JSON.stringify(k)} at ${where}`);
  return (d as Dict)[k];
}

/** Python's `d.get(k, {}).get(x)`: an AttributeError when `d[k]` is present but null. */
function nestedGet(d: Dict, k: string, x: string, where: string): unknown {
  const v = k in d ? d[k] : {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`Quay: AttributeError: ${JSON.stringify(k)} is ${JSON.stringify(v)} at ${where}`);
  return (v as Dict)[x];
}

/** One package as Quay lists it, with the vulnerabilities it shows. */
export interface QuayFeature {
  name: string;
  version: string;
  addedBy: string;
  vulnerabilities: Array<{ name: string; severity: string; fixedBy: string; updater: string; repository: unknown; distribution: unknown }>;
}

/**
 * Walks a VulnerabilityReport the way Quay's `features_for` does; throws what
 * Python would raise where Quay's code would crash.
 */
export function quayFeatures(report: Dict): QuayFeature[] {
  const features: QuayFeature[] = [];
  const seen = new Set<string>();
  const packages = item(report, 'packages', 'report') as Dict;
  const environments = item(report, 'environments', 'report') as Dict;
  const packageVulns = item(report, 'package_vulnerabilities', 'report') as Dict;
  const vulnerabilities = item(report, 'vulnerabilities', 'report') as Dict;
  const enrichments = (report.enrichments ?? {}) as Dict;
  const enrichmentLists = Object.values(enrichments);
  if (enrichmentLists.length > 0) {
    // `list(report["enrichments"].values())[0][0].items()`, then the top baseScore of each list.
    const first = item(enrichmentLists[0], '0', 'enrichments') as Dict;
    for (const [key, list] of Object.entries(first)) {
      if (!Array.isArray(list) || list.length === 0) throw new Error(`Quay: IndexError: enrichment ${key} is not a non-empty list`);
      for (const e of list) item(e, 'baseScore', `enrichment ${key}`);
    }
  }
  for (const [pkgId, pkg] of Object.entries(packages)) {
    const envs = item(environments, pkgId, 'environments');
    const env = item(envs, '0', `environments[${pkgId}]`);
    const name = item(pkg, 'name', `packages[${pkgId}]`) as string;
    const version = item(pkg, 'version', `packages[${pkgId}]`) as string;
    const shown: QuayFeature['vulnerabilities'] = [];
    for (const vulnId of (packageVulns[pkgId] ?? []) as string[]) {
      const vuln = item(vulnerabilities, vulnId, 'vulnerabilities') as Dict;
      const key = `${name}_${version}_${String(vuln.name ?? '')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const fixed = item(vuln, 'fixed_in_version', `vulnerabilities[${vulnId}]`) as string;
      shown.push({
        name: item(vuln, 'name', `vulnerabilities[${vulnId}]`) as string,
        severity: item(vuln, 'normalized_severity', `vulnerabilities[${vulnId}]`) as string,
        fixedBy: fixed === '0' ? '' : fixed,
        updater: item(vuln, 'updater', `vulnerabilities[${vulnId}]`) as string,
        repository: [nestedGet(vuln, 'repository', 'name', vulnId), nestedGet(vuln, 'repository', 'uri', vulnId)],
        distribution: [nestedGet(vuln, 'distribution', 'name', vulnId), nestedGet(vuln, 'distribution', 'version', vulnId)],
      });
      for (const k of ['links', 'description', 'id']) item(vuln, k, `vulnerabilities[${vulnId}]`);
    }
    features.push({ name, version, addedBy: item(env, 'introduced_in', `environments[${pkgId}][0]`) as string, vulnerabilities: shown });
  }
  return features;
}

/** Walks a notification page the way Quay's `process_notification_page` does. */
export function quayNotificationUpdates(page: Dict): Array<{ manifest: string; name: unknown; packageName: unknown }> {
  const out: Array<{ manifest: string; name: unknown; packageName: unknown }> = [];
  for (const n of item(page, 'notifications', 'page') as Dict[]) {
    if (item(n, 'reason', 'notification') !== 'added') continue;
    const vuln = item(n, 'vulnerability', 'notification') as Dict;
    out.push({ manifest: item(n, 'manifest', 'notification') as string, name: vuln.name, packageName: nestedGet(vuln, 'package', 'name', 'notification') });
  }
  return out;
}
