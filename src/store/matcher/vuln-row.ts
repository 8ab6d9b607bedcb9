/**
 * @module Vulnerability rows: the column list, the content hash that makes
 * identical records one row, and the conversion to the wire Vulnerability.
 */
import { createHash } from 'node:crypto';
import type { Vulnerability, VulnerabilityRecord } from '../../model/index.js';
import type { NormalizedSeverity } from '../../model/vulnerability.js';
import type { ArchOp } from '../../model/vulnerability-record.js';
import { normalizeAliases, validAlias, type Alias } from '../../model/alias.js';

/** Columns written per record, in the order {@link recordColumns} returns them. */
export const VULN_COLUMNS = [
  'updater', 'name', 'description', 'issued', 'links', 'severity', 'normalized_severity',
  'package_name', 'package_version', 'package_module', 'package_arch', 'package_kind',
  'dist_id', 'dist_name', 'dist_version', 'dist_version_code_name', 'dist_version_id', 'dist_arch', 'dist_cpe', 'dist_pretty_name',
  'repo_name', 'repo_key', 'repo_uri', 'fixed_in_version', 'arch_operation', 'version_kind', 'vulnerable_range', 'not_vulnerable',
  'self_alias', 'aliases',
] as const;

/** The trailing columns that are JSON, and hashed only when set. */
const ALIAS_COLUMNS = 2;

/** SQL types of {@link VULN_COLUMNS}, for `unnest($n::type[])`. */
export const VULN_COLUMN_TYPES: Record<(typeof VULN_COLUMNS)[number], string> = Object.fromEntries(
  VULN_COLUMNS.map((c) => [c, c === 'issued' ? 'timestamptz' : c === 'not_vulnerable' ? 'boolean' : c === 'self_alias' || c === 'aliases' ? 'jsonb' : 'text']),
) as Record<(typeof VULN_COLUMNS)[number], string>;

const rangeText = (r: VulnerabilityRecord['range']): string =>
  r ? `[${'"{' + r.lower.join(',') + '}"'},${'"{' + r.upper.join(',') + '}"'})` : '(,)';

/** One record's column values, in {@link VULN_COLUMNS} order. */
export function recordColumns(v: VulnerabilityRecord): Array<string | Date | boolean | null> {
  const aliases = normalizeAliases(v.aliases ?? []);
  const d = v.distribution;
  const r = v.repository;
  return [
    v.updater, v.name, v.description, v.issued ?? null, v.links, v.severity, v.normalizedSeverity,
    v.package.name, v.package.version, v.package.module, v.package.arch, v.package.kind,
    d?.did ?? '', d?.name ?? '', d?.version ?? '', d?.versionCodeName ?? '', d?.versionId ?? '', d?.arch ?? '', d?.cpe ?? '', d?.prettyName ?? '',
    r?.name ?? '', r?.key ?? '', r?.uri ?? '', v.fixedInVersion, v.archOp, v.range?.kind ?? '', v.range ? rangeText(v.range) : 'empty', v.notVulnerable === true,
    v.self && validAlias(v.self) ? JSON.stringify({ space: v.self.space, name: v.self.name }) : null,
    aliases.length > 0 ? JSON.stringify(aliases) : null,
  ];
}

/**
 * md5 over every content field, so a record seen again (same updater or a
 * later run) is stored once and re-linked, as claircore's `hash.go`.
 */
export function recordHash(v: VulnerabilityRecord): Buffer {
  const values = recordColumns(v).map((x) => (x instanceof Date ? x.toISOString() : x));
  // A record without aliases hashes as it did before they were stored, so
  // upgrading does not rewrite every row.
  const withoutAliases = values.slice(0, -ALIAS_COLUMNS);
  const hashed = values.slice(-ALIAS_COLUMNS).every((x) => x === null) ? withoutAliases : values;
  return createHash('md5').update(JSON.stringify(hashed)).digest();
}

/** The columns read back to build a wire Vulnerability. */
export const VULN_SELECT = `v.id, v.updater, v.name, v.description, v.issued, v.links, v.severity, v.normalized_severity,
  v.package_name, v.package_version, v.package_module, v.package_arch, v.package_kind,
  v.dist_id, v.dist_name, v.dist_version, v.dist_version_code_name, v.dist_version_id, v.dist_arch, v.dist_cpe, v.dist_pretty_name,
  v.repo_name, v.repo_key, v.repo_uri, v.fixed_in_version, v.arch_operation, v.version_kind,
  lower(v.vulnerable_range)::text AS range_lower, upper(v.vulnerable_range)::text AS range_upper, v.not_vulnerable,
  v.self_alias, v.aliases`;

export interface VulnRow {
  id: number;
  updater: string;
  name: string;
  description: string;
  issued: Date | null;
  links: string;
  severity: string;
  normalized_severity: NormalizedSeverity;
  package_name: string;
  package_version: string;
  package_module: string;
  package_arch: string;
  package_kind: string;
  dist_id: string;
  dist_name: string;
  dist_version: string;
  dist_version_code_name: string;
  dist_version_id: string;
  dist_arch: string;
  dist_cpe: string;
  dist_pretty_name: string;
  repo_name: string;
  repo_key: string;
  repo_uri: string;
  fixed_in_version: string;
  arch_operation: string;
  version_kind: string;
  range_lower: string | null;
  range_upper: string | null;
  not_vulnerable: boolean;
  self_alias: Alias | null;
  aliases: Alias[] | null;
}

const ZERO_TIME = '0001-01-01T00:00:00Z'; // Go's zero time, which upstream reports for "unknown"

/**
 * The wire Vulnerability of a row, shaped as claircore writes a vulnerability
 * read from its store: package, distribution and repository are always
 * objects (never null, which Clair's schema and Quay's client reject), with
 * empty fields where the record has none; the repository leaves out empty
 * fields other than `cpe`, and the package has no id. Range bounds are
 * prefixed with the version kind.
 */
export function wireVulnerability(row: VulnRow): Vulnerability {
  const bound = (text: string | null): string | undefined => {
    if (!text || row.version_kind === '') return undefined;
    return `${row.version_kind}:${text.replace(/[{}]/g, '').split(',').join('.')}`;
  };
  const lower = bound(row.range_lower);
  const upper = bound(row.range_upper);
  return {
    id: String(row.id),
    updater: row.updater,
    name: row.name,
    description: row.description,
    issued: row.issued ? row.issued.toISOString() : ZERO_TIME,
    links: row.links,
    severity: row.severity,
    normalized_severity: row.normalized_severity,
    package: {
      id: '',
      name: row.package_name,
      version: row.package_version,
      ...(row.package_kind === 'binary' || row.package_kind === 'source' || row.package_kind === 'ancestry' ? { kind: row.package_kind } : {}),
      normalized_version: '',
      ...(row.package_module ? { module: row.package_module } : {}),
      ...(row.package_arch ? { arch: row.package_arch } : {}),
      cpe: '',
    },
    distribution: {
      id: '',
      did: row.dist_id,
      name: row.dist_name,
      version: row.dist_version,
      version_code_name: row.dist_version_code_name,
      version_id: row.dist_version_id,
      arch: row.dist_arch,
      cpe: row.dist_cpe,
      pretty_name: row.dist_pretty_name,
    },
    repository: {
      ...(row.repo_name ? { name: row.repo_name } : {}),
      ...(row.repo_key ? { key: row.repo_key } : {}),
      ...(row.repo_uri ? { uri: row.repo_uri } : {}),
      cpe: '',
    },
    fixed_in_version: row.fixed_in_version,
    ...(lower || upper ? { range: { ...(lower ? { '[': lower } : {}), ...(upper ? { ')': upper } : {}) } } : {}),
    ...(row.arch_operation ? { arch_op: row.arch_operation as Exclude<ArchOp, ''> } : {}),
    ...(row.self_alias ? { Self: row.self_alias } : {}),
    ...(row.aliases && row.aliases.length > 0 ? { Aliases: row.aliases } : {}),
  };
}
