/**
 * @module OSV advisory → `VulnerabilityRecord`s, after claircore's
 * `updater/osv` (`ecs.Insert`):
 *
 * - skipped: withdrawn advisories, advisories without `affected`, GIT ranges
 *   (so GIT-only advisories give nothing), ranges of any other type than
 *   SEMVER/ECOSYSTEM, ECOSYSTEM ranges for Go, and `affected`
 *   entries of another ecosystem than the bundle being read.
 * - SEMVER ranges: one record per interval (introduced, fixed|last_affected)
 *   with a normalized `semver` range; `fixedInVersion` is the fixed version.
 * - ECOSYSTEM ranges (PyPI, Maven, RubyGems, Packagist, NuGet, …): one
 *   record per interval with `fixedInVersion` as the query string
 *   `introduced=…&fixed=…&lastAffected=…` that the OSV matching rule reads;
 *   no `range`. npm and crates.io versions are SemVer by definition, so their
 *   ECOSYSTEM ranges are read as SEMVER ranges.
 *
 * Pure: no I/O, nothing throws for odd input (unusable parts are skipped).
 */
import { aliasOf } from '../../model/alias.js';
import type { VersionRange, VulnerabilityRecord, VulnerableRepository } from '../../model/vulnerability-record.js';
import type { NormalizedSeverity } from '../../model/vulnerability.js';
import { crates, gomod, semver, type NormalizedVersion } from '../../versions/index.js';
import { cvss2BaseScore, cvss3BaseScore, severityFromCvss2Score, severityFromCvss3Score } from './cvss.js';

/** Link prefix for an advisory's osv.dev page. */
export const OSV_LINK_PREFIX = 'https://osv.dev/vulnerability/';

/** The persisted updater name for an ecosystem: `osv/pypi`, `osv/go`, `osv/crates.io`. */
export function osvUpdaterName(ecosystem: string): string {
  return `osv/${ecosystem.toLowerCase()}`;
}

/** Repositories, equal to the defaults the package scanners emit. */
const REPOSITORIES: Record<string, VulnerableRepository> = {
  pypi: { name: 'pypi', key: '', uri: 'https://pypi.org/simple' },
  maven: { name: 'maven', key: '', uri: 'https://repo1.maven.apache.org/maven2' },
  rubygems: { name: 'rubygems', key: '', uri: 'https://rubygems.org/gems/' },
  go: { name: 'go', key: '', uri: 'https://pkg.go.dev/' },
  npm: { name: 'npm', key: '', uri: 'https://www.npmjs.com/' },
  'crates.io': { name: 'crates.io', key: '', uri: 'https://crates.io/' },
  nuget: { name: 'nuget', key: '', uri: 'https://www.nuget.org/packages/' },
  packagist: { name: 'packagist', key: '', uri: 'https://packagist.org/' },
};

/** The repository of an ecosystem's records: `{name: <eco lower>, uri}`. */
export function osvRepository(ecosystem: string): VulnerableRepository {
  const name = ecosystem.toLowerCase();
  const known = REPOSITORIES[name];
  return known ? { ...known } : { name, key: '', uri: '' };
}

/** PEP 503 name normalization. */
export function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The record's package name: PEP 503 for PyPI; lower case for NuGet and
 * Packagist, whose names are case-insensitive (the PHP and .NET scanners
 * lower-case theirs too); OSV's name otherwise.
 */
export function osvPackageName(ecosystem: string, name: string): string {
  switch (ecosystem.toLowerCase()) {
    case 'pypi':
      return pep503(name);
    case 'nuget':
    case 'packagist':
      return name.toLowerCase();
    default:
      return name;
  }
}

/** `[65535 × 10]`: the "no upper bound" of a SEMVER range. */
export const INFINITE_UPPER: readonly number[] = Object.freeze(Array.from({ length: 10 }, () => 65535));
const ZERO: readonly number[] = Object.freeze(Array.from({ length: 10 }, () => 0));

/** Normalizes a SEMVER-range version as the ecosystem spells it (Go without `v`). */
export function normalizeSemverEvent(ecosystem: string, version: string): NormalizedVersion | undefined {
  const eco = ecosystem.toLowerCase();
  if (eco === 'go') {
    const g = gomod.parse(version.startsWith('v') ? version : `v${version}`);
    if (g.ok) return gomod.normalize(g.version);
  }
  if (eco === 'crates.io') {
    const c = crates.parse(version);
    if (c.ok) return crates.normalize(c.version);
  }
  const s = semver.parse(version);
  return s.ok ? semver.normalize(s.version) : undefined;
}

/** One interval of a range's events. */
export interface OsvInterval {
  introduced?: string | undefined;
  fixed?: string | undefined;
  lastAffected?: string | undefined;
}

interface OsvEvent {
  introduced?: unknown;
  fixed?: unknown;
  last_affected?: unknown;
  limit?: unknown;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Splits a range's events into intervals, in order: `introduced` opens one
 * (an open one without an end stays open-ended), `fixed`/`last_affected`
 * closes it (without an `introduced`, from the beginning); `limit` is ignored.
 */
export function intervals(events: readonly OsvEvent[]): OsvInterval[] {
  const out: OsvInterval[] = [];
  let open: OsvInterval | undefined;
  for (const ev of events) {
    if (typeof ev !== 'object' || ev === null) continue;
    const introduced = str(ev.introduced);
    const fixed = str(ev.fixed);
    const last = str(ev.last_affected);
    if (introduced !== undefined) {
      if (open) out.push(open);
      open = { introduced };
    } else if (fixed !== undefined || last !== undefined) {
      const iv: OsvInterval = open ?? {};
      if (fixed !== undefined) iv.fixed = fixed;
      else iv.lastAffected = last;
      out.push(iv);
      open = undefined;
    }
  }
  if (open) out.push(open);
  return out;
}

/** The ECOSYSTEM-range query string: `introduced=X&fixed=Y&lastAffected=Z`, keys present only, introduced `0` left out. */
export function ecosystemQuery(iv: OsvInterval): string {
  const q = new URLSearchParams();
  if (iv.introduced !== undefined && iv.introduced !== '0') q.set('introduced', iv.introduced);
  if (iv.fixed !== undefined) q.set('fixed', iv.fixed);
  if (iv.lastAffected !== undefined) q.set('lastAffected', iv.lastAffected);
  return q.toString();
}

/** The SEMVER-range record fields of an interval; `undefined` when a bound does not parse. */
export function semverRange(ecosystem: string, iv: OsvInterval): { range: VersionRange; fixedInVersion: string } | undefined {
  let lower: readonly number[] = ZERO;
  if (iv.introduced !== undefined && iv.introduced !== '0') {
    const n = normalizeSemverEvent(ecosystem, iv.introduced);
    if (!n) return undefined;
    lower = n.v;
  }
  let upper: readonly number[] = INFINITE_UPPER;
  if (iv.fixed !== undefined) {
    const n = normalizeSemverEvent(ecosystem, iv.fixed);
    if (!n) return undefined;
    upper = n.v;
  } else if (iv.lastAffected !== undefined) {
    const n = normalizeSemverEvent(ecosystem, iv.lastAffected);
    if (!n) return undefined;
    upper = n.v.map((x, i) => (i === 3 ? x + 1 : x));
  }
  return { range: { kind: 'semver', lower: [...lower], upper: [...upper] }, fixedInVersion: iv.fixed ?? '' };
}

/** claircore's `database_specific.severity` mapping (moderate = Medium). */
export function severityFromText(text: unknown): NormalizedSeverity {
  if (typeof text !== 'string') return 'Unknown';
  switch (text.trim().toLowerCase()) {
    case 'negligible':
    case 'none':
      return 'Negligible';
    case 'low':
      return 'Low';
    case 'moderate':
    case 'medium':
      return 'Medium';
    case 'high':
    case 'important':
      return 'High';
    case 'critical':
      return 'Critical';
    default:
      return 'Unknown';
  }
}

/** The record severity: a CVSS vector (v3, else v2, else v4) and its rating, else `database_specific.severity`. */
export function osvSeverity(advisory: Record<string, unknown>): { severity: string; normalizedSeverity: NormalizedSeverity } {
  const list = Array.isArray(advisory.severity) ? (advisory.severity as unknown[]) : [];
  const byType = new Map<string, string>();
  for (const s of list) {
    if (typeof s !== 'object' || s === null) continue;
    const { type, score } = s as { type?: unknown; score?: unknown };
    if (typeof type === 'string' && typeof score === 'string' && score !== '' && !byType.has(type)) byType.set(type, score);
  }
  const fallback = severityFromText((advisory.database_specific as { severity?: unknown } | undefined)?.severity);
  const v3 = byType.get('CVSS_V3');
  if (v3 !== undefined) {
    const score = cvss3BaseScore(v3);
    return { severity: v3, normalizedSeverity: score === undefined ? fallback : severityFromCvss3Score(score) };
  }
  const v2 = byType.get('CVSS_V2');
  if (v2 !== undefined) {
    const score = cvss2BaseScore(v2);
    return { severity: v2, normalizedSeverity: score === undefined ? fallback : severityFromCvss2Score(score) };
  }
  const v4 = byType.get('CVSS_V4');
  if (v4 !== undefined) return { severity: v4, normalizedSeverity: fallback };
  return { severity: '', normalizedSeverity: fallback };
}

/** Why an advisory gives no records, or `undefined` when it may give some. */
export function skipReason(advisory: Record<string, unknown>, now: Date = new Date()): string | undefined {
  if (typeof advisory.id !== 'string' || advisory.id === '') return 'no id';
  const withdrawn = advisory.withdrawn;
  if (typeof withdrawn === 'string' && withdrawn !== '') {
    const t = Date.parse(withdrawn);
    if (Number.isNaN(t) || t <= now.getTime()) return 'withdrawn';
  }
  if (!Array.isArray(advisory.affected) || advisory.affected.length === 0) return 'no affected entries';
  return undefined;
}

function baseEcosystem(eco: unknown): string | undefined {
  if (typeof eco !== 'string') return undefined;
  const i = eco.indexOf(':');
  return (i < 0 ? eco : eco.slice(0, i)).trim().toLowerCase();
}

/**
 * The records of one advisory read from `ecosystem`'s bundle (`PyPI`, `Go`,
 * …). Yields nothing for skipped advisories (see {@link skipReason}).
 */
export function* osvRecords(advisory: Record<string, unknown>, ecosystem: string, now: Date = new Date()): Generator<VulnerabilityRecord> {
  if (skipReason(advisory, now) !== undefined) return;
  const eco = ecosystem.toLowerCase();
  const id = advisory.id as string;
  const summary = str(advisory.summary);
  const details = str(advisory.details);
  const links: string[] = [];
  if (Array.isArray(advisory.references)) {
    for (const ref of advisory.references as unknown[]) {
      const url = str((ref as { url?: unknown } | null)?.url);
      if (url !== undefined && !links.includes(url)) links.push(url);
    }
  }
  const self = `${OSV_LINK_PREFIX}${id}`;
  if (!links.includes(self)) links.push(self);
  // Ids are `<PREFIX>-<rest>` per the OSV schema; one without a prefix is
  // kept as a record and has no alias (upstream drops the whole advisory).
  const selfAlias = aliasOf(id);
  const aliases = Array.isArray(advisory.aliases)
    ? (advisory.aliases as unknown[]).flatMap((a) => (typeof a === 'string' ? (aliasOf(a.trim()) ?? []) : []))
    : [];
  const published = str(advisory.published);
  const issuedMs = published === undefined ? NaN : Date.parse(published);
  const { severity, normalizedSeverity } = osvSeverity(advisory);
  const updater = osvUpdaterName(ecosystem);

  for (const af of advisory.affected as unknown[]) {
    if (typeof af !== 'object' || af === null) continue;
    const pkg = (af as { package?: unknown }).package as { name?: unknown; ecosystem?: unknown } | undefined;
    const name = str(pkg?.name);
    if (name === undefined || baseEcosystem(pkg?.ecosystem) !== eco) continue;
    const ranges = (af as { ranges?: unknown }).ranges;
    if (!Array.isArray(ranges)) continue;
    for (const r of ranges as unknown[]) {
      if (typeof r !== 'object' || r === null) continue;
      const type = (r as { type?: unknown }).type;
      const events = (r as { events?: unknown }).events;
      if (!Array.isArray(events)) continue;
      if (type !== 'SEMVER' && type !== 'ECOSYSTEM') continue; // GIT: not fetching source
      if (type === 'ECOSYSTEM' && eco === 'go') continue;
      // npm and crates.io versions are semver by definition, so their
      // ECOSYSTEM ranges (how GHSA publishes them) are SEMVER ranges;
      // upstream drops npm's, leaving npm nearly uncovered.
      const semverRanged = type === 'SEMVER' || eco === 'npm' || eco === 'crates.io';
      for (const iv of intervals(events as OsvEvent[])) {
        let fixedInVersion: string;
        let range: VersionRange | undefined;
        if (semverRanged) {
          const s = semverRange(ecosystem, iv);
          if (!s) continue;
          ({ fixedInVersion, range } = s);
        } else {
          fixedInVersion = ecosystemQuery(iv);
        }
        const rec: VulnerabilityRecord = {
          updater,
          name: id,
          description: summary ?? details ?? '',
          issued: Number.isNaN(issuedMs) ? undefined : new Date(issuedMs),
          links: links.join(' '),
          severity,
          normalizedSeverity,
          package: { name: osvPackageName(ecosystem, name), version: '', module: '', arch: '', kind: 'binary' },
          repository: osvRepository(ecosystem),
          fixedInVersion,
          archOp: '',
        };
        if (range) rec.range = range;
        if (selfAlias) rec.self = selfAlias;
        if (aliases.length > 0) rec.aliases = aliases;
        yield rec;
      }
    }
  }
}
