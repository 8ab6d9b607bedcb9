/**
 * @module Alpine secdb entries → records, as claircore's `alpine/parser.go`:
 * one record per (package, fixed version, id), the package matched by its
 * source (origin) name, severity always Unknown. Ids are kept verbatim,
 * including annotated ones like `CVE-2019-5060 TALOS-2019-0844`, exactly as
 * claircore stores them. A fixed version of `0` ("never affected") is
 * stored as is; the matcher reads it as not vulnerable.
 */
import type { VulnerabilityRecord, VulnerableDistribution } from '../../model/vulnerability-record.js';
import type { SecdbPackage } from './secdb.js';
import { aliasOf, normalizeAliases, withAliases, type Alias } from '../../model/alias.js';

/** Where claircore links Alpine ids (the id is appended verbatim). */
export const ALPINE_LINK_PREFIX = 'https://security.alpinelinux.org/vuln/';

/**
 * The records of one secdb package entry: one per (fixed version, id), for
 * the source package, with `idsOf` turning a secfix's id list into ids and
 * `linkPrefix` + id as the link.
 */
export function secfixRecords(
  pkg: SecdbPackage,
  updater: string,
  dist: VulnerableDistribution,
  idsOf: (entries: readonly string[]) => readonly string[],
  linkPrefix: string,
): VulnerabilityRecord[] {
  const out: VulnerabilityRecord[] = [];
  for (const [fixed, entries] of pkg.secfixes) {
    for (const id of idsOf(entries)) {
      out.push({
        updater,
        name: id,
        description: '',
        links: linkPrefix + id,
        severity: '',
        normalizedSeverity: 'Unknown',
        package: { name: pkg.name, version: '', module: '', arch: '', kind: 'source' },
        distribution: { ...dist },
        fixedInVersion: fixed,
        archOp: '',
        ...withAliases(annotatedAliases(id)),
      });
    }
  }
  return out;
}

/** Builds the records of one package entry for a release's distribution: ids verbatim, as claircore. */
export function alpineRecords(pkg: SecdbPackage, updater: string, dist: VulnerableDistribution): VulnerabilityRecord[] {
  return secfixRecords(pkg, updater, dist, (ids) => ids, ALPINE_LINK_PREFIX);
}

/**
 * The ids of an annotated entry (`CVE-2019-5060 TALOS-2019-0844` names both
 * the CVE and the vendor advisory) as aliases; none for a single id, which
 * is the record's name already.
 */
export function annotatedAliases(id: string): Alias[] {
  const parts = id.trim().split(/\s+/);
  return parts.length < 2 ? [] : normalizeAliases(parts.flatMap((p) => aliasOf(p) ?? []));
}
