/**
 * @module AffectedManifests (the notifier's reverse lookup): for each
 * vulnerability and each matcher whose constraints the vulnerability can
 * satisfy, the stored index records of packages (or source packages) of the
 * vulnerability's package name that agree on those constraints and that the
 * matcher's `filter` and `vulnerable` accept.
 *
 * Package names are looked up in batches, one indexed query per batch, and
 * the event loop gets a turn between batches and during long comparisons, so
 * a large request never freezes the process (health checks included).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Queryable } from '../store/database.js';
import { candidateRecords, type CandidateRecord } from '../store/indexer/affected.js';
import type { AffectedManifests, Vulnerability } from '../model/index.js';
import { CONSTRAINT_FIELDS } from '../model/match-constraint.js';
import type { Matcher } from '../matcher/matcher.js';

/** Package names per lookup query. */
const NAMES_PER_QUERY = 200;
/** Record comparisons between turns of the event loop. */
const COMPARISONS_PER_TURN = 2_000;

/** Whether `record` agrees with `vuln` on every field `matcher` constrains; `undefined` when the vulnerability is not of this matcher's kind. */
function agrees(matcher: Matcher, vuln: Vulnerability, record: CandidateRecord): boolean | undefined {
  for (const c of matcher.query()) {
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

export async function affectedManifests(q: Queryable, vulnerabilities: readonly Vulnerability[], matchers: readonly Matcher[]): Promise<AffectedManifests> {
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
    const candidates = await candidateRecords(q, batch);
    for (const name of batch) {
      const records = candidates.get(name) ?? [];
      for (const vuln of byName.get(name)!) {
        for (const matcher of matchers) {
          for (const record of records) {
            if (++comparisons % COMPARISONS_PER_TURN === 0) await yieldToEventLoop();
            const digests = found.get(vuln);
            if (digests?.has(record.manifest)) continue;
            const agreement = agrees(matcher, vuln, record);
            if (agreement === undefined) break;
            if (!agreement || !matcher.filter(record) || !matcher.vulnerable(record, vuln)) continue;
            found.set(vuln, (digests ?? new Set()).add(record.manifest));
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
