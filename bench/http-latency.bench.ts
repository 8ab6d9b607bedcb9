/**
 * HTTP latency and throughput of `GET index_report` and `GET
 * vulnerability_report` at 1, 8 and 32 concurrent clients (autocannon, keep
 * alive), against a bare Fastify handler serving the same bytes from memory
 * in the same process: the ratio is what Clair's own work costs. Goal:
 * at least 0.5x the bare handler's requests per second.
 *
 * The report is Clair's real Debian 10 index report
 * (`../shared/spec/upstream/claircore-reports/debian-10.index.json`, 91
 * packages), matched against BENCH_VULNS synthetic Debian records (default
 * 100 000), three for each of its source packages, the rest for other
 * packages. Combo mode on PostgreSQL, one database.
 *
 * Run: npm run bench -- http-latency
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { report } from './harness.js';
import { startClair } from '../src/app/start.js';
import { openDatabase } from '../src/store/open.js';
import { migrate } from '../src/store/migrate.js';
import { SqlIndexerStore } from '../src/store/indexer/sql-indexer-store.js';
import { SqlMatcherStore } from '../src/store/matcher/sql-matcher-store.js';
import { createPostgresDatabase, postgresUnavailable } from '../src/test-support/databases.js';
import { quietLogger, testConfig } from '../src/test-support/config.js';
import type { IndexReport, Manifest, VulnerabilityRecord } from '../src/model/index.js';

const REPORT_FILE = resolve(import.meta.dirname, '..', '..', 'shared', 'spec', 'upstream', 'claircore-reports', 'debian-10.index.json');
const VULNS = Number(process.env.BENCH_VULNS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = [1, 8, 32];

const missing = (await postgresUnavailable()) ?? (existsSync(REPORT_FILE) ? undefined : `${REPORT_FILE} is absent`);
if (missing) {
  console.log(`http-latency bench skipped: ${missing}`);
  process.exit(0);
}

const indexReport = JSON.parse(readFileSync(REPORT_FILE, 'utf8')) as IndexReport;
const buster = Object.values(indexReport.distributions)[0]!;
const sources = [...new Set(Object.values(indexReport.packages).map((p) => p.source?.name || p.name))];

/** Three records per source package of the report (fixed far above, fixed far below, unfixed), then filler for other packages. */
function* records(): Iterable<VulnerabilityRecord> {
  const dist = { did: buster.did, name: buster.name, version: buster.version, versionCodeName: buster.version_code_name, versionId: buster.version_id, arch: '', cpe: '', prettyName: buster.pretty_name };
  for (let i = 0; i < VULNS; i++) {
    const own = i < sources.length * 3;
    const name = own ? sources[Math.floor(i / 3)]! : `filler${i % 20_000}`;
    yield {
      updater: 'debian/updater',
      name: `CVE-${2000 + (i % 25)}-${String(i).padStart(6, '0')}`,
      description: 'A synthetic vulnerability with a description of realistic length, so rows and responses have a realistic width.',
      links: `https://security-tracker.debian.org/tracker/CVE-${i}`,
      severity: 'medium',
      normalizedSeverity: (['Low', 'Medium', 'High'] as const)[i % 3]!,
      package: { name, version: '', module: '', arch: '', kind: 'source' },
      distribution: dist,
      fixedInVersion: i % 3 === 0 ? '99:99' : i % 3 === 1 ? '0:0.1' : '',
      archOp: '',
    };
  }
}

const target = await createPostgresDatabase();
const store = { connstring: target.connstring, migrations: true };
const db = await openDatabase(target.connstring, { dataDir: 'unused' });
await migrate(db, 'indexer');
await migrate(db, 'matcher');
const indexer = new SqlIndexerStore(db);
await indexer.persistManifest({ hash: indexReport.manifest_hash, layers: [] } as unknown as Manifest);
await indexer.setIndexReport(indexReport);
await new SqlMatcherStore(db).updateVulnerabilities('debian/updater', 'bench', records());
await db.query('ANALYZE');

const clair = await startClair({ config: testConfig('combo', { indexer: store, matcher: store, notifier: store }), mode: 'combo', log: quietLogger() });
const paths = {
  index: `/indexer/api/v1/index_report/${indexReport.manifest_hash}`,
  vulnerability: `/matcher/api/v1/vulnerability_report/${indexReport.manifest_hash}`,
};
const bodies = Object.fromEntries(
  await Promise.all(
    Object.entries(paths).map(async ([k, p]) => {
      const r = await fetch(`${clair.apiUrl}${p}`);
      if (r.status !== 200) throw new Error(`GET ${p}: ${r.status}`);
      return [k, await r.text()] as const;
    }),
  ),
) as Record<keyof typeof paths, string>;
const vulnerabilities = Object.keys((JSON.parse(bodies.vulnerability) as { vulnerabilities: object }).vulnerabilities).length;
console.log(`report: ${Object.keys(indexReport.packages).length} packages, ${vulnerabilities} vulnerabilities; bodies ${bodies.index.length} and ${bodies.vulnerability.length} bytes`);

const bare = Fastify();
bare.get(paths.index, (_req, reply) => reply.type('application/vnd.clair.indexreport.v1+json').send(bodies.index));
bare.get(paths.vulnerability, (_req, reply) => reply.type('application/vnd.clair.vulnerabilityreport.v1+json').send(bodies.vulnerability));
const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

async function load(url: string, connections: number): Promise<{ rps: number; p50: number; p99: number }> {
  const result = await autocannon({ url, connections, duration: SECONDS, pipelining: 1 });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

try {
  for (const [kind, path] of Object.entries(paths)) {
    await load(`${clair.apiUrl}${path}`, 8); // warm-up: JIT, pool, plan cache
    for (const c of CONCURRENCY) {
      const alone = await load(`${bareUrl}${path}`, c);
      const ours = await load(`${clair.apiUrl}${path}`, c);
      report({ name: `GET ${kind}_report, ${c} clients`, value: ours.rps, unit: 'req/s', baseline: { name: 'bare Fastify, same bytes', value: alone.rps }, target: '>= 0.5x', met: ours.rps >= 0.5 * alone.rps });
      report({ name: `GET ${kind}_report p50, ${c} clients`, value: ours.p50, unit: 'ms', baseline: { name: 'bare Fastify, same bytes', value: Math.max(alone.p50, 0.01) } });
      report({ name: `GET ${kind}_report p99, ${c} clients`, value: ours.p99, unit: 'ms', baseline: { name: 'bare Fastify, same bytes', value: Math.max(alone.p99, 0.01) } });
    }
  }
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (clair and the load generator in one process)`);
} finally {
  await bare.close();
  await clair.close();
  await db.close();
  await target.drop();
}
