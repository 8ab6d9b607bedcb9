/**
 * @module The parts of a CSAF 2.0 VEX document (claircore
 * `toolkit/types/csaf`) the updater reads, decoded from parsed JSON with
 * the leniency of Go's `encoding/json`: absent fields take their zero value,
 * unknown fields are ignored, and a present field of the wrong type makes
 * the document malformed ({@link CsafShapeError}).
 */
import { aliasOf, type Alias } from '../../model/alias.js';

/** A product of the product tree (`full_product_name_t`). */
export interface CsafProduct {
  readonly id: string;
  readonly name: string;
  /** String-valued identification helpers only: `cpe`, `purl`. */
  readonly helpers: ReadonlyMap<string, string>;
}

/** A `product_tree.relationships` entry. */
export interface CsafRelationship {
  readonly category: string;
  /** `full_product_name.product_id`: the composite product this relationship names. */
  readonly productId: string;
  readonly productReference: string;
  readonly relatesTo: string;
}

/** The fields of a `cvss_v2`/`cvss_v3`/`cvss_v4` object the updater uses. */
export interface CsafCvss {
  readonly baseScore: number;
  readonly vectorString: string;
}

/** A `vulnerabilities[].scores` entry. */
export interface CsafScore {
  readonly v2?: CsafCvss | undefined;
  readonly v3?: CsafCvss | undefined;
  readonly v4?: CsafCvss | undefined;
  readonly products: readonly string[];
}

/** A `vulnerabilities[].threats` entry (`impact` carries Red Hat's rating). */
export interface CsafThreat {
  readonly category: string;
  readonly details: string;
  readonly productIds: readonly string[];
}

/** A `vulnerabilities[].remediations` entry (`vendor_fix` carries the RHSA URL). */
export interface CsafRemediation {
  readonly category: string;
  readonly url: string;
  readonly productIds: readonly string[];
}

/** A `vulnerabilities` entry; `description` is its last `description` note. */
export interface CsafVulnerability {
  readonly cve: string;
  readonly description: string;
  readonly referenceUrls: readonly string[];
  /** The identifiers of the same flaw its references name (claircore's VEX aliases). */
  readonly aliases: readonly Alias[];
  /** Red Hat's CVE page as the record's own alias, when a `self` reference names it. */
  readonly self: Alias | undefined;
  readonly releaseDate?: Date | undefined;
  readonly productStatus: ReadonlyMap<string, readonly string[]>;
  readonly scores: readonly CsafScore[];
  readonly threats: readonly CsafThreat[];
  readonly remediations: readonly CsafRemediation[];
}

/** A decoded VEX document. */
export interface CsafDocument {
  readonly trackingId: string;
  readonly trackingStatus: string;
  /** The document's `self` reference URL, or `''`. */
  readonly selfLink: string;
  /** Every product of the branch tree (later duplicates win, as claircore's index). */
  readonly products: ReadonlyMap<string, CsafProduct>;
  readonly relationships: readonly CsafRelationship[];
  readonly vulnerabilities: readonly CsafVulnerability[];
}

/** A document field has the wrong JSON type; `path` names it. */
export class CsafShapeError extends Error {
  constructor(readonly path: string, expected: string) {
    super(`${path}: expected ${expected}`);
    this.name = 'CsafShapeError';
  }
}

type Json = Record<string, unknown>;

function object(v: unknown, path: string): Json {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new CsafShapeError(path, 'an object');
  return v as Json;
}

function array(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new CsafShapeError(path, 'an array');
  return v;
}

function string(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new CsafShapeError(path, 'a string');
  return v;
}

function number(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number') throw new CsafShapeError(path, 'a number');
  return v;
}

function strings(v: unknown, path: string): string[] {
  return array(v, path).map((s, i) => string(s, `${path}[${i}]`));
}

function date(v: unknown, path: string): Date | undefined {
  const text = string(v, path);
  if (text === '') return undefined;
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new CsafShapeError(path, 'an RFC 3339 time');
  return d;
}

function product(v: unknown, path: string): CsafProduct {
  const o = object(v, path);
  const helpers = new Map<string, string>();
  for (const [k, h] of Object.entries(object(o.product_identification_helper, `${path}.product_identification_helper`))) {
    // Go would reject non-string helpers (hashes, URI lists); ignoring them loses nothing the updater reads.
    if (typeof h === 'string') helpers.set(k, h);
  }
  return { id: string(o.product_id, `${path}.product_id`), name: string(o.name, `${path}.name`), helpers };
}

function collectProducts(branch: Json, path: string, out: Map<string, CsafProduct>): void {
  if (branch.product !== undefined && branch.product !== null) {
    const p = product(branch.product, `${path}.product`);
    out.set(p.id, p);
  }
  array(branch.branches, `${path}.branches`).forEach((b, i) => collectProducts(object(b, `${path}.branches[${i}]`), `${path}.branches[${i}]`, out));
}

function cvss(v: unknown, path: string): CsafCvss | undefined {
  if (v === undefined || v === null) return undefined;
  const o = object(v, path);
  return { baseScore: number(o.baseScore, `${path}.baseScore`), vectorString: string(o.vectorString, `${path}.vectorString`) };
}

function vulnerability(v: unknown, path: string): CsafVulnerability {
  const o = object(v, path);
  let description = '';
  array(o.notes, `${path}.notes`).forEach((n, i) => {
    const note = object(n, `${path}.notes[${i}]`);
    if (string(note.category, `${path}.notes[${i}].category`) === 'description') description = string(note.text, `${path}.notes[${i}].text`);
  });
  const productStatus = new Map<string, string[]>();
  for (const [k, ids] of Object.entries(object(o.product_status, `${path}.product_status`))) productStatus.set(k, strings(ids, `${path}.product_status.${k}`));
  const cve = string(o.cve, `${path}.cve`);
  const references = array(o.references, `${path}.references`).map((r, i) => {
    const ref = object(r, `${path}.references[${i}]`);
    return { url: string(ref.url, `${path}.references[${i}].url`), category: ref.category === undefined ? '' : string(ref.category, `${path}.references[${i}].category`) };
  });
  return {
    cve,
    description,
    referenceUrls: references.map((r) => r.url),
    ...referenceAliases(cve, references),
    releaseDate: date(o.release_date, `${path}.release_date`),
    productStatus,
    scores: array(o.scores, `${path}.scores`).map((s, i) => {
      const so = object(s, `${path}.scores[${i}]`);
      return {
        v2: cvss(so.cvss_v2, `${path}.scores[${i}].cvss_v2`),
        v3: cvss(so.cvss_v3, `${path}.scores[${i}].cvss_v3`),
        v4: cvss(so.cvss_v4, `${path}.scores[${i}].cvss_v4`),
        products: strings(so.products, `${path}.scores[${i}].products`),
      };
    }),
    threats: array(o.threats, `${path}.threats`).map((t, i) => {
      const to = object(t, `${path}.threats[${i}]`);
      return { category: string(to.category, `${path}.threats[${i}].category`), details: string(to.details, `${path}.threats[${i}].details`), productIds: strings(to.product_ids, `${path}.threats[${i}].product_ids`) };
    }),
    remediations: array(o.remediations, `${path}.remediations`).map((r, i) => {
      const ro = object(r, `${path}.remediations[${i}]`);
      return { category: string(ro.category, `${path}.remediations[${i}].category`), url: string(ro.url, `${path}.remediations[${i}].url`), productIds: strings(ro.product_ids, `${path}.remediations[${i}].product_ids`) };
    }),
  };
}

/**
 * Decodes a parsed VEX document.
 *
 * @throws CsafShapeError when a field the updater reads has the wrong type.
 */
export function decodeCsaf(json: unknown): CsafDocument {
  if (json === null || json === undefined) throw new CsafShapeError('$', 'an object');
  const root = object(json, '$');
  const document = object(root.document, 'document');
  const tracking = object(document.tracking, 'document.tracking');
  let selfLink = '';
  array(document.references, 'document.references').forEach((r, i) => {
    const ref = object(r, `document.references[${i}]`);
    if (string(ref.category, `document.references[${i}].category`) === 'self') selfLink = string(ref.url, `document.references[${i}].url`);
  });
  const tree = object(root.product_tree, 'product_tree');
  const products = new Map<string, CsafProduct>();
  collectProducts(tree, 'product_tree', products);
  const relationships = array(tree.relationships, 'product_tree.relationships').map((r, i): CsafRelationship => {
    const path = `product_tree.relationships[${i}]`;
    const o = object(r, path);
    return {
      category: string(o.category, `${path}.category`),
      productId: string(object(o.full_product_name, `${path}.full_product_name`).product_id, `${path}.full_product_name.product_id`),
      productReference: string(o.product_reference, `${path}.product_reference`),
      relatesTo: string(o.relates_to_product_reference, `${path}.relates_to_product_reference`),
    };
  });
  return {
    trackingId: string(tracking.id, 'document.tracking.id'),
    trackingStatus: string(tracking.status, 'document.tracking.status'),
    selfLink,
    products,
    relationships,
    vulnerabilities: array(root.vulnerabilities, 'vulnerabilities').map((v, i) => vulnerability(v, `vulnerabilities[${i}]`)),
  };
}

/** Where Red Hat's CVE pages live: the namespace of a VEX record's own alias, as upstream. */
export const RED_HAT_CVE_SPACE = 'https://access.redhat.com/security/cve/';

/**
 * The aliases a CSAF vulnerability's references give, as claircore's VEX
 * parser reads them: the CVE itself; a Bugzilla link's `id=` as `RHBZ`; a
 * `pkg.go.dev/vuln/GO-…` link as `GO`; and the record's own alias, Red
 * Hat's CVE page, when a `self` reference is present.
 */
function referenceAliases(cve: string, references: ReadonlyArray<{ url: string; category: string }>): { aliases: Alias[]; self: Alias | undefined } {
  const aliases: Alias[] = [];
  const asCve = aliasOf(cve);
  if (asCve?.space === 'CVE') aliases.push(asCve);
  let self: Alias | undefined;
  for (const { url, category } of references) {
    if (category === 'self') self = { space: RED_HAT_CVE_SPACE, name: cve };
    if (category !== 'external') continue;
    if (url.startsWith('https://bugzilla.redhat.com/')) {
      const id = url.split('id=')[1];
      if (id) aliases.push({ space: 'RHBZ', name: id });
    } else if (url.startsWith('https://pkg.go.dev/vuln/')) {
      const go = aliasOf(url.slice(url.lastIndexOf('/') + 1));
      if (go?.space === 'GO') aliases.push(go);
    }
  }
  return { aliases, self };
}
