/**
 * The air gap end to end. A connected Clair (combo, PostgreSQL) loads the
 * Alpine secdb and OSV from loopback feeds; `clairctl export-updaters`
 * writes the same updaters' data to a bundle; `clairctl import-updaters`
 * loads it into a fresh matcher database that a second Clair serves with
 * its updaters off. The enrichers (CVSS, EPSS, KEV) travel with them, as
 * operations of kind `enrichment`. The same image then gets the same
 * vulnerability report, enrichments included, from both (vulnerability ids
 * aside: they are database row ids). Importing
 * again changes nothing, and an import into an embedded data directory that
 * a running Clair holds fails clearly.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vulnerability, VulnerabilityReport } from '../../model/index.js';
import { quietLogger, testConfig } from '../../test-support/config.js';
import { createPostgresDatabase, postgresUnavailable, type TestDatabase } from '../../test-support/databases.js';
import { indexAndReport, waitForUpdates } from '../../test-support/reports.js';
import { killSpawned, spawnCli } from '../../test-support/spawn.js';
import { decompressedBundle, detectCompression, readBundle } from '../../updaters/bundle/index.js';
import { startClair, type ClairProcess } from '../start.js';
import { ALPINE_UPDATER, clairctl, ENRICHERS, OSV_UPDATER, startAirgapScene, type AirgapScene } from './airgap-scene.case.js';

/** The report with each vulnerability keyed by its content instead of its database id, in its lists and its enrichments. */
function canonical(report: VulnerabilityReport): unknown {
  const key = (v: Vulnerability): string => JSON.stringify({ ...v, id: '' });
  return {
    ...report,
    vulnerabilities: Object.fromEntries(Object.values(report.vulnerabilities).map((v) => [key(v), { ...v, id: '' }])),
    package_vulnerabilities: Object.fromEntries(
      Object.entries(report.package_vulnerabilities).map(([pkg, ids]) => [pkg, ids.map((id) => key(report.vulnerabilities[id]!)).sort()]),
    ),
    enrichments: Object.fromEntries(
      Object.entries(report.enrichments).map(([type, messages]) => [
        type,
        (messages as Array<Record<string, unknown>>).map((m) => Object.fromEntries(Object.entries(m).map(([id, records]) => [key(report.vulnerabilities[id]!), records]))),
      ]),
    ),
  };
}

/** Package name → sorted vulnerability names, to state what the report must hold. */
function byPackage(report: VulnerabilityReport): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(report.package_vulnerabilities).map(([pkg, ids]) => [report.packages[pkg]!.name, ids.map((id) => report.vulnerabilities[id]!.name).sort()]),
  );
}

async function operationCounts(clair: ClairProcess, kind = 'vulnerability'): Promise<Record<string, number>> {
  const r = await fetch(`${clair.apiUrl}/matcher/api/v1/internal/update_operation?kind=${kind}`);
  return Object.fromEntries(Object.entries((await r.json()) as Record<string, unknown[]>).map(([u, ops]) => [u, ops.length]));
}

describe('air gap: export, import, same report', { skip: await postgresUnavailable(), timeout: 240_000 }, () => {
  let scene: AirgapScene;
  const dbs: TestDatabase[] = [];
  const clairs: ClairProcess[] = [];
  let connected: ClairProcess;
  let airgapped: ClairProcess;
  let indexer: TestDatabase;
  let fresh: TestDatabase;
  let bundle: string;
  let importConfig: string;

  before(async () => {
    scene = await startAirgapScene();
    const [a, b, c] = await Promise.all([createPostgresDatabase(), createPostgresDatabase(), createPostgresDatabase()]);
    dbs.push(a, b, c);
    indexer = a;
    fresh = c;
    connected = await startClair({
      mode: 'combo',
      log: quietLogger(),
      config: testConfig('combo', {
        indexer: { connstring: indexer.connstring, migrations: true },
        matcher: { connstring: b.connstring, migrations: true, disable_updaters: false },
        updaters: scene.updaters,
      }),
    });
    clairs.push(connected);
    await connected.firstUpdate;
    await waitForUpdates(connected, [ALPINE_UPDATER, OSV_UPDATER]);
    assert.deepEqual(await operationCounts(connected, 'enrichment'), Object.fromEntries(ENRICHERS.map((e) => [e, 1])));
    bundle = join(scene.dir, 'bundle');
    importConfig = scene.writeConfig('airgapped.yaml', { matcher: { connstring: fresh.connstring, migrations: true, disable_updaters: true } });
  });
  after(async () => {
    killSpawned();
    for (const c of clairs) await c.close();
    for (const db of dbs) await db.drop();
    await scene?.close();
  });

  it('exports the configured updaters through the CLI, as zstd by default', async () => {
    const conf = scene.writeConfig('connected.yaml', { updaters: scene.updaters });
    assert.equal(await clairctl(['-q', '-c', conf, 'export-updaters', bundle]), 0);
    const bytes = readFileSync(bundle);
    assert.equal(detectCompression(bytes), 'zstd');
    const seen: Array<[string, string, number]> = [];
    for await (const op of readBundle(decompressedBundle([bytes]))) {
      let n = 0;
      for await (const _ of op.records) n++;
      seen.push([op.updater, op.kind, n]);
    }
    assert.deepEqual(seen.sort(), [
      [ALPINE_UPDATER, 'vulnerability', 3],
      ['clair.cvss', 'enrichment', 2],
      ['clair.epss', 'enrichment', 2],
      ['clair.kev', 'enrichment', 1],
      [OSV_UPDATER, 'vulnerability', 1],
    ]);
  });

  it('imports into a fresh database; the air-gapped Clair reports exactly what the connected one does', async () => {
    assert.equal(await clairctl(['-q', '-c', importConfig, 'import-updaters', bundle]), 0);
    airgapped = await startClair({
      mode: 'combo',
      log: quietLogger(),
      config: testConfig('combo', { indexer: { connstring: indexer.connstring, migrations: true }, matcher: { connstring: fresh.connstring, migrations: true, disable_updaters: true } }),
    });
    clairs.push(airgapped);
    const want = await indexAndReport(connected, scene.manifest);
    const got = await indexAndReport(airgapped, scene.manifest);
    assert.deepEqual(byPackage(want), { openssl: ['CVE-2026-1111'], musl: ['CVE-2026-2222'], pip: ['GHSA-mq26-g339-26xf'] });
    // CVSS and EPSS for both CVEs (the pip advisory names CVE-2023-5752 in no link the sources know), KEV for one.
    assert.deepEqual(Object.values(want.enrichments).map((messages) => Object.keys(messages[0] as object).length), [2, 2, 1]);
    assert.deepEqual(canonical(got), canonical(want));
  });

  it('imports the same bundle again as a no-op', async () => {
    const before = await operationCounts(airgapped);
    assert.deepEqual(before, { [ALPINE_UPDATER]: 1, [OSV_UPDATER]: 1 });
    const enrichments = await operationCounts(airgapped, 'enrichment');
    assert.deepEqual(enrichments, Object.fromEntries(ENRICHERS.map((e) => [e, 1])));
    assert.equal(await clairctl(['-q', '-c', importConfig, 'import-updaters', bundle]), 0);
    assert.deepEqual(await operationCounts(airgapped), before);
    assert.deepEqual(await operationCounts(airgapped, 'enrichment'), enrichments);
  });

  it('refuses to import into an embedded data directory a running Clair holds, naming it; imports once it stops', async () => {
    const dataDir = join(scene.dir, 'data');
    const conf = scene.writeConfig('embedded.yaml', { http_listen_addr: '127.0.0.1:0', introspection_addr: '127.0.0.1:0', data_dir: dataDir, matcher: { disable_updaters: true } });
    const clair = spawnCli('clair', ['-conf', conf]);
    await clair.waitFor(/"clair ready"/);
    const held = spawnCli('clairctl', ['-q', '-c', conf, 'import-updaters', bundle]);
    assert.equal(await held.exit, 1);
    assert.match(held.stderr(), new RegExp(`^clairctl: store: embedded database ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by process ${clair.child.pid}; `, 'm'));
    clair.child.kill('SIGTERM');
    assert.equal(await clair.exit, 0);
    const free = spawnCli('clairctl', ['-c', conf, 'import-updaters', bundle]);
    assert.equal(await free.exit, 0, free.stderr());
    assert.match(free.stderr(), /msg="import done" .*imported=5 skipped=0/);
  });
});
