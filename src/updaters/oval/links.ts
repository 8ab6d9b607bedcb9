/** @module The `links` of a record made from an OVAL definition (claircore `ovalutil.Links`). */
import type { OvalDefinition } from './types.js';

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
