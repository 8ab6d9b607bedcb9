/**
 * @module AffectedManifests (the notifier's reverse lookup): for each
 * vulnerability and each rule whose constraints the vulnerability can
 * satisfy, the stored index records of packages (or source packages) of the
 * vulnerability's package name that agree on those constraints and that the
 * rule accepts. The rules are the matchers', handed over by the composition
 * root (as libindex is given claircore's matchers): the indexer knows no
 * matcher.
 *
 * Package names are looked up in batches, one indexed query per batch, and
 * the event loop gets a turn between batches and during long comparisons, so
 * a large request never freezes the process (health checks included).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { IndexerStore, StoredIndexRecord } from '../store/indexer-store.js';
import type { AffectedManifests, IndexRecord, MatchConstraint, Vulnerability } from '../model/index.js';
import { CONSTRAINT_FIELDS } from '../model/match-constraint.js';

/** One way a vulnerability can affect an index record: a matcher's constraints and its verdict. */
export interface AffectedRule {
  /** The fields a record must share with the vulnerability (the matcher's `query`). */
  readonly constraints: readonly MatchConstraint[];
  /** Whether the vulnerability affects the record (the matcher's `filter` and `vulnerable`). */
  affects(record: IndexRecord, vulnerability: Vulnerability): boolean;
}

/** Package names per lookup query. */
const NAMES_PER_QUERY = 200;
/** Record comparisons between turns of the event loop. */
const COMPARISONS_PER_TURN = 2_000;

/** Whether `record` agrees with `vuln` on every field `rule` constrains; `undefined` when the vulnerability is not of this rule's kind. */
function agrees(rule: AffectedRule, vuln: Vulnerability, record: StoredIndexRecord): boolean | undefined {
  for (const c of rule.constraints) {
    if (c === 'HasFixedInVersion') {
      if (vuln.fixed_in_version === '') return undefined;
      continue;
    }
    const field = CONSTRAINT_FIELDS[c];
    const wanted = field.vulnerability(vuln);
    // An empty value means the vulnerability is not of this matcher's kind.
    if (wanted === '' && c !== 'PackageModule') return undefined;
    if (field.record(record) !== wanted) return false;
  }
  return true;
}

export async function affectedManifests(store: Pick<IndexerStore, 'indexRecordsByPackageName'>, vulnerabilities: readonly Vulnerability[], rules: readonly AffectedRule[]): Promise<AffectedManifests> {
  const result: AffectedManifests = { vulnerabilities: {}, vulnerable_manifests: {} };
  const byName = new Map<string, Vulnerability[]>();
  for (const v of vulnerabilities) {
    if (v.package.name === '') continue;
    byName.set(v.package.name, [...(byName.get(v.package.name) ?? []), v]);
  }
  const names = [...byName.keys()];
  const found = new Map<Vulnerability, Set<string>>();
  let comparisons = 0;
  for (let i = 0; i < names.length; i += NAMES_PER_QUERY) {
    const batch = names.slice(i, i + NAMES_PER_QUERY);
    const candidates = await store.indexRecordsByPackageName(batch);
    for (const name of batch) {
      const records = candidates.get(name) ?? [];
      for (const vuln of byName.get(name)!) {
        for (const rule of rules) {
          for (const record of records) {
            if (++comparisons % COMPARISONS_PER_TURN === 0) await yieldToEventLoop();
            const digests = found.get(vuln);
            if (digests && record.manifests.every((m) => digests.has(m))) continue;
            const agreement = agrees(rule, vuln, record);
            if (agreement === undefined) break;
            if (!agreement || !rule.affects(record, vuln)) continue;
            const into = digests ?? new Set<string>();
            for (const m of record.manifests) into.add(m);
            found.set(vuln, into);
          }
        }
      }
    }
    await yieldToEventLoop();
  }
  for (const vuln of vulnerabilities) {
    const digests = found.get(vuln);
    if (!digests) continue;
    result.vulnerabilities[vuln.id] = vuln;
    for (const digest of digests) (result.vulnerable_manifests[digest] ??= []).push(vuln.id);
  }
  return result;
}
