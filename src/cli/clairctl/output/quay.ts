/**
 * @module The `quay` format: the security report Quay's API serves
 * (`GET /api/v1/repository/…/manifest/<digest>/security?vulnerabilities=true`)
 * for a manifest Clair v4 indexed, so tools written against Quay can read
 * clairctl's output.
 *
 * Built as Quay builds it (quay/quay `data/secscan_model/secscan_v4_model.py`
 * `features_for`, `datatypes.py` `SecurityInformation.to_dict`,
 * `util/secscan/__init__.py` `fetch_vuln_severity`, `endpoints/api/secscan.py`):
 * `{"status": "scanned", "data": {"Layer": {Name: manifest hash, ParentName,
 * NamespaceName, IndexedByVersion: 4, Features}}}`, a feature per package
 * in the report's order (AddedBy: the layer of its first environment;
 * BaseScores: the CVSS scores of its vulnerabilities; CVEIds: the CVE ids
 * in their links, sorted), and per feature its vulnerabilities, a
 * (name, version, vulnerability name) triple shown once across the whole
 * report (Quay's de-duplication of records from different repositories).
 * A vulnerability's Severity is its normalized severity, or, when that is
 * Unknown, the one its CVSS base score maps to; FixedBy decodes a
 * `fixed=` query string and drops claircore's "0"; Metadata carries the
 * updater, repository and distribution names and the CVSS vector and score.
 *
 * Where this differs from Quay, on purpose: CVSS data is read from the
 * `clair.cvss` enrichment (Quay reads whichever enrichment comes first), a
 * base score of 10.0 maps to Critical (Quay's bounds leave it Unknown), and
 * malformed enrichment data is skipped rather than crashing. A failed image
 * is `{"status": "failed", "data": null}`. One document per image,
 * indented, each followed by a newline.
 */
import type { NormalizedSeverity, VulnerabilityReport } from '../../../model/vulnerability.js';
import { cvssByVulnerability } from './cyclonedx.js';
import { SinkFormatter } from './formatter.js';
import { streamed, streamedObject, writePretty } from './json-writer.js';
import { checkedReport, environmentOf, findingsOf, mapOf, type ReportResult } from './report.js';

/** Quay's `maybe_urlencoded`: the `fixed` value of a query string, else the string as is. */
export function quayFixedBy(fixedInVersion: string): string {
  if (fixedInVersion === '0') return '';
  if (!fixedInVersion.includes('=')) return fixedInVersion;
  // parse_qs drops blank values, so `fixed=` is not a fix.
  const fixed = new URLSearchParams(fixedInVersion).get('fixed');
  return fixed ? fixed : fixedInVersion;
}

/** Quay's `get_priority_from_cvssscore`, with 10.0 as Critical. */
export function severityFromCvss(score: number): NormalizedSeverity {
  if (score > 0 && score < 4) return 'Low';
  if (score >= 4 && score < 7) return 'Medium';
  if (score >= 7 && score < 9) return 'High';
  if (score >= 9 && score <= 10) return 'Critical';
  return 'Unknown';
}

/** Quay's `link_to_cves`: the distinct CVE ids in a links string. */
export function cveIds(links: string): string[] {
  return [...new Set(links.match(/CVE-\d{4}-\d{4,7}/g) ?? [])].sort();
}

interface QuayVulnerability {
  Severity: string;
  NamespaceName: string;
  Link: string;
  FixedBy: string;
  Description: string;
  Name: string;
  Metadata: {
    UpdatedBy: string;
    RepoName: string | null;
    RepoLink: string | null;
    DistroName: string | null;
    DistroVersion: string | null;
    NVD: { CVSSv3: { Vectors: string; Score: number | string } };
  };
}

/** The features of a report, as Quay's `features_for` and `to_dict` make them. */
export function* quayFeatures(report: VulnerabilityReport): Generator<object> {
  const cvss = new Map<string, { vectorString?: string; baseScore?: number }>();
  for (const [id, records] of cvssByVulnerability(report)) {
    cvss.set(id, [...records].sort((a, b) => (b.baseScore ?? 0) - (a.baseScore ?? 0))[0]!);
  }
  const packageVulnerabilities = mapOf(report, 'package_vulnerabilities');
  const vulnerabilities = mapOf(report, 'vulnerabilities');
  const seen = new Set<string>();
  for (const [id, pkg] of Object.entries(mapOf(report, 'packages'))) {
    const featureVulnerabilities: QuayVulnerability[] = [];
    for (const vulnerabilityId of packageVulnerabilities[id] ?? []) {
      const v = vulnerabilities[vulnerabilityId]!;
      const key = `${pkg.name}_${pkg.version}_${v.name ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const score = cvss.get(vulnerabilityId);
      const normalized = v.normalized_severity;
      const severity = normalized && normalized !== 'Unknown' ? normalized : score?.baseScore ? severityFromCvss(score.baseScore) : 'Unknown';
      featureVulnerabilities.push({
        Severity: severity,
        NamespaceName: v.updater ?? '',
        Link: v.links ?? '',
        FixedBy: quayFixedBy(v.fixed_in_version ?? ''),
        Description: v.description ?? '',
        Name: v.name ?? '',
        Metadata: {
          UpdatedBy: v.updater ?? '',
          RepoName: v.repository?.name ?? null,
          RepoLink: v.repository?.uri ?? null,
          DistroName: v.distribution?.name ?? null,
          DistroVersion: v.distribution?.version ?? null,
          NVD: { CVSSv3: { Vectors: score?.vectorString ?? '', Score: score?.baseScore ?? '' } },
        },
      });
    }
    yield {
      Name: pkg.name,
      VersionFormat: '',
      NamespaceName: '',
      AddedBy: environmentOf(report, id)?.introduced_in ?? '',
      Version: pkg.version ?? '',
      BaseScores: featureVulnerabilities.map((v) => v.Metadata.NVD.CVSSv3.Score).filter((s) => s !== '' && s !== 0),
      CVEIds: cveIds(featureVulnerabilities.map((v) => v.Link).join(' ')),
      Vulnerabilities: featureVulnerabilities,
    };
  }
}

export class QuayFormatter extends SinkFormatter {
  protected async writeResult(result: ReportResult): Promise<void> {
    if (result.error !== undefined) {
      await writePretty(this.sink, { status: 'failed', data: null });
      await this.sink.write('\n');
      return;
    }
    findingsOf(result);
    const report = checkedReport(result);
    const document = streamedObject({
      status: 'scanned',
      data: streamedObject({
        Layer: streamedObject({
          Name: report.manifest_hash ?? result.digest,
          ParentName: '',
          NamespaceName: '',
          IndexedByVersion: 4,
          Features: streamed(quayFeatures(report)),
        }),
      }),
    });
    await writePretty(this.sink, document);
    await this.sink.write('\n');
  }
}
