/**
 * The notifier's reverse lookup under load: `POST …/internal/affected_manifest`
 * with 2,000 vulnerabilities (BENCH_AFFECTED_VULNS) against BENCH_MANIFESTS
 * indexed manifests (default 200, each a shared 300-package Debian base layer
 * plus a 20-package layer of its own), while /robots.txt is requested every
 * 50 ms. Reports the request's time against the bare candidate query for the
 * same names (the baseline), and the slowest /robots.txt answer meanwhile:
 * the target is that nothing waits a second behind the lookup.
 */
import { report } from './harness.js';
import { openDatabase } from '../src/store/open.js';
import { migrate } from '../src/store/migrate.js';
import { createIndexer } from '../src/app/indexer.js';
import { DEFAULT_ECOSYSTEMS, DEFAULT_RESOLVERS } from '../src/app/defaults/ecosystems.js';
import type { OpenedLayer } from '../src/indexer/controller/context.js';
import { defaultMatchers } from '../src/app/defaults/matchers.js';
import { buildApiServer } from '../src/http/server.js';
import { indexRecordsByPackageName } from '../src/store/indexer/affected.js';
import { memoryLayer } from '../src/test-support/memory-layer-fs.js';
import { createLogger } from '../src/lib/logger.js';
import type { Manifest, Vulnerability } from '../src/model/index.js';

const MANIFESTS = Number(process.env.BENCH_MANIFESTS ?? 200);
const VULNS = Number(process.env.BENCH_AFFECTED_VULNS ?? 2_000);
const BASE_PACKAGES = 300;
const OWN_PACKAGES = 20;
const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';

const stanza = (name: string, version: string) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nSource: ${name}-src\nVersion: ${version}\n`;
const digest = (prefix: string, n: number) => `sha256:${prefix}${n.toString(16).padStart(64 - prefix.length, '0')}`;

const base = Array.from({ length: BASE_PACKAGES }, (_, i) => stanza(`base${i}`, `1.${i % 9}-1`));
const layers = new Map<string, ReturnType<typeof memoryLayer>>();
const baseDigest = digest('b', 0);
layers.set(baseDigest, memoryLayer([{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'var/lib/dpkg/status', content: base.join('\n') }, { path: 'var/lib/dpkg/info/x.list', content: '' }], { digest: baseDigest }));
const manifests: Manifest[] = [];
for (let m = 0; m < MANIFESTS; m++) {
  const own = Array.from({ length: OWN_PACKAGES }, (_, i) => stanza(`own${(m * OWN_PACKAGES + i) % 3000}`, `2.${m % 7}-1`));
  const d = digest('c', m);
  layers.set(d, memoryLayer([{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'var/lib/dpkg/status', content: [...base, ...own].join('\n') }, { path: 'var/lib/dpkg/info/x.list', content: '' }], { digest: d }));
  manifests.push({ hash: digest('a', m), layers: [{ hash: baseDigest, uri: 'http://x.invalid/' }, { hash: d, uri: 'http://x.invalid/' }] } as unknown as Manifest);
}

const vulns: Vulnerability[] = Array.from({ length: VULNS }, (_, i) => ({
  id: String(i + 1),
  updater: 'debian/updater',
  name: `CVE-2026-${String(i).padStart(5, '0')}`,
  description: '',
  issued: '0001-01-01T00:00:00Z',
  links: '',
  severity: 'medium',
  normalized_severity: 'High',
  package: { id: '', name: i % 2 === 0 ? `base${i % BASE_PACKAGES}-src` : `own${i % 3000}-src`, version: '', kind: 'source', normalized_version: '', cpe: '' },
  distribution: { id: '', did: 'debian', name: 'Debian GNU/Linux', version: '', version_code_name: '', version_id: '12', arch: '', cpe: '', pretty_name: '' },
  repository: { cpe: '' },
  fixed_in_version: i % 3 === 0 ? '' : '1.5-1',
}));

const { createPostgresDatabase, postgresUnavailable } = await import('../src/test-support/databases.js');
const usePostgres = process.env.BENCH_STORE !== 'embedded' && !(await postgresUnavailable());
const target = usePostgres ? await createPostgresDatabase() : undefined;
const db = await openDatabase(target?.connstring ?? 'memory://', { dataDir: 'unused' });
try {
  await migrate(db, 'indexer');
  const indexer = await createIndexer({
    db,
    ecosystems: DEFAULT_ECOSYSTEMS,
    resolvers: DEFAULT_RESOLVERS,
    matchers: defaultMatchers(),
    layerConcurrency: 4,
    lockRetryMs: 50,
    log: createLogger('silent'),
    openLayer: async (layer) => Object.assign(layers.get(layer.hash)!, { close: async () => {} }) as unknown as OpenedLayer,
  });
  const indexStart = performance.now();
  for (const m of manifests) await indexer.index(m);
  if (usePostgres) await db.exec('ANALYZE');
  console.log(`store: ${usePostgres ? 'postgres' : 'embedded'}; indexed ${MANIFESTS} manifests in ${((performance.now() - indexStart) / 1000).toFixed(1)} s`);

  const app = await buildApiServer({ services: { indexer } });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  let slowest = 0;
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const t = performance.now();
      await fetch(`${address}/robots.txt`).then((r) => r.text());
      slowest = Math.max(slowest, performance.now() - t);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const t = performance.now();
  const response = await fetch(`${address}/indexer/api/v1/internal/affected_manifest`, { method: 'POST', body: JSON.stringify({ vulnerabilities: vulns }), headers: { 'content-type': 'application/json' } });
  const body = (await response.json()) as { vulnerable_manifests: Record<string, string[]> };
  const elapsed = performance.now() - t;
  probing = false;
  await probe;
  await app.close();
  const names = [...new Set(vulns.map((v) => v.package.name))];
  const b = performance.now();
  for (let i = 0; i < names.length; i += 200) await indexRecordsByPackageName(db, names.slice(i, i + 200));
  const baseline = performance.now() - b;
  console.log(`status ${response.status}; ${Object.keys(body.vulnerable_manifests).length} manifests affected`);
  report({ name: `affected_manifest (${VULNS} vulns)`, value: elapsed, unit: 'ms', baseline: { name: 'candidate queries alone', value: baseline } });
  report({ name: 'slowest /robots.txt meanwhile', value: slowest, unit: 'ms', target: '< 1000 ms', met: slowest < 1000 });
} finally {
  await db.close();
  await target?.drop();
}
