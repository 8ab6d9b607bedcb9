/**
 * The notifier processing one update that affects many stored manifests:
 * BENCH_NOTIFIER_MANIFESTS (default 10,000) Debian manifests are indexed
 * (a shared base layer plus a one-package layer of their own), then the
 * processor turns an update diff into a notification, asking the real
 * in-process indexer for affected manifests and streaming the bodies into
 * the notifier store. Measured twice in the same run:
 *
 * - the baseline: a vulnerability in a package a tenth of the manifests have;
 * - the subject: one in the base layer, affecting every manifest.
 *
 * Reports the time of each and the peak RSS growth during each (sampled
 * every 10 ms). The targets: time grows about linearly (within 15x for 10x
 * the manifests), and so does memory, no faster (within 10x): bodies stream
 * into the store a batch at a time, but the indexer's affected-manifests
 * answer, by the shape of Clair's API, names every affected manifest, so a
 * few hundred bytes per manifest are held while one answer is written.
 * Then the bodies are paged out as a direct deliverer reads them, and
 * counted.
 */
import { report } from './harness.js';
import { openDatabase } from '../src/store/open.js';
import { migrate } from '../src/store/migrate.js';
import { createIndexer } from '../src/app/indexer.js';
import { DEFAULT_ECOSYSTEMS, DEFAULT_RESOLVERS } from '../src/app/defaults/ecosystems.js';
import { defaultMatchers } from '../src/app/defaults/matchers.js';
import type { OpenedLayer } from '../src/indexer/controller/context.js';
import type { MatcherService } from '../src/matcher/service.js';
import { Processor } from '../src/notifier/processor.js';
import { bodyPages } from '../src/notifier/delivery.js';
import { SqlNotifierStore } from '../src/store/notifier/sql-notifier-store.js';
import { memoryLayer } from '../src/test-support/memory-layer-fs.js';
import { testVulnerability } from '../src/test-support/vulnerabilities.js';
import { createLogger } from '../src/lib/logger.js';
import type { Manifest, UpdateOperation, Vulnerability } from '../src/model/index.js';

const MANIFESTS = Number(process.env.BENCH_NOTIFIER_MANIFESTS ?? 10_000);
const BASE_PACKAGES = 10;
const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';
const stanza = (name: string, version: string) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nSource: ${name}\nVersion: ${version}\n`;
const digest = (prefix: string, n: number) => `sha256:${prefix}${n.toString(16).padStart(64 - prefix.length, '0')}`;
const MB = 1024 * 1024;

const base = Array.from({ length: BASE_PACKAGES }, (_, i) => stanza(`base${i}`, '1.0-1'));
const baseDigest = digest('b', 0);
const layerOf = (d: string, stanzas: string[]) => memoryLayer([{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'var/lib/dpkg/status', content: stanzas.join('\n') }, { path: 'var/lib/dpkg/info/x.list', content: '' }], { digest: d });
/** Own layers are made when opened, so only the ones being indexed are in memory. */
const openLayer = async (layer: { hash: string }) => {
  const n = Number.parseInt(layer.hash.slice(-8), 16);
  const fs = layer.hash === baseDigest ? layerOf(baseDigest, base) : layerOf(layer.hash, [...base, stanza(`tenth${n % 10}`, '1.0-1')]);
  return Object.assign(fs, { close: async () => {} }) as unknown as OpenedLayer;
};
const manifest = (m: number): Manifest => ({ hash: digest('a', m), layers: [{ hash: baseDigest, uri: 'http://x.invalid/' }, { hash: digest('c', m), uri: 'http://x.invalid/' }] }) as unknown as Manifest;

const debianVuln = (id: string, pkg: string): Vulnerability =>
  testVulnerability({
    id,
    name: `CVE-2026-${id}`,
    normalized_severity: 'High',
    package: { id: '', name: pkg, version: '', kind: 'source', normalized_version: '', cpe: '' },
    distribution: { id: '', did: 'debian', name: 'Debian GNU/Linux', version: '', version_code_name: '', version_id: '12', arch: '', cpe: '', pretty_name: '' },
    fixed_in_version: '1.5-1',
  });

const { createPostgresDatabase, postgresUnavailable } = await import('../src/test-support/databases.js');
const usePostgres = process.env.BENCH_STORE !== 'embedded' && !(await postgresUnavailable());
const targets = usePostgres ? [await createPostgresDatabase(), await createPostgresDatabase()] : [];
const indexerDb = await openDatabase(targets[0]?.connstring ?? 'memory://', { dataDir: 'unused' });
const notifierDb = await openDatabase(targets[1]?.connstring ?? 'memory://', { dataDir: 'unused' });
try {
  await migrate(indexerDb, 'indexer');
  await migrate(notifierDb, 'notifier');
  const log = createLogger('silent');
  const indexer = await createIndexer({ db: indexerDb, ecosystems: DEFAULT_ECOSYSTEMS, resolvers: DEFAULT_RESOLVERS, matchers: defaultMatchers(), layerConcurrency: 4, lockRetryMs: 50, log, openLayer });
  const indexStart = performance.now();
  for (let m = 0; m < MANIFESTS; m += 8) await Promise.all(Array.from({ length: Math.min(8, MANIFESTS - m) }, (_, i) => indexer.index(manifest(m + i))));
  if (usePostgres) await indexerDb.exec('ANALYZE');
  console.log(`store: ${usePostgres ? 'postgres' : 'embedded'}; indexed ${MANIFESTS} manifests in ${((performance.now() - indexStart) / 1000).toFixed(1)} s`);

  const store = new SqlNotifierStore(notifierDb);
  let round = 0;
  /** Processes an update whose diff adds `added`; returns ms, peak RSS growth and the notification id. */
  const processUpdate = async (added: Vulnerability[]) => {
    round++;
    const operation = (n: number): UpdateOperation => ({ ref: crypto.randomUUID(), updater: `bench-${round}`, fingerprint: String(n), date: new Date().toISOString(), kind: 'vulnerability' });
    const [prev, cur] = [operation(1), operation(2)];
    const matcher = {
      updateOperations: async () => ({ [cur.updater]: [cur, prev] }),
      updateDiff: async () => ({ prev, cur, added, removed: [] }),
    } as unknown as MatcherService;
    const processor = new Processor({ store, locks: notifierDb, indexer, matcher, summary: true, log });
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const t = performance.now();
    const outcome = await processor.process(cur);
    const ms = performance.now() - t;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (outcome.kind !== 'processed') throw new Error(`not processed: ${JSON.stringify(outcome)}`);
    return { ms, growth: peak - before, id: outcome.notification, bodies: outcome.bodies };
  };

  const tenth = await processUpdate([debianVuln('10', 'tenth3')]);
  const all = await processUpdate([debianVuln('20', 'base0'), debianVuln('21', 'base1')]);
  console.log(`baseline notification: ${tenth.bodies} bodies; subject: ${all.bodies} bodies`);
  if (all.bodies !== MANIFESTS || tenth.bodies !== MANIFESTS / 10) throw new Error('unexpected body counts');
  report({ name: `process update, ${MANIFESTS} manifests`, value: all.ms, unit: 'ms', baseline: { name: `${MANIFESTS / 10} manifests`, value: tenth.ms }, target: '<= 15x', met: all.ms <= tenth.ms * 15 });
  report({
    name: `peak RSS growth, ${MANIFESTS} manifests`,
    value: all.growth / MB,
    unit: 'MB',
    baseline: { name: `${MANIFESTS / 10} manifests`, value: Math.max(tenth.growth, MB) / MB },
    target: '<= 10x',
    met: all.growth <= Math.max(tenth.growth, MB) * 10,
  });

  const t = performance.now();
  let paged = 0;
  for await (const page of bodyPages(store, all.id)()) paged += page.length;
  report({ name: `page out ${paged} bodies (direct delivery)`, value: performance.now() - t, unit: 'ms' });
} finally {
  await indexerDb.close();
  await notifierDb.close();
  for (const t of targets) await t.drop();
}
