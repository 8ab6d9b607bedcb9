/**
 * @module The `rhel` coalescer (claircore `rhel.Coalescer`): turns the rhel
 * ecosystem's per-layer findings into the image's packages, each with the
 * Red Hat products (CPE repositories) it is matched against.
 *
 * Red Hat's build system does not record product information in every layer,
 * so it is propagated: a layer without Red Hat CPE repositories takes those
 * of the nearest earlier layer that has some, then (for base layers) of the
 * nearest later one. Once any layer has them, every layer does.
 */
import type { Environment } from '../../model/index.js';
import { emptyPartialReport, type Coalescer, type LayerArtifacts, type PartialReport } from '../../indexer/ecosystem.js';
import type { StoredDistribution, StoredPackage, StoredRepository } from '../../model/scanned.js';
import { firstValue, parseGoQuery } from './go-query.js';
import { RHEL_CPE_REPOSITORY_KEY } from '../../model/releases.js';

const redHatRepos = (repos: readonly StoredRepository[]): StoredRepository[] => repos.filter((r) => r.key === RHEL_CPE_REPOSITORY_KEY);

/**
 * The repositories of each layer after claircore's propagation: forward to
 * every later layer lacking Red Hat CPE repositories, then backward to
 * every earlier one.
 */
export function propagateRedHatRepos(layers: readonly LayerArtifacts[]): StoredRepository[][] {
  const repos = layers.map((l) => [...l.repositories]);
  let prev: StoredRepository[] = [];
  for (let i = 0; i < repos.length; i++) {
    const own = redHatRepos(repos[i]!);
    if (own.length > 0) prev = own;
    else repos[i]!.push(...prev);
  }
  // `prev` carries over from the forward pass, as in claircore.
  for (let i = repos.length - 1; i >= 0; i--) {
    const own = redHatRepos(repos[i]!);
    if (own.length > 0) prev = own;
    else repos[i]!.push(...prev);
  }
  return repos;
}

/**
 * The repository ids of a package's environment: those of the layer whose
 * URI `repoid` equals the `repoid` of the package's repository hint (none
 * matching gives `null`, as claircore's nil slice), or, when the hint names no
 * repoid, every repository of the layer.
 */
export function environmentRepositoryIds(pkg: StoredPackage, repos: readonly StoredRepository[]): string[] | null {
  // A malformed hint still yields what did parse, as claircore ignores the error.
  const repoid = firstValue(parseGoQuery(pkg.repositoryHint).values, 'repoid');
  if (repoid === '') return repos.map((r) => r.id);
  let ids: string[] | null = null;
  for (const r of repos) {
    const uri = parseGoQuery(r.uri);
    // claircore skips (and logs) a repository whose URI does not parse.
    if (uri.error !== undefined) continue;
    if (firstValue(uri.values, 'repoid') === repoid) (ids ??= []).push(r.id);
  }
  return ids;
}

/** claircore's `rhel` coalescer. */
export const rhelCoalescer: Coalescer = {
  coalesce(layers: readonly LayerArtifacts[]): PartialReport {
    const report = emptyPartialReport();
    const repos = propagateRedHatRepos(layers);
    for (const layerRepos of repos) for (const r of layerRepos) report.repositories.set(r.id, r);

    // Packages of layers before the first distribution are attributed to it.
    let dist: StoredDistribution | undefined = layers.find((l) => l.distributions.length > 0)?.distributions[0];
    if (dist) report.distributions.set(dist.id, dist);

    // One environment per (package database, package), from its first sighting.
    const envs = new Map<string, Map<string, Environment>>();
    layers.forEach((layer, i) => {
      const d = layer.distributions[0];
      if (d) {
        dist = d;
        report.distributions.set(d.id, d);
      }
      for (const pkg of layer.packages) {
        let db = envs.get(pkg.packageDb);
        if (db === undefined) envs.set(pkg.packageDb, (db = new Map()));
        if (db.has(pkg.id)) continue;
        db.set(pkg.id, {
          package_db: pkg.packageDb,
          introduced_in: layer.digest,
          distribution_id: dist?.id ?? '',
          repository_ids: environmentRepositoryIds(pkg, repos[i]!),
        });
      }
    });

    // A package survives only if the last later layer that has packages still
    // has it (same id, same database): otherwise it was removed, upgraded or
    // downgraded there. A package id is reported once, from its first layer.
    // That is the newest layer with packages: look its packages up by id, not by a scan per package.
    const newest = layers.findLastIndex((l) => l.packages.length > 0);
    const newestDbs = new Map<string, Set<string>>();
    for (const p of layers[newest]?.packages ?? []) {
      let dbs = newestDbs.get(p.id);
      if (dbs === undefined) newestDbs.set(p.id, (dbs = new Set()));
      dbs.add(p.packageDb);
    }
    layers.forEach((layer, i) => {
      for (const pkg of layer.packages) {
        if (report.packages.has(pkg.id)) continue;
        if (i < newest && newestDbs.get(pkg.id)?.has(pkg.packageDb) !== true) continue;
        report.packages.set(pkg.id, pkg);
        report.environments.set(pkg.id, [...(report.environments.get(pkg.id) ?? []), envs.get(pkg.packageDb)!.get(pkg.id)!]);
      }
    });
    return report;
  },
};
