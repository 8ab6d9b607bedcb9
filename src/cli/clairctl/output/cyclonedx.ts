/**
 * @module The `cyclonedx` format: a CycloneDX 1.6 JSON BOM per image, with
 * its vulnerabilities (a VEX-style "BOM with vulnerabilities").
 *
 * - `metadata.component`: the image, type `container`, name as given on the
 *   command line, version its manifest digest, purl `pkg:oci/…`.
 * - `components`: every distribution of the report (type
 *   `operating-system`) and every package (type `library`), with purls
 *   built per ecosystem (see purl.ts) and properties `clair:package_db`,
 *   `clair:layer` (the layer it was introduced in) and `clair:source` (its
 *   source package). bom-refs are `distribution:<id>`, `package:<id>`,
 *   `vulnerability:<id>` (ids unique within a report) and `image:<digest>`.
 * - `vulnerabilities`: one per vulnerability record that affects a package:
 *   id (its name), source (its updater, with its first http(s) link),
 *   ratings (the normalized severity with method `other`, mapped Critical →
 *   critical, High → high, Medium → medium, Low → low, Negligible → info,
 *   Unknown → unknown; plus the CVSS score of a `clair.cvss` enrichment when
 *   the report has one), description, published date, advisories (its
 *   links) and `affects`: the affected packages with the installed version
 *   `affected` and the fixed version, when known, `unaffected`.
 *
 * Several images give several BOMs, one after another, each followed by a
 * newline (a JSON text sequence `jq` reads); one image gives exactly one BOM
 * document. A failed image has no BOM; the command reports its error.
 */
import type { Package } from '../../../model/package.js';
import type { NormalizedSeverity, Vulnerability, VulnerabilityReport } from '../../../model/vulnerability.js';
import { SinkFormatter } from './formatter.js';
import { streamed, streamedObject, writePretty } from './json-writer.js';
import { imagePurl, packageContext, purlOf } from './purl.js';
import { findingsOf, isHttpUrl, linksOf, manifestOf, mapOf, type Finding, type ReportResult } from './report.js';

export const CYCLONEDX_SCHEMA = 'http://cyclonedx.org/schema/bom-1.6.schema.json';

/** CycloneDX's severity names by normalized severity. */
export const CYCLONEDX_SEVERITY: Readonly<Record<NormalizedSeverity, string>> = {
  Critical: 'critical',
  High: 'high',
  Medium: 'medium',
  Low: 'low',
  Negligible: 'info',
  Unknown: 'unknown',
};

const CVSS_ENRICHMENT = 'clair.cvss';
const ZERO_TIME = /^0001-01-01/;

interface CvssRecord {
  version?: string;
  vectorString?: string;
  baseScore?: number;
  baseSeverity?: string;
}

/** The CVSS records of the report's `clair.cvss` enrichment, by vulnerability id. */
export function cvssByVulnerability(report: VulnerabilityReport): Map<string, CvssRecord[]> {
  const found = new Map<string, CvssRecord[]>();
  for (const [kind, entries] of Object.entries(mapOf(report, 'enrichments'))) {
    if (!kind.includes(`enricher=${CVSS_ENRICHMENT}`) || !Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (typeof entry !== 'object' || entry === null) continue;
      for (const [id, records] of Object.entries(entry as Record<string, unknown>)) {
        if (!Array.isArray(records)) continue;
        const usable = records.filter((r): r is CvssRecord => typeof r === 'object' && r !== null && typeof (r as CvssRecord).baseScore === 'number');
        if (usable.length > 0) found.set(id, [...(found.get(id) ?? []), ...usable]);
      }
    }
  }
  return found;
}

function cvssRating(record: CvssRecord): object {
  const version = record.version ?? record.vectorString?.match(/^CVSS:(\d\.\d)/)?.[1] ?? '';
  const method = version === '3.1' ? 'CVSSv31' : version.startsWith('3') ? 'CVSSv3' : version.startsWith('4') ? 'CVSSv4' : version.startsWith('2') ? 'CVSSv2' : 'other';
  const severity = record.baseSeverity?.toLowerCase();
  return {
    source: { name: 'NVD' },
    score: record.baseScore,
    ...(severity && ['critical', 'high', 'medium', 'low', 'info', 'none', 'unknown'].includes(severity) ? { severity } : {}),
    method,
    ...(record.vectorString ? { vector: record.vectorString } : {}),
  };
}

const packageRef = (id: string) => `package:${id}`;

function packageComponent(report: VulnerabilityReport, id: string, pkg: Package): object {
  const context = packageContext(report, id);
  const purl = purlOf(pkg, context);
  const source = pkg.source && pkg.source.name ? `${pkg.source.name}${pkg.source.version ? `@${pkg.source.version}` : ''}` : '';
  const properties = [
    ['clair:package_db', context.packageDb],
    ['clair:layer', context.layer],
    ['clair:source', source],
    ['clair:arch', pkg.arch ?? ''],
  ]
    .filter(([, value]) => value !== '')
    .map(([name, value]) => ({ name, value }));
  return {
    'bom-ref': packageRef(id),
    type: 'library',
    name: pkg.name ?? '',
    ...(pkg.version ? { version: pkg.version } : {}),
    ...(pkg.cpe ? { cpe: pkg.cpe } : {}),
    ...(purl ? { purl } : {}),
    ...(properties.length > 0 ? { properties } : {}),
  };
}

function* components(report: VulnerabilityReport): Generator<object> {
  for (const [id, d] of Object.entries(mapOf(report, 'distributions'))) {
    yield {
      'bom-ref': `distribution:${id}`,
      type: 'operating-system',
      name: d.did || d.name || 'unknown',
      ...(d.version_id || d.version ? { version: d.version_id || d.version } : {}),
      ...(d.pretty_name ? { description: d.pretty_name } : {}),
      ...(d.cpe ? { cpe: d.cpe } : {}),
    };
  }
  for (const [id, pkg] of Object.entries(mapOf(report, 'packages'))) yield packageComponent(report, id, pkg);
}

function* vulnerabilities(report: VulnerabilityReport, findings: readonly Finding[]): Generator<object> {
  const byVulnerability = new Map<string, Finding[]>();
  for (const f of findings) byVulnerability.set(f.vulnerabilityId, [...(byVulnerability.get(f.vulnerabilityId) ?? []), f]);
  const cvss = cvssByVulnerability(report);
  for (const [id, affected] of byVulnerability) {
    const first = affected[0]!;
    const v: Vulnerability = first.vulnerability;
    const links = linksOf(v).filter(isHttpUrl);
    const updater = v.updater || 'clair';
    yield {
      'bom-ref': `vulnerability:${id}`,
      id: v.name || `clair-${id}`,
      source: { name: updater, ...(links[0] ? { url: links[0] } : {}) },
      ratings: [{ source: { name: updater }, severity: CYCLONEDX_SEVERITY[first.severity], method: 'other' }, ...(cvss.get(id) ?? []).map(cvssRating)],
      ...(v.description ? { description: v.description } : {}),
      ...(v.issued && !ZERO_TIME.test(v.issued) && !Number.isNaN(Date.parse(v.issued)) ? { published: v.issued } : {}),
      ...(links.length > 0 ? { advisories: links.map((url) => ({ url })) } : {}),
      affects: affected.map((f) => ({
        ref: packageRef(f.packageId),
        versions: [
          ...(f.package.version ? [{ version: f.package.version, status: 'affected' }] : []),
          ...(f.fixedIn ? [{ version: f.fixedIn, status: 'unaffected' }] : []),
        ],
      })),
      properties: [
        { name: 'clair:severity', value: v.severity || first.severity },
        ...(first.fixedIn ? [{ name: 'clair:fixed_in_version', value: first.fixedIn }] : []),
      ],
    };
  }
}

export class CycloneDxFormatter extends SinkFormatter {
  protected async writeResult(result: ReportResult): Promise<void> {
    if (result.error !== undefined) return;
    const findings = findingsOf(result);
    const report = result.report!;
    const digest = manifestOf(result);
    const purl = imagePurl(result.name, digest);
    const bom = streamedObject({
      $schema: CYCLONEDX_SCHEMA,
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: `urn:uuid:${this.options.randomUUID()}`,
      version: 1,
      metadata: {
        timestamp: this.options.now().toISOString(),
        tools: { components: [{ type: 'application', name: 'clairctl', version: this.options.toolVersion }] },
        component: {
          'bom-ref': `image:${digest || result.name}`,
          type: 'container',
          name: result.name,
          ...(digest ? { version: digest } : {}),
          ...(purl ? { purl } : {}),
        },
      },
      components: streamed(components(report)),
      vulnerabilities: streamed(vulnerabilities(report, findings)),
    });
    await writePretty(this.sink, bom);
    await this.sink.write('\n');
  }
}
