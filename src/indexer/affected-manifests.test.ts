import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { affectedRules, createIndexer } from '../app/indexer.js';
import { DEFAULT_ECOSYSTEMS, DEFAULT_RESOLVERS } from '../app/defaults/ecosystems.js';
import type { OpenedLayer } from './controller/context.js';
import { defaultMatchers } from '../app/defaults/matchers.js';
import type { Manifest, Vulnerability } from '../model/index.js';
import { memoryLayer } from '../test-support/memory-layer-fs.js';
import { openDatabase } from '../store/open.js';
import { migrate } from '../store/migrate.js';
import { createTestDatabase, postgresUnavailable } from '../test-support/databases.js';
import { quietLogger } from '../test-support/config.js';
import { affectedManifests } from './affected-manifests.js';

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';
const status = (opensslVersion: string) =>
  [
    `Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: ${opensslVersion}\n`,
    'Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b2\n',
  ].join('\n');

const layerDigest = (n: number) => `sha256:${String(n).repeat(64)}`;
const layers = new Map([
  [layerDigest(1), memoryLayer([{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'var/lib/dpkg/status', content: status('3.0.11-1~deb12u2') }, { path: 'var/lib/dpkg/info/bash.list', content: '' }], { digest: layerDigest(1) })],
  [layerDigest(2), memoryLayer([{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'var/lib/dpkg/status', content: status('3.0.13-1~deb12u1') }, { path: 'var/lib/dpkg/info/bash.list', content: '' }], { digest: layerDigest(2) })],
]);
const manifest = (n: number): Manifest => ({ hash: `sha256:${String(n).repeat(64).replace(/./, 'f')}`, layers: [{ hash: layerDigest(n), uri: 'http://x.invalid/' }] }) as unknown as Manifest;

const vuln = (id: string, pkg: string, fixed: string, did = 'debian'): Vulnerability => ({
  id, updater: 'debian/updater', name: `CVE-${id}`, description: '', issued: '', links: '', severity: '', normalized_severity: 'High',
  package: { id: '', name: pkg, version: '', kind: 'source', normalized_version: '', cpe: '' },
  distribution: { id: '', did, name: did === 'debian' ? 'Debian GNU/Linux' : 'Ubuntu', version: '', version_code_name: '', version_id: '12', arch: '', cpe: '', pretty_name: '' },
  repository: { cpe: '' },
  fixed_in_version: fixed,
});

const skip = await postgresUnavailable();

describe('affected manifests', () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  for (const backend of ['postgres', 'embedded'] as const) {
    it(`finds the stored manifests a vulnerability affects, by source package and the matcher's rules (${backend})`, { skip: backend === 'postgres' ? skip : false }, async () => {
      const target = await createTestDatabase(backend);
      const db = await openDatabase(target.connstring, { dataDir: 'unused' });
      cleanups.push(async () => {
        await db.close();
        await target.drop();
      });
      await migrate(db, 'indexer');
      const indexer = await createIndexer({
        db,
        ecosystems: DEFAULT_ECOSYSTEMS,
        resolvers: DEFAULT_RESOLVERS,
        matchers: defaultMatchers(),
        layerConcurrency: 2,
        lockRetryMs: 50,
        log: quietLogger(),
        openLayer: async (layer) => Object.assign(layers.get(layer.hash)!, { close: async () => {} }) as unknown as OpenedLayer,
      });
      const m1 = manifest(1);
      const m2 = manifest(2);
      assert.equal((await indexer.index(m1)).state, 'IndexFinished');
      assert.equal((await indexer.index(m2)).state, 'IndexFinished');

      const result = await indexer.affectedManifests([
        vuln('1', 'openssl', '3.0.13-1~deb12u1'), // fixed in m2's version: only m1
        vuln('2', 'bash', ''), // unfixed: both
        vuln('3', 'openssl', '3.0.13-1~deb12u1', 'ubuntu'), // another distribution: none
        vuln('4', 'zlib', ''), // a package neither has: none
      ]);
      assert.deepEqual(Object.keys(result.vulnerabilities).sort(), ['1', '2']);
      assert.deepEqual(result.vulnerable_manifests, { [m1.hash]: ['1', '2'], [m2.hash]: ['2'] });
    });
  }

  it('looks names up in batches of 200, one store lookup each, giving the event loop a turn between them', async () => {
    const queries: string[][] = [];
    const store = { indexRecordsByPackageName: async (names: readonly string[]) => (queries.push([...names]), new Map()) };
    const many = Array.from({ length: 450 }, (_, i) => vuln(String(i), `pkg${i % 430}`, ''));
    let turns = 0;
    let running = true;
    const tick = (): void => {
      turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const result = await affectedManifests(store, many, affectedRules(defaultMatchers()));
    running = false;
    assert.deepEqual(result, { vulnerabilities: {}, vulnerable_manifests: {} });
    assert.deepEqual(queries.map((names) => names.length), [200, 200, 30], '430 distinct names, three lookups');
    assert.ok(turns >= 3, `the event loop ran between batches (${turns} turns)`);
  });
});
