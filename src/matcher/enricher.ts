/**
 * @module The enricher contract (claircore `driver.Enricher`): after
 * matching, each enricher reads the finished report, looks up the
 * enrichment records of its own newest update operation by tag, and returns
 * JSON messages filed under its media type in the report's `enrichments`.
 * The data comes from the enricher's updater half
 * (`updaters/enrichment.ts`); the implementations live in `src/enrichers/`
 * and are handed to the matcher by the composition root, as matchers are.
 *
 * Enrichers never change the report they read, and one that fails is logged
 * and left out: the report is still served (claircore `EnrichedMatch`).
 */
import type { Logger } from 'pino';
import type { VulnerabilityReport } from '../model/index.js';
import type { EnrichmentRecord } from '../model/enrichment.js';
import type { MatcherStore } from '../store/matcher-store.js';

/** A handle on one enricher's stored records (claircore `EnrichmentGetter`). */
export interface EnrichmentGetter {
  /**
   * The records whose tags overlap each tag list, one result list per
   * query, in the order of the first query tag they carry.
   */
  get(queries: ReadonlyArray<readonly string[]>): Promise<EnrichmentRecord[][]>;
}

/** What one enricher adds to a report: messages under its media type, none meaning nothing to add. */
export interface Enrichment {
  /** The `enrichments` key, e.g. `message/vnd.clair.map.vulnerability; enricher=clair.cvss schema=…`. */
  type: string;
  messages: unknown[];
}

export interface Enricher {
  /** Persisted, and the name of its updater: operations are looked up by it. Never rename. */
  readonly name: string;
  /** The `enrichments` key its messages go under. */
  readonly type: string;
  enrich(getter: EnrichmentGetter, report: Readonly<VulnerabilityReport>): Promise<Enrichment>;
}

/** The getter an enricher is given: its own name scopes every lookup. */
export function enrichmentGetter(store: Pick<MatcherStore, 'enrichments'>, enricher: string): EnrichmentGetter {
  return { get: (queries) => store.enrichments(enricher, queries) };
}

/**
 * Runs every enricher over `report` and returns its `enrichments` map:
 * messages by media type, with keys in Go's order (sorted), and one that
 * fails logged and left out.
 *
 * A report no enricher has anything for gets `{}`, as upstream. Otherwise
 * every enricher that ran is present, one with nothing to say as `[{}]`:
 * Quay reads only the first list and takes it for CVSS data, which CVSS's
 * key, sorting first, then always is, even for a report with EPSS or KEV
 * data and no CVSS score (upstream leaves such an enricher out, which with
 * only its CVSS enricher never mattered).
 */
export async function runEnrichers(report: Readonly<VulnerabilityReport>, enrichers: readonly Enricher[], store: Pick<MatcherStore, 'enrichments'>, log?: Logger): Promise<Record<string, unknown[]>> {
  const outcomes = await Promise.all(
    enrichers.map(async (e) => {
      try {
        return await e.enrich(enrichmentGetter(store, e.name), report);
      } catch (err) {
        log?.error({ err, enricher: e.name }, 'enrichment error');
        return undefined;
      }
    }),
  );
  const ran = outcomes.filter((o): o is Enrichment => o !== undefined);
  if (ran.every((o) => o.messages.length === 0)) return {};
  const byType = new Map<string, unknown[]>();
  for (const outcome of ran) byType.set(outcome.type, [...(byType.get(outcome.type) ?? []), ...outcome.messages]);
  for (const [type, messages] of byType) if (messages.length === 0) byType.set(type, [{}]);
  return Object.fromEntries([...byType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
