/**
 * @module One Red Hat CSAF VEX document → vulnerability records, following
 * claircore's `rhel/vex` parser:
 *
 * - `fixed` → one binary-package record per (package purl without arch,
 *   repository CPE), `fixedInVersion` from the purl (`epoch:version-release`,
 *   or an image tag), arches joined as a `pattern match` (`noarch|src`);
 * - `known_affected` → one source-package record per entry, unfixed;
 * - `known_not_affected` → records marked `notVulnerable` (claircore's
 *   `Invert`), deduplicated like `fixed` but across versions.
 *
 * rpm products get the `rhel-cpe-repository` repository named by their
 * product's CPE; container images (`pkg:oci`) the `rhcc-container-repository`
 * one and an `rhctag` range. Name = the document's tracking ID; severity =
 * the CVSS vector (`Unknown` without a score); normalized severity from the
 * `impact` threat.
 */
import type { Logger } from 'pino';
import { clairError } from '../../lib/errors.js';
import type { NormalizedSeverity, VulnerabilityRecord } from '../../model/index.js';
import { CsafShapeError, decodeCsaf, type CsafDocument, type CsafScore, type CsafVulnerability } from './csaf.js';
import { cvssVectorProblem } from './cvss.js';
import { goPathEscape } from './path-escape.js';
import { DocumentIndex, productStatuses, VexDocumentError, type ProductStatus } from './product-status.js';
import { purlArch, purlFixedInVersion, purlModule, purlPackageName, type FieldResult } from './purl-fields.js';
import { everyRhctag, RhctagRanger } from './rhctag-range.js';
import { RHCC_REPOSITORY_KEY, RHEL_CPE_REPOSITORY_KEY } from '../../model/releases.js';

/** Persisted: update operations are keyed by it. Never rename. */
export const RHEL_VEX_UPDATER_NAME = 'rhel-vex';

/** How documents are read, and where problems are logged. */
export interface DocumentParseOptions {
  /** Skip every `kernel*` package, allow-listed ones included (`ignore_kernel_packages`). */
  ignoreKernelPackages: boolean;
  log: Logger;
}

/** Red Hat impact ratings → normalized severity (claircore `common.NormalizeSeverity`). */
export function normalizeImpact(impact: string): NormalizedSeverity {
  switch (impact.toLowerCase()) {
    case 'low':
      return 'Low';
    case 'moderate':
      return 'Medium';
    case 'important':
      return 'High';
    case 'critical':
      return 'Critical';
    default: // includes "none"
      return 'Unknown';
  }
}

/** The vector of the newest CVSS version present, validated; a reason when there is none usable. */
function cvssVector(score: CsafScore | undefined): FieldResult {
  if (score === undefined) return { error: 'no score object' };
  const [version, cvss] = score.v4 ? (['v4', score.v4] as const) : score.v3 ? (['v3', score.v3] as const) : score.v2 ? (['v2', score.v2] as const) : [undefined, undefined];
  if (version === undefined) return { error: 'no CVSS object in the score' };
  const problem = cvssVectorProblem(version, cvss.vectorString);
  return problem === undefined ? { value: cvss.vectorString } : { error: `CVSS ${version} vector ${JSON.stringify(cvss.vectorString)}: ${problem}` };
}

/** Identity of a fixed/not-affected record: the purl without its arch, plus the repository. */
function statusKey(st: ProductStatus): string {
  const p = st.purl;
  const parts = [p.type, p.name, p.namespace, p.subpath, p.type === 'oci' ? '' : p.version];
  for (const [k, v] of p.qualifiers) if (k !== 'arch') parts.push(k, v);
  parts.push(st.cpe);
  return parts.join('\u0000');
}

function sortByLinks(records: VulnerabilityRecord[]): VulnerabilityRecord[] {
  return records.sort((a, b) => (a.links < b.links ? -1 : a.links > b.links ? 1 : 0));
}

function addArch(record: VulnerabilityRecord, st: ProductStatus): void {
  const arch = purlArch(st.purl);
  if (arch === '') return;
  if (record.package.arch === '') {
    record.package.arch = arch;
    record.archOp = 'pattern match';
  } else {
    record.package.arch = `${record.package.arch}|${arch}`;
  }
}

class RecordBuilder {
  readonly #links: string;

  constructor(
    readonly doc: CsafDocument,
    readonly v: CsafVulnerability,
  ) {
    this.#links = [...v.referenceUrls, ...(doc.selfLink === '' ? [] : [doc.selfLink])].join(' ');
  }

  /** A record with the document-level fields set and the product ID on the self link. */
  base(st: ProductStatus, repository: { name: string; key: string }): VulnerabilityRecord {
    const self = this.doc.selfLink;
    // The product ID in the fragment lets a reader find the exact VEX assertion.
    // A replacer function, because the escaped ID may contain `$&`, which a replacement string would expand.
    const links = self === '' ? this.#links : this.#links.replace(self, () => `${self}#${goPathEscape(st.id)}`);
    return {
      updater: RHEL_VEX_UPDATER_NAME,
      name: this.doc.trackingId,
      description: this.v.description,
      issued: this.v.releaseDate,
      links,
      severity: 'Unknown',
      normalizedSeverity: st.threat ? normalizeImpact(st.threat.details) : 'Unknown',
      package: { name: '', version: '', module: '', arch: '', kind: '' },
      repository: { name: repository.name, key: repository.key, uri: '' },
      fixedInVersion: '',
      archOp: '',
      ...(this.v.self ? { self: this.v.self } : {}),
      ...(this.v.aliases.length > 0 ? { aliases: [...this.v.aliases] } : {}),
    };
  }
}

/** The value of a field already checked for errors. */
const valueOf = (f: FieldResult): string => ('value' in f ? f.value : '');

/** The first error among `fields`, if any. */
const firstError = (...fields: FieldResult[]): string | undefined => fields.map((f) => ('error' in f ? f.error : undefined)).find((e) => e !== undefined);

function repositoryOf(st: ProductStatus): { name: string; key: string } {
  return { name: st.cpe, key: st.purl.type === 'oci' ? RHCC_REPOSITORY_KEY : RHEL_CPE_REPOSITORY_KEY };
}

function fixedRecords(builder: RecordBuilder, index: DocumentIndex, options: DocumentParseOptions): VulnerabilityRecord[] {
  const ranger = new RhctagRanger();
  const byKey = new Map<string, VulnerabilityRecord>();
  const log = options.log;
  for (const st of productStatuses(index, builder.v, 'fixed', options)) {
    const key = statusKey(st);
    let record = byKey.get(key);
    if (record === undefined) {
      const fixedIn = purlFixedInVersion(st.purl);
      const name = purlPackageName(st.purl);
      const module = purlModule(st.purl);
      const severity = cvssVector(st.score);
      const problem = firstError(fixedIn, name, module, severity);
      if (problem !== undefined) {
        log.warn({ id: st.id, reason: problem }, 'rhel-vex fixed product skipped');
        continue;
      }
      const r = builder.base(st, repositoryOf(st));
      r.fixedInVersion = valueOf(fixedIn);
      r.package = { name: valueOf(name), version: '', module: valueOf(module), arch: '', kind: 'binary' };
      r.severity = valueOf(severity);
      if (st.purl.type === 'oci') {
        const range = ranger.add(st.purl.name, r.fixedInVersion);
        if ('error' in range) {
          log.warn({ id: st.id, reason: range.error }, 'rhel-vex fixed product skipped');
          continue;
        }
        r.range = range.range;
      }
      if (st.remediation) r.links = `${r.links} ${st.remediation.url}`;
      byKey.set(key, r);
      record = r;
    }
    addArch(record, st);
  }
  ranger.finish();
  return sortByLinks([...byKey.values()]);
}

function unwrap(field: FieldResult, what: string, st: ProductStatus): string {
  if ('error' in field) throw new VexDocumentError(`${what} of product ${JSON.stringify(st.id)}: ${field.error}`);
  return field.value;
}

function knownAffectedRecords(builder: RecordBuilder, index: DocumentIndex, options: DocumentParseOptions): VulnerabilityRecord[] {
  const out: VulnerabilityRecord[] = [];
  for (const st of productStatuses(index, builder.v, 'known_affected', options)) {
    // claircore fails the document here rather than skipping the product.
    const r = builder.base(st, repositoryOf(st));
    r.package = { name: unwrap(purlPackageName(st.purl), 'package name', st), version: '', module: unwrap(purlModule(st.purl), 'module', st), arch: '', kind: 'source' };
    if (st.score) r.severity = unwrap(cvssVector(st.score), 'CVSS score', st);
    if (st.purl.type === 'oci') r.range = everyRhctag();
    out.push(r);
  }
  return sortByLinks(out);
}

function knownNotAffectedRecords(builder: RecordBuilder, index: DocumentIndex, options: DocumentParseOptions): VulnerabilityRecord[] {
  const byKey = new Map<string, VulnerabilityRecord>();
  for (const st of productStatuses(index, builder.v, 'known_not_affected', options)) {
    const key = statusKey(st);
    let record = byKey.get(key);
    if (record === undefined) {
      const name = purlPackageName(st.purl);
      const module = purlModule(st.purl);
      const severity: FieldResult = st.score ? cvssVector(st.score) : { value: 'Unknown' };
      const problem = firstError(name, module, severity);
      if (problem !== undefined) {
        options.log.warn({ id: st.id, reason: problem }, 'rhel-vex not-affected product skipped');
        continue;
      }
      const r = builder.base(st, repositoryOf(st));
      r.notVulnerable = true;
      // A container image is an "ancestry" package, as claircore writes it, so
      // the statement applies to the image and its descendants' ancestry only.
      r.package = { name: valueOf(name), version: '', module: valueOf(module), arch: '', kind: st.purl.type === 'oci' ? 'ancestry' : 'binary' };
      r.severity = valueOf(severity);
      if (st.purl.type === 'oci') r.range = everyRhctag();
      if (st.remediation) r.links = `${r.links} ${st.remediation.url}`;
      byKey.set(key, r);
      record = r;
    }
    addArch(record, st);
  }
  return sortByLinks([...byKey.values()]);
}

/**
 * Records of a decoded document; `[]` for a document marked deleted.
 *
 * @throws VexDocumentError for a malformed CVE ID, purl, CPE or (in
 * `known_affected`) package field, as claircore fails the document.
 */
export function documentRecords(doc: CsafDocument, options: DocumentParseOptions): VulnerabilityRecord[] {
  if (doc.trackingStatus === 'deleted') return [];
  const index = new DocumentIndex(doc);
  const out: VulnerabilityRecord[] = [];
  for (const v of doc.vulnerabilities) {
    if (!v.cve.startsWith('CVE-')) throw new VexDocumentError(`malformed CVE ID ${JSON.stringify(v.cve)}`);
    const builder = new RecordBuilder(doc, v);
    out.push(...fixedRecords(builder, index, options), ...knownAffectedRecords(builder, index, options), ...knownNotAffectedRecords(builder, index, options));
  }
  if (index.unresolved.length > 0) {
    options.log.warn({ document: doc.trackingId, count: index.unresolved.length, ids: index.unresolved.slice(0, 5) }, 'rhel-vex products without package or repository identification skipped');
  }
  return out;
}

/**
 * Parses one document's bytes. `source` (e.g. `2023/cve-2023-0044.json`)
 * names it in errors.
 *
 * @throws ClairError `CLAIR_ERR_UPDATER_PARSE` for invalid JSON or a malformed document.
 */
export function parseVexDocument(bytes: Uint8Array, source: string, options: DocumentParseOptions): VulnerabilityRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    throw clairError('UPDATER_PARSE', `rhel-vex: document ${source} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  try {
    return documentRecords(decodeCsaf(json), options);
  } catch (err) {
    if (err instanceof CsafShapeError || err instanceof VexDocumentError) {
      throw clairError('UPDATER_PARSE', `rhel-vex: document ${source} is malformed: ${err.message}`, { cause: err });
    }
    throw err;
  }
}
