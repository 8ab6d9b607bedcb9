/**
 * @module End-to-end helpers over a running Clair: wait for updaters to
 * load their data, then index a manifest and fetch its vulnerability report
 * through the HTTP API.
 */
import assert from 'node:assert/strict';
import type { ClairProcess } from '../app/start.js';
import type { IndexReport, Manifest, VulnerabilityReport } from '../model/index.js';

/** Polls the matcher's update operations until every named updater has one. */
export async function waitForUpdates(clair: ClairProcess, updaters: readonly string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(`${clair.apiUrl}/matcher/api/v1/internal/update_operation?kind=vulnerability`);
    const ops = (await r.json()) as Record<string, unknown[]>;
    if (updaters.every((u) => (ops[u]?.length ?? 0) > 0)) return;
    if (Date.now() > deadline) throw new Error(`updaters did not finish: have ${Object.keys(ops).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Indexes `manifest` (which must finish) and returns its vulnerability report. */
export async function indexAndReport(clair: ClairProcess, manifest: Manifest): Promise<VulnerabilityReport> {
  const indexed = await fetch(`${clair.apiUrl}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(manifest), headers: { 'content-type': 'application/json' } });
  assert.equal(indexed.status, 201);
  assert.equal(((await indexed.json()) as IndexReport).state, 'IndexFinished');
  const response = await fetch(`${clair.apiUrl}/matcher/api/v1/vulnerability_report/${manifest.hash}`);
  assert.equal(response.status, 200);
  return (await response.json()) as VulnerabilityReport;
}
