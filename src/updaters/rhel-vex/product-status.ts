/**
 * @module Resolving a vulnerability's `product_status` entries into (package
 * purl, repository CPE) pairs, as claircore's VEX `creator.Status` does.
 *
 * A status names a composite product, e.g.
 * `AppStream-9.2.0.Z.EUS:openssl-1:3.0.7-27.el9_2.x86_64`, whose
 * `default_component_of` relationship (followed up to five levels, for
 * modules) leads to the package product (carrying a `purl` helper) and the
 * repository product (carrying a `cpe` helper). Entries that cannot be
 * resolved are skipped for the rest of the document; a purl or CPE that does
 * not parse makes the whole document malformed ({@link VexDocumentError}).
 */
import { bindCpeFs, unbindCpe } from '../../model/cpe.js';
import type { CsafDocument, CsafProduct, CsafRelationship, CsafRemediation, CsafScore, CsafThreat, CsafVulnerability } from './csaf.js';
import { isUsablePurl } from './purl-fields.js';
import { parsePurl, type Purl } from './purl.js';

/** A malformed part of a document; the caller names the document. */
export class VexDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VexDocumentError';
  }
}

/** One usable product status entry. */
export interface ProductStatus {
  readonly id: string;
  readonly packageId: string;
  readonly repositoryId: string;
  readonly purl: Purl;
  /** The repository CPE as a formatted string (`cpe:2.3:…`). */
  readonly cpe: string;
  readonly score?: CsafScore | undefined;
  readonly threat?: CsafThreat | undefined;
  readonly remediation?: CsafRemediation | undefined;
}

/** Relationship nesting followed at most (claircore's `relMax`). */
const MAX_RELATIONSHIP_DEPTH = 5;

/** Per-document lookups by product id; later entries win, as claircore's indexes. */
export class DocumentIndex {
  readonly relationships = new Map<string, CsafRelationship>();
  readonly scores = new Map<string, CsafScore>();
  readonly impacts = new Map<string, CsafThreat>();
  readonly remediations = new Map<string, CsafRemediation>();
  /** Product ids already found unusable, so each is looked at once. */
  readonly skipped = new Set<string>();
  /**
   * Status entries whose package or repository product (or its purl/CPE
   * helper) is missing: logged once per document, since older documents
   * lack helpers on every product.
   */
  readonly unresolved: string[] = [];
  /** CPE text → formatted string: a document names the same few repositories thousands of times. */
  readonly #cpes = new Map<string, string>();

  constructor(readonly doc: CsafDocument) {
    for (const r of doc.relationships) if (r.category === 'default_component_of') this.relationships.set(r.productId, r);
    for (const v of doc.vulnerabilities) {
      for (const s of v.scores) for (const id of s.products) this.scores.set(id, s);
      for (const t of v.threats) if (t.category === 'impact') for (const id of t.productIds) this.impacts.set(id, t);
      // Only remediations with a URL (an RHSA) are worth linking; a later
      // workaround note must not hide the erratum.
      for (const r of v.remediations) if (r.url !== '') for (const id of r.productIds) this.remediations.set(id, r);
    }
  }

  /** The formatted-string form of a CPE helper, cached per document. */
  cpe(text: string): string {
    let fs = this.#cpes.get(text);
    if (fs === undefined) {
      fs = cpeFormattedString(text);
      this.#cpes.set(text, fs);
    }
    return fs;
  }

  /** The branch-tree product with this id. */
  product(id: string): CsafProduct | undefined {
    return this.doc.products.get(id);
  }
}

/** claircore's `escapeCPE`: Red Hat writes wildcards (`4.*`, `4.?`) into URI-form CPEs. */
function escapeCpeWildcards(cpe: string): string {
  return cpe
    .split(':')
    .map((part) => (part.endsWith('*') ? `${part.slice(0, -1)}%02` : part).replaceAll('?', '%01'))
    .join(':');
}

/** The formatted-string form of a product's CPE helper. */
export function cpeFormattedString(cpe: string): string {
  const wfn = unbindCpe(escapeCpeWildcards(cpe));
  if (wfn === undefined) throw new VexDocumentError(`invalid CPE ${JSON.stringify(cpe)}`);
  return bindCpeFs(wfn);
}

/** A CVSS base score of the entry's score object (v4, then v3, then v2). */
export function baseScore(score: CsafScore): number {
  return (score.v4 ?? score.v3 ?? score.v2)?.baseScore ?? 0;
}

/**
 * The usable entries of `v` with status `which` (`fixed`, `known_affected`,
 * `known_not_affected`).
 *
 * @throws VexDocumentError when an entry's purl or CPE does not parse.
 */
export function* productStatuses(index: DocumentIndex, v: CsafVulnerability, which: string, options: { ignoreKernelPackages: boolean }): Generator<ProductStatus> {
  for (const id of v.productStatus.get(which) ?? []) {
    if (index.skipped.has(id)) continue;
    const relationship = index.relationships.get(id);
    if (relationship === undefined) {
      // Middleware products often have no component relationship; claircore skips them quietly.
      index.skipped.add(id);
      continue;
    }
    let packageId = relationship.productReference;
    for (let depth = 0; depth < MAX_RELATIONSHIP_DEPTH; depth++) {
      const next = index.relationships.get(packageId);
      if (next === undefined) break;
      packageId = next.productReference;
    }
    let repositoryId = relationship.relatesTo;
    for (let depth = 0; depth < MAX_RELATIONSHIP_DEPTH; depth++) {
      const next = index.relationships.get(repositoryId);
      if (next === undefined) break;
      repositoryId = next.relatesTo;
    }
    if (index.skipped.has(packageId) || index.skipped.has(repositoryId)) continue;

    const pkg = index.product(packageId);
    const repo = index.product(repositoryId);
    const cpeText = repo?.helpers.get('cpe');
    const purlText = pkg?.helpers.get('purl');
    if (pkg === undefined || repo === undefined || cpeText === undefined || purlText === undefined) {
      index.unresolved.push(id);
      if (pkg === undefined || purlText === undefined) index.skipped.add(packageId);
      if (repo === undefined || cpeText === undefined) index.skipped.add(repositoryId);
      continue;
    }
    const cpe = index.cpe(cpeText);
    const parsed = parsePurl(purlText);
    if (!parsed.ok) throw new VexDocumentError(parsed.reason);
    let purl = parsed.purl;
    if (!isUsablePurl(purl, options.ignoreKernelPackages)) continue;

    const score = index.scores.get(id);
    const threat = index.impacts.get(id);
    // No impact rating and a zero score: Red Hat's way of saying "not rated", which claircore drops.
    if (threat === undefined && score !== undefined && baseScore(score) === 0) continue;

    if (which === 'known_not_affected') {
      // Not-affected assertions cover every version: drop what would split them per build.
      purl = { ...purl, version: '', qualifiers: purl.qualifiers.filter(([k]) => k !== 'epoch' && k !== 'tag') };
    }
    yield { id, packageId, repositoryId, purl, cpe, score, threat, remediation: index.remediations.get(id) };
  }
}
