/** @module Converts the coalesced, stored artifacts to the wire IndexReport shapes. */
import type { Distribution, IndexReport, Package, Repository } from '../model/index.js';
import { formatNormalized } from '../versions/scheme.js';
import type { PartialReport } from './ecosystem.js';
import type { ScannedPackage, StoredDistribution, StoredPackage, StoredRepository } from '../model/scanned.js';

function toPackage(p: Omit<ScannedPackage, 'source'> & { id: string }, source?: Package): Package {
  // Key order follows upstream's JSON: id, name, version, kind, source, normalized_version, module, arch, cpe.
  return {
    id: p.id,
    name: p.name,
    version: p.version,
    kind: p.kind,
    ...(source ? { source } : {}),
    normalized_version: p.normalizedVersion ? formatNormalized(p.normalizedVersion) : '',
    ...(p.module !== '' ? { module: p.module } : {}),
    ...(p.arch !== '' ? { arch: p.arch } : {}),
    cpe: p.cpe,
  };
}

export function wirePackage(p: StoredPackage): Package {
  return toPackage(p, p.source ? toPackage(p.source) : undefined);
}

export function wireDistribution(d: StoredDistribution): Distribution {
  return {
    id: d.id,
    did: d.did,
    name: d.name,
    version: d.version,
    version_code_name: d.versionCodeName,
    version_id: d.versionId,
    arch: d.arch,
    cpe: d.cpe,
    pretty_name: d.prettyName,
  };
}

export function wireRepository(r: StoredRepository): Repository {
  return {
    id: r.id,
    ...(r.name !== '' ? { name: r.name } : {}),
    ...(r.key !== '' ? { key: r.key } : {}),
    ...(r.uri !== '' ? { uri: r.uri } : {}),
    cpe: r.cpe,
  };
}

/** Fills a report's content maps from the coalesced artifacts, sorted by id for stable output. */
export function fillReport(report: IndexReport, partial: PartialReport): IndexReport {
  const byId = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  report.packages = Object.fromEntries(byId(partial.packages).map(([id, p]) => [id, wirePackage(p)]));
  report.distributions = Object.fromEntries(byId(partial.distributions).map(([id, d]) => [id, wireDistribution(d)]));
  report.repository = Object.fromEntries(byId(partial.repositories).map(([id, r]) => [id, wireRepository(r)]));
  report.environments = Object.fromEntries(byId(partial.environments).filter(([id]) => partial.packages.has(id)));
  return report;
}
