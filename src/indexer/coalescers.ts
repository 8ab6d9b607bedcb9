/**
 * @module The coalescers claircore's ecosystems use: `linux` for OS package
 * databases, `language` for language packages, `files` for file scanners.
 */
import { emptyPartialReport, type Coalescer, type LayerArtifacts, type PartialReport } from './ecosystem.js';
import type { StoredDistribution, StoredPackage } from '../model/scanned.js';

/**
 * OS packages (dpkg, apk, rpm). The newest layer holding a package database
 * supplies that database's whole package list, so packages removed or
 * upgraded in later layers do not survive. Each package is attributed to the
 * oldest layer holding the same name, database and version, and to that
 * layer's distribution, else the nearest older one, else the nearest newer.
 */
export const linuxCoalescer: Coalescer = {
  coalesce(layers: readonly LayerArtifacts[]): PartialReport {
    const report = emptyPartialReport();
    const dists: Array<StoredDistribution | undefined> = layers.map((l) => l.distributions[0]);
    for (const d of dists) if (d) report.distributions.set(d.id, d);

    const introduced = new Map<string, number>();
    layers.forEach((layer, i) => {
      for (const p of layer.packages) {
        const key = `${p.name}\0${p.packageDb}\0${p.version}`;
        if (!introduced.has(key)) introduced.set(key, i);
      }
    });

    const newestDb = new Map<string, StoredPackage[]>();
    for (let i = layers.length - 1; i >= 0; i--) {
      const seenHere = new Map<string, StoredPackage[]>();
      for (const p of layers[i]!.packages) {
        if (newestDb.has(p.packageDb)) continue;
        seenHere.set(p.packageDb, [...(seenHere.get(p.packageDb) ?? []), p]);
      }
      for (const [db, pkgs] of seenHere) newestDb.set(db, pkgs);
    }

    for (const [db, pkgs] of newestDb) {
      for (const p of pkgs) {
        const index = introduced.get(`${p.name}\0${p.packageDb}\0${p.version}`) ?? 0;
        const dist = searchDistribution(dists, index);
        report.packages.set(p.id, p);
        const env = { package_db: db, introduced_in: layers[index]!.digest, distribution_id: dist?.id ?? '', repository_ids: null };
        report.environments.set(p.id, [...(report.environments.get(p.id) ?? []), env]);
      }
    }
    return report;
  },
};

function searchDistribution(dists: Array<StoredDistribution | undefined>, index: number): StoredDistribution | undefined {
  if (dists[index]) return dists[index];
  for (let i = index - 1; i >= 0; i--) if (dists[i]) return dists[i];
  for (let i = index + 1; i < dists.length; i++) if (dists[i]) return dists[i];
  return undefined;
}

/**
 * Language packages: only layers where the scanner also stored its
 * repository (e.g. PyPI) count; each package is attributed to its layer and
 * that layer's repositories. A later layer's sighting replaces an earlier one.
 */
export const languageCoalescer: Coalescer = {
  coalesce(layers: readonly LayerArtifacts[]): PartialReport {
    const report = emptyPartialReport();
    for (const layer of layers) {
      if (layer.repositories.length === 0) continue;
      const repoIds = layer.repositories.map((r) => r.id);
      for (const r of layer.repositories) report.repositories.set(r.id, r);
      for (const p of layer.packages) {
        report.packages.set(p.id, p);
        report.environments.set(p.id, [{ package_db: p.packageDb, introduced_in: layer.digest, distribution_id: '', repository_ids: repoIds }]);
      }
    }
    return report;
  },
};

/** File scanners' findings, kept per layer for the resolvers. */
export const filesCoalescer: Coalescer = {
  coalesce(layers: readonly LayerArtifacts[]): PartialReport {
    const report = emptyPartialReport();
    for (const layer of layers) if (layer.files.length > 0) report.files.set(layer.digest, [...layer.files]);
    return report;
  },
};
