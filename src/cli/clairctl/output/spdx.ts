/**
 * @module The `spdx` format: an SPDX 2.3 JSON document per image.
 *
 * - The document (`SPDXRef-DOCUMENT`, data licence CC0-1.0) is named after
 *   the image; its namespace is `https://spdx.org/spdxdocs/clairctl/<image>-<uuid>`,
 *   unique per document; `creationInfo` names `Tool: clairctl-<version>` and
 *   the time it was made, to the second as SPDX wants.
 * - Packages: the image (`SPDXRef-Image`, purpose CONTAINER, its digest as a
 *   checksum and an `oci` purl), each distribution (`SPDXRef-OperatingSystem-<id>`,
 *   purpose OPERATING_SYSTEM) and each package of the report
 *   (`SPDXRef-Package-<id>`), none with files analysed, download location,
 *   licences and copyright all NOASSERTION. A package's external refs are
 *   its purl (PACKAGE-MANAGER), its CPE (SECURITY cpe23Type) and one SECURITY
 *   `advisory` per vulnerability affecting it, the locator its first http(s)
 *   link and the comment `<name> (<severity>); fixed in <version>` (a
 *   vulnerability without a link is an OTHER `clair-vulnerability` ref
 *   carrying its name).
 * - Relationships: the document DESCRIBES the image; the image CONTAINS
 *   every other package.
 *
 * Several images give several documents, one after another, each followed
 * by a newline; one image gives exactly one document. A failed image has no
 * document; the command reports its error.
 */
import type { Package } from '../../../model/package.js';
import type { VulnerabilityReport } from '../../../model/vulnerability.js';
import { SinkFormatter } from './formatter.js';
import { streamed, streamedObject, writePretty } from './json-writer.js';
import { imagePurl, packageContext, purlOf } from './purl.js';
import { findingsOf, firstUrl, manifestOf, mapOf, type Finding, type ReportResult } from './report.js';

export const IMAGE_SPDXID = 'SPDXRef-Image';
const NOASSERTION = 'NOASSERTION';

/** An SPDX id from a report id: only letters, digits, `.` and `-` are allowed. */
function spdxId(prefix: string, id: string, taken: Set<string>): string {
  const base = `SPDXRef-${prefix}-${id.replace(/[^A-Za-z0-9.-]/g, '-') || 'x'}`;
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
  taken.add(candidate);
  return candidate;
}

/** SPDX wants `YYYY-MM-DDThh:mm:ssZ`, without fractions of a second. */
export function spdxTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

const CHECKSUM_ALGORITHMS: Readonly<Record<string, string>> = { sha256: 'SHA256', sha384: 'SHA384', sha512: 'SHA512' };

function noAssertions(): object {
  return { downloadLocation: NOASSERTION, filesAnalyzed: false, licenseConcluded: NOASSERTION, licenseDeclared: NOASSERTION, copyrightText: NOASSERTION };
}

function advisoryRef(f: Finding): object {
  const name = f.vulnerability.name || `clair-${f.vulnerabilityId}`;
  const comment = `${name} (${f.severity}); ${f.fixedIn ? `fixed in ${f.fixedIn}` : 'no fixed version is known'}`;
  const url = firstUrl(f.vulnerability);
  return url
    ? { referenceCategory: 'SECURITY', referenceType: 'advisory', referenceLocator: url, comment }
    : { referenceCategory: 'OTHER', referenceType: 'clair-vulnerability', referenceLocator: name.replace(/\s/g, '-'), comment };
}

function packageEntry(report: VulnerabilityReport, id: string, spdxid: string, pkg: Package, findings: readonly Finding[]): object {
  const purl = purlOf(pkg, packageContext(report, id));
  const refs = [
    ...(purl ? [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }] : []),
    ...(pkg.cpe && pkg.cpe.startsWith('cpe:2.3:') ? [{ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: pkg.cpe }] : []),
    ...findings.map(advisoryRef),
  ];
  return {
    SPDXID: spdxid,
    name: pkg.name ?? '',
    ...(pkg.version ? { versionInfo: pkg.version } : {}),
    ...noAssertions(),
    ...(pkg.source?.name ? { sourceInfo: `built from source package ${pkg.source.name}${pkg.source.version ? ` ${pkg.source.version}` : ''}` } : {}),
    ...(refs.length > 0 ? { externalRefs: refs } : {}),
  };
}

export class SpdxFormatter extends SinkFormatter {
  protected async writeResult(result: ReportResult): Promise<void> {
    if (result.error !== undefined) return;
    const findings = findingsOf(result);
    const report = result.report!;
    const digest = manifestOf(result);
    const byPackage = new Map<string, Finding[]>();
    for (const f of findings) byPackage.set(f.packageId, [...(byPackage.get(f.packageId) ?? []), f]);

    const taken = new Set<string>([IMAGE_SPDXID, 'SPDXRef-DOCUMENT']);
    const distributionIds = Object.keys(mapOf(report, 'distributions')).map((id) => [id, spdxId('OperatingSystem', id, taken)] as const);
    const packageIds = Object.keys(mapOf(report, 'packages')).map((id) => [id, spdxId('Package', id, taken)] as const);

    const [algorithm, hex] = digest.split(':', 2);
    const checksum = algorithm && hex && CHECKSUM_ALGORITHMS[algorithm] ? [{ algorithm: CHECKSUM_ALGORITHMS[algorithm], checksumValue: hex }] : [];
    const purl = imagePurl(result.name, digest);
    const image = {
      SPDXID: IMAGE_SPDXID,
      name: result.name,
      ...(digest ? { versionInfo: digest } : {}),
      ...noAssertions(),
      ...(checksum.length > 0 ? { checksums: checksum } : {}),
      ...(purl ? { externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }] } : {}),
      primaryPackagePurpose: 'CONTAINER',
    };
    const distributions = mapOf(report, 'distributions');
    const packages = mapOf(report, 'packages');
    function* entries(): Generator<object> {
      yield image;
      for (const [id, spdxid] of distributionIds) {
        const d = distributions[id]!;
        yield {
          SPDXID: spdxid,
          name: d.did || d.name || 'unknown',
          ...(d.version_id || d.version ? { versionInfo: d.version_id || d.version } : {}),
          ...noAssertions(),
          ...(d.pretty_name ? { description: d.pretty_name } : {}),
          primaryPackagePurpose: 'OPERATING_SYSTEM',
        };
      }
      for (const [id, spdxid] of packageIds) yield packageEntry(report, id, spdxid, packages[id]!, byPackage.get(id) ?? []);
    }
    function* relationships(): Generator<object> {
      yield { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: IMAGE_SPDXID };
      for (const [, spdxid] of [...distributionIds, ...packageIds]) yield { spdxElementId: IMAGE_SPDXID, relationshipType: 'CONTAINS', relatedSpdxElement: spdxid };
    }

    const document = streamedObject({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: result.name,
      documentNamespace: `https://spdx.org/spdxdocs/clairctl/${encodeURIComponent(result.name)}-${this.options.randomUUID()}`,
      creationInfo: { created: spdxTimestamp(this.options.now()), creators: [`Tool: clairctl-${this.options.toolVersion}`] },
      packages: streamed(entries()),
      relationships: streamed(relationships()),
    });
    await writePretty(this.sink, document);
    await this.sink.write('\n');
  }
}
