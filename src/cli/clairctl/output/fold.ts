/**
 * @module One finding per flaw: findings of one package whose
 * vulnerabilities are the same flaw under different names (a GHSA and the
 * PYSEC advisory aliasing it, an ELSA and the CVE it fixes) fold into one,
 * for the formats people read (text, SARIF). The machine formats (json,
 * xml, quay, CycloneDX, SPDX) keep every record as Clair reports it.
 *
 * Two vulnerabilities are the same flaw when their identifiers meet: a
 * record's identifiers are its name, its `Self` and `Aliases` (claircore's
 * fields, as the report carries them), and the CVE ids these name. Folding
 * is transitive. The finding kept is the most severe, then the one with a
 * known fix, then the first by name; the others' names are listed as
 * `alsoKnownAs`.
 */
import { aliasCveIds, aliasText, type Alias } from '../../../model/alias.js';
import type { Vulnerability } from '../../../model/vulnerability.js';
import type { Finding } from './report.js';
import { compareText, severityRank } from './severity.js';

/** A finding, with the other names of the flaw folded into it (sorted; empty when none). */
export interface FoldedFinding extends Finding {
  alsoKnownAs: string[];
}

const CVE_IN_TEXT = /CVE-\d{4}-\d{4,}/gi;

const isAlias = (a: unknown): a is Alias =>
  typeof a === 'object' && a !== null && typeof (a as Alias).space === 'string' && typeof (a as Alias).name === 'string' && (a as Alias).space !== '' && (a as Alias).name !== '';

/** The identifiers of a vulnerability, upper-cased: what folding compares. Reports come from servers, so odd shapes are skipped. */
export function identifiersOf(v: Vulnerability): string[] {
  const aliases = [v.Self, ...(Array.isArray(v.Aliases) ? v.Aliases : [])].filter(isAlias);
  const name = typeof v.name === 'string' ? v.name.trim() : '';
  const ids = new Set<string>();
  if (name !== '') ids.add(name);
  for (const m of name.matchAll(CVE_IN_TEXT)) ids.add(m[0]);
  for (const a of aliases) ids.add(aliasText(a));
  for (const id of aliasCveIds(aliases)) ids.add(id);
  return [...ids].map((id) => id.toUpperCase());
}

/** The names a folded finding lists for a vulnerability: its own, and the CVEs its aliases name. */
function namesOf(v: Vulnerability): string[] {
  const aliases = [v.Self, ...(Array.isArray(v.Aliases) ? v.Aliases : [])].filter(isAlias);
  return [typeof v.name === 'string' ? v.name : '', ...aliasCveIds(aliases)];
}

/** Union-find over finding indexes. */
class Groups {
  readonly #parent: number[];
  constructor(size: number) {
    this.#parent = Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    while (this.#parent[i] !== i) {
      this.#parent[i] = this.#parent[this.#parent[i]!]!;
      i = this.#parent[i]!;
    }
    return i;
  }
  join(a: number, b: number): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.#parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Negative when `a` is the one to keep of two findings of one flaw: more severe, then fixed, then first by name. */
const keepOrder = (a: Finding, b: Finding): number =>
  severityRank(b.severity) - severityRank(a.severity) ||
  Number(a.fixedIn === '') - Number(b.fixedIn === '') ||
  compareText(a.vulnerability.name ?? '', b.vulnerability.name ?? '') ||
  compareText(a.vulnerabilityId, b.vulnerabilityId);

/**
 * `findings` with each package's findings of one flaw folded into one, in
 * the order of the findings kept.
 */
export function foldAliases(findings: readonly Finding[]): FoldedFinding[] {
  const groups = new Groups(findings.length);
  const owner = new Map<string, number>(); // "<package id>\0<identifier>" → first finding holding it
  findings.forEach((f, i) => {
    for (const id of identifiersOf(f.vulnerability)) {
      const key = `${f.packageId}\0${id}`;
      const first = owner.get(key);
      if (first === undefined) owner.set(key, i);
      else groups.join(first, i);
    }
  });
  const members = new Map<number, number[]>();
  findings.forEach((_, i) => {
    const root = groups.find(i);
    const list = members.get(root);
    if (list) list.push(i);
    else members.set(root, [i]);
  });
  const kept: Array<{ at: number; finding: FoldedFinding }> = [];
  for (const indexes of members.values()) {
    const at = indexes.reduce((a, b) => (keepOrder(findings[a]!, findings[b]!) <= 0 ? a : b));
    const keep = findings[at]!;
    const names = new Set(indexes.flatMap((i) => namesOf(findings[i]!.vulnerability)));
    names.delete(keep.vulnerability.name ?? '');
    names.delete('');
    kept.push({ at, finding: { ...keep, alsoKnownAs: [...names].sort(compareText) } });
  }
  return kept.sort((a, b) => a.at - b.at).map((k) => k.finding);
}
