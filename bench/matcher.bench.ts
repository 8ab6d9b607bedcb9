/**
 * Vulnerability-report latency: a 500-package Debian manifest matched against
 * a loaded database (BENCH_VULNS records, default 200 000, across 20 000
 * source packages and three Debian releases). Target: p50 < 50 ms on
 * PostgreSQL. Baseline, in the same run: one indexed query touching the same
 * candidate rows, so the ratio shows the matcher's own overhead.
 */
import { report } from './harness.js';
import { openDatabase } from '../src/store/open.js';
import { migrate } from '../src/store/migrate.js';
import { SqlMatcherStore } from '../src/store/matcher/sql-matcher-store.js';
import { match } from '../src/matcher/controller.js';
import { defaultMatchers } from '../src/app/defaults/matchers.js';
import type { IndexReport, VulnerabilityRecord } from '../src/model/index.js';

const VULNS = Number(process.env.BENCH_VULNS ?? 200_000);
const SOURCES = 20_000;
const RUNS = 60;
const releases = [
  { did: 'debian', name: 'Debian GNU/Linux', version: '11 (bullseye)', versionCodeName: 'bullseye', versionId: '11', arch: '', cpe: '', prettyName: 'Debian GNU/Linux 11 (bullseye)' },
  { did: 'debian', name: 'Debian GNU/Linux', version: '12 (bookworm)', versionCodeName: 'bookworm', versionId: '12', arch: '', cpe: '', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  { did: 'debian', name: 'Debian GNU/Linux', version: '13 (trixie)', versionCodeName: 'trixie', versionId: '13', arch: '', cpe: '', prettyName: 'Debian GNU/Linux 13 (trixie)' },
];

function* records(): Iterable<VulnerabilityRecord> {
  for (let i = 0; i < VULNS; i++) {
    const src = i % SOURCES;
    yield {
      updater: 'debian/updater',
      name: `CVE-${2000 + (i % 25)}-${String(i).padStart(6, '0')}`,
      description: 'A synthetic vulnerability with a description of realistic length to exercise row width and transfer.',
      links: `https://security-tracker.debian.org/tracker/CVE-${i}`,
      severity: 'medium',
      normalizedSeverity: 'High',
      package: { name: `src${src}`, version: '', module: '', arch: '', kind: 'source' },
      distribution: releases[i % 3]!,
      fixedInVersion: i % 4 === 0 ? '' : `${1 + (i % 7)}.${i % 13}-1`,
      archOp: '',
    };
  }
}

function indexReport(): IndexReport {
  const packages: IndexReport['packages'] = {};
  const environments: IndexReport['environments'] = {};
  for (let i = 0; i < 500; i++) {
    const id = String(i + 1);
    const src = (i * 37) % SOURCES;
    packages[id] = { id, name: `bin${i}`, version: `${1 + (i % 5)}.${i % 11}-1`, kind: 'binary', source: { id: `s${i}`, name: `src${src}`, version: '1', kind: 'source', normalized_version: '', cpe: '' }, normalized_version: '', arch: 'amd64', cpe: '' };
    environments[id] = [{ package_db: 'var/lib/dpkg/status', introduced_in: `sha256:${'a'.repeat(64)}`, distribution_id: '1', repository_ids: null }];
  }
  const d = releases[1]!;
  return {
    manifest_hash: `sha256:${'b'.repeat(64)}`,
    state: 'IndexFinished',
    packages,
    distributions: { '1': { id: '1', did: d.did, name: d.name, version: d.version, version_code_name: d.versionCodeName, version_id: d.versionId, arch: '', cpe: '', pretty_name: d.prettyName } },
    repository: {},
    environments,
    success: true,
    err: '',
  };
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;

const { createPostgresDatabase, postgresUnavailable } = await import('../src/test-support/databases.js');
const usePostgres = process.env.BENCH_STORE !== 'embedded' && !(await postgresUnavailable());
const target = usePostgres ? await createPostgresDatabase() : undefined;
const db = await openDatabase(target?.connstring ?? 'memory://', { dataDir: 'unused' });
try {
  await migrate(db, 'matcher');
  const store = new SqlMatcherStore(db);
  const loadStart = performance.now();
  await store.updateVulnerabilities('debian/updater', 'bench', records());
  if (usePostgres) await db.exec('ANALYZE');
  console.log(`store: ${usePostgres ? 'postgres' : 'embedded'}; loaded ${VULNS} records in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
  const ir = indexReport();
  const matchers = defaultMatchers();
  const names = [...new Set(Object.values(ir.packages).flatMap((p) => [p.name, p.source!.name]))];
  const times: number[] = [];
  const baseline: number[] = [];
  let found = 0;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    const vr = await match(ir, matchers, store);
    times.push(performance.now() - t);
    found = Object.keys(vr.vulnerabilities).length;
    t = performance.now();
    await db.query("SELECT count(*) FROM vuln WHERE package_name = ANY($1::text[]) AND dist_id = 'debian' AND dist_version_id = '12'", [names]);
    baseline.push(performance.now() - t);
  }
  const p50 = percentile(times.slice(5), 0.5);
  console.log(`${found} vulnerabilities matched per report`);
  report({ name: 'vulnerability report p50 (500 pkgs)', value: p50, unit: 'ms', baseline: { name: 'indexed candidate query', value: percentile(baseline.slice(5), 0.5) }, target: '< 50 ms', met: p50 < 50 });
  report({ name: 'vulnerability report p95 (500 pkgs)', value: percentile(times.slice(5), 0.95), unit: 'ms' });
} finally {
  await db.close();
  await target?.drop();
}
