/**
 * @module The rhcc coalescer (claircore `rhel/rhcc` coalescer): the Red Hat
 * container packages of an image, each attributed to its layer and that
 * layer's repositories.
 *
 * An image built on a Red Hat image carries the base image's build
 * Dockerfile too. Only the newest layer with container repositories
 * describes the image itself; packages of older such layers (the base
 * images) are kept for the record but made unmatchable, so an advisory about
 * the base image is not reported against the derived one.
 */
import { emptyPartialReport, type Coalescer, type LayerArtifacts, type PartialReport } from '../../indexer/ecosystem.js';
import { UNMATCHABLE_KIND } from '../../versions/scheme.js';
import { RHCC_REPOSITORY_HINT } from './container-scanner.js';

/** claircore's rhcc coalescer. */
export const rhccCoalescer: Coalescer = {
  coalesce(layers: readonly LayerArtifacts[]): PartialReport {
    const report = emptyPartialReport();
    let newest = true;
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i]!;
      if (layer.repositories.length === 0) continue;
      const ids = layer.repositories.map((r) => r.id);
      for (const r of layer.repositories) report.repositories.set(r.id, r);
      for (const pkg of layer.packages) {
        if (pkg.repositoryHint !== RHCC_REPOSITORY_HINT) continue;
        // As claircore, only the kind changes (its ten numbers stay); an older
        // sighting of the same package replaces a newer one.
        const p = newest ? pkg : { ...pkg, normalizedVersion: { kind: UNMATCHABLE_KIND, v: pkg.normalizedVersion?.v ?? Array<number>(10).fill(0) } };
        report.packages.set(p.id, p);
        report.environments.set(p.id, [{ package_db: p.packageDb, introduced_in: layer.digest, distribution_id: '', repository_ids: [...ids] }]);
      }
      newest = false;
    }
    return report;
  },
};
