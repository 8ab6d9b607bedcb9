/**
 * @module Vulnerability aliases (claircore `Alias`): other identifiers of
 * the same flaw, such as the CVE a GHSA advisory or a distribution's
 * advisory is about. An alias is a namespace and a name within it:
 * `{space: "CVE", name: "2024-3094"}`, `{space: "GHSA", name: "…"}`, or a
 * URI namespace such as Red Hat's CVE pages. Pure.
 */

export interface Alias {
  space: string;
  name: string;
}

/**
 * An OSV-style identifier split at its first `-` (`GHSA-xxxx-…` →
 * `GHSA` + `xxxx-…`), as claircore's OSV updater does; undefined for one
 * with no prefix.
 */
export function aliasOf(id: string): Alias | undefined {
  const cut = id.indexOf('-');
  if (cut <= 0 || cut === id.length - 1) return undefined;
  return { space: id.slice(0, cut), name: id.slice(cut + 1) };
}

/**
 * The alias as one identifier: `CVE-2024-3094` for a short namespace, and
 * for a URI namespace the URI with the name appended (after `#` unless the
 * URI ends in `/`), as claircore's `Alias.String`.
 */
export function aliasText(a: Alias): string {
  if (!a.space.includes('://')) return `${a.space}-${a.name}`;
  return a.space.endsWith('/') ? `${a.space}${a.name}` : `${a.space}#${a.name}`;
}

/** Whether both parts are set (claircore `Alias.Valid`); others are dropped when stored. */
export const validAlias = (a: Alias): boolean => a.space !== '' && a.name !== '';

/** Valid aliases without repeats, sorted by their text, so equal sets hash and compare alike. */
export function normalizeAliases(aliases: readonly Alias[]): Alias[] {
  const byText = new Map<string, Alias>();
  for (const a of aliases) if (validAlias(a)) byText.set(aliasText(a), { space: a.space, name: a.name });
  return [...byText].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, a]) => a);
}

/**
 * The CVE ids a vulnerability's aliases name, as `CVE-YYYY-N…`: aliases in
 * the `CVE` namespace, and URI aliases whose name is a CVE id (Red Hat's
 * CVE pages).
 */
export function aliasCveIds(aliases: readonly Alias[]): string[] {
  const ids = new Set<string>();
  for (const a of aliases) {
    const text = a.space.toUpperCase() === 'CVE' ? `CVE-${a.name}` : a.name;
    if (/^CVE-\d{4}-\d{4,}$/i.test(text)) ids.add(text.toUpperCase());
  }
  return [...ids].sort();
}

/** `{aliases}` when there are any, else nothing: records leave the field out rather than hold `[]`. */
export const withAliases = (aliases: readonly Alias[]): { aliases?: Alias[] } => (aliases.length > 0 ? { aliases: [...aliases] } : {});
