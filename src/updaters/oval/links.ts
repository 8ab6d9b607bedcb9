/** @module The `links` (claircore `ovalutil.Links`) and aliases of a record made from an OVAL definition. */
import type { OvalDefinition } from './types.js';
import { aliasOf, normalizeAliases, type Alias } from '../../model/alias.js';

/**
 * Reference URLs, then advisory `<ref>`s, `<bug>`s and CVE hrefs, joined by
 * spaces, as claircore orders them. Unlike claircore, empty entries (Photon's
 * CVEs carry no href) and repeats (Oracle lists each CVE page twice) are
 * dropped, so the text is a clean list of distinct URLs.
 */
export function ovalLinks(def: OvalDefinition): string {
  const all = [
    ...def.references.map((r) => r.refUrl),
    ...def.advisory.refs,
    ...def.advisory.bugs,
    ...def.advisory.cves.map((c) => c.href),
  ];
  return [...new Set(all.map((l) => l.trim()).filter((l) => l !== ''))].join(' ');
}

/** An advisory or CVE id inside vendor text: `CVE-2023-1001`, `ELSA-2023-0001`, `RHSA-2023:1234`. */
const ADVISORY_ID = /\b[A-Z]+-\d{4}(?:-\d{4,}|:\d+)\b/g;

/**
 * The other identifiers a definition names for its flaw, found in each
 * `<reference ref_id>` and advisory `<cve>` (vendors wrap them:
 * `Mitre CVE-2023-1001`, `CVE:00001:CVE-2023-4001`, `CVE-… at SUSE`),
 * without the record's own `name`. claircore reads no OVAL aliases; they let
 * enrichment and the reports join, for example, an ELSA to the CVEs it fixes.
 */
export function ovalAliases(def: OvalDefinition, name: string): Alias[] {
  const texts = [...def.references.map((r) => r.refId), ...def.advisory.cves.map((c) => c.id)];
  const ids = new Set(texts.flatMap((t) => t.match(ADVISORY_ID) ?? []));
  ids.delete(name.trim());
  return normalizeAliases([...ids].flatMap((id) => aliasOf(id) ?? []));
}
