/**
 * @module The manifest index: one row per (package, distribution,
 * repository) record of a finished report. It is what the affected-manifests
 * query walks to find which manifests a new vulnerability touches.
 */
import type { Queryable } from '../database.js';
import type { IndexReport } from '../../model/index.js';

/** Records of a report, as claircore's IndexRecords: per package × environment × repository. */
export function indexRecords(report: IndexReport): Array<{ packageId: string; distId: string | null; repoId: string | null }> {
  const out = new Map<string, { packageId: string; distId: string | null; repoId: string | null }>();
  for (const [packageId, envs] of Object.entries(report.environments)) {
    for (const env of envs) {
      const distId = env.distribution_id === '' ? null : env.distribution_id;
      const repos = env.repository_ids && env.repository_ids.length > 0 ? env.repository_ids : [null];
      for (const repoId of repos) out.set(`${packageId}|${distId}|${repoId}`, { packageId, distId, repoId });
    }
  }
  return [...out.values()];
}

export async function indexManifestRecords(tx: Queryable, report: IndexReport): Promise<void> {
  const records = indexRecords(report);
  if (records.length === 0) return;
  await tx.query(
    `INSERT INTO manifest_index (package_id, dist_id, repo_id, manifest_id)
     SELECT u.p, u.d, u.r, m.id FROM manifest m, unnest($2::bigint[], $3::bigint[], $4::bigint[]) AS u(p, d, r)
     WHERE m.hash = $1 ON CONFLICT DO NOTHING`,
    [report.manifest_hash, records.map((r) => r.packageId), records.map((r) => r.distId), records.map((r) => r.repoId)],
  );
}
