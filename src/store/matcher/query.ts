/**
 * @module Vulnerability lookups for matching, as claircore's query builder:
 * the package or its source package by (name, kind), every constraint column
 * equal, optionally only fixed records or records whose normalized range
 * holds a version, and only what the latest operation of each updater holds.
 * Queries sharing the same constraint columns run as one statement.
 */
import type { Queryable } from '../database.js';
import type { MatchCandidate, MatchColumn, VulnerabilityQuery } from '../matcher-store.js';
import { VULN_SELECT, wireVulnerability, type VulnRow } from './vuln-row.js';

const COLUMNS: readonly MatchColumn[] = [
  'dist_id', 'dist_name', 'dist_version', 'dist_version_code_name', 'dist_version_id', 'dist_arch', 'dist_cpe', 'dist_pretty_name',
  'repo_name', 'repo_key', 'repo_uri', 'package_module',
];

/** Groups queries by shape so each group is one statement over unnested parameters. */
function shapeOf(q: VulnerabilityQuery): string {
  const cols = COLUMNS.filter((c) => q.constraints[c] !== undefined);
  return `${cols.join(',')}|${q.hasFixedInVersion ? 'f' : ''}|${q.versionIn ? q.versionIn.kind : ''}`;
}

async function runGroup(q: Queryable, queries: Array<{ index: number; query: VulnerabilityQuery }>): Promise<Map<number, MatchCandidate[]>> {
  const first = queries[0]!.query;
  const cols = COLUMNS.filter((c) => first.constraints[c] !== undefined);
  const idx: number[] = [];
  const names: string[] = [];
  const kinds: string[] = [];
  const colValues: string[][] = cols.map(() => []);
  const versions: string[] = [];
  for (const { index, query } of queries) {
    for (const n of query.names) {
      idx.push(index);
      names.push(n.name);
      kinds.push(n.kind);
      cols.forEach((c, i) => colValues[i]!.push(query.constraints[c]!));
      versions.push(query.versionIn ? `{${query.versionIn.v.join(',')}}` : '{}');
    }
  }
  const params: unknown[] = [idx, names, kinds, ...colValues, versions];
  const aliases = ['i', 'name', 'kind', ...cols.map((_, i) => `c${i}`), 'ver'];
  const types = ['int[]', 'text[]', 'text[]', ...cols.map(() => 'text[]'), 'text[]'];
  const conditions = ['v.package_name = u.name', 'v.package_kind = u.kind', ...cols.map((c, i) => `v.${c} = u.c${i}`)];
  if (first.hasFixedInVersion) conditions.push("v.fixed_in_version <> ''");
  if (first.versionIn) {
    params.push(first.versionIn.kind);
    conditions.push(`v.version_kind = $${params.length}`, 'v.vulnerable_range @> u.ver::int[]');
  }
  // No DISTINCT: uo_vuln holds a (operation, vulnerability) pair once and only
  // the latest operation of each updater joins, so rows cannot repeat.
  const sql = `SELECT u.i AS query_index, ${VULN_SELECT}
    FROM unnest(${types.map((t, i) => `$${i + 1}::${t}`).join(', ')}) AS u(${aliases.join(', ')})
    JOIN vuln v ON ${conditions.join(' AND ')}
    JOIN uo_vuln uv ON uv.vuln = v.id
    JOIN (SELECT DISTINCT ON (updater) id FROM update_operation WHERE kind = 'vulnerability' ORDER BY updater, id DESC) l ON l.id = uv.uo`;
  const { rows } = await q.query<VulnRow & { query_index: number }>(sql, params);
  const out = new Map<number, MatchCandidate[]>();
  for (const row of rows) {
    const list = out.get(row.query_index) ?? [];
    list.push({ vulnerability: wireVulnerability(row), notVulnerable: row.not_vulnerable });
    out.set(row.query_index, list);
  }
  return out;
}

export async function queryVulnerabilities(q: Queryable, queries: readonly VulnerabilityQuery[]): Promise<MatchCandidate[][]> {
  const groups = new Map<string, Array<{ index: number; query: VulnerabilityQuery }>>();
  queries.forEach((query, index) => {
    if (query.names.length === 0) return;
    const key = shapeOf(query);
    groups.set(key, [...(groups.get(key) ?? []), { index, query }]);
  });
  const results: MatchCandidate[][] = queries.map(() => []);
  for (const group of groups.values()) {
    for (const [index, candidates] of await runGroup(q, group)) {
      results[index] = candidates.sort((a, b) => Number(a.vulnerability.id) - Number(b.vulnerability.id));
    }
  }
  return results;
}
