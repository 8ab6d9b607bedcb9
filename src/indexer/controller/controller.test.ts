import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LocalIndexer } from '../local-indexer.js';
import { createIndexer } from '../../app/indexer.js';
import { linuxCoalescer, languageCoalescer, filesCoalescer } from '../coalescers.js';
import type { Ecosystem } from '../ecosystem.js';
import type { DistributionScanner, PackageScanner } from '../scanner.js';
import type { LayerFS } from '../layer-fs.js';
import type { OpenedLayer } from './context.js';
import type { Manifest } from '../../model/index.js';
import { whiteoutScanner } from '../../scanners/whiteout/file-scanner.js';
import { whiteoutResolver } from '../../scanners/whiteout/resolver.js';
import { memoryLayer, type MemoryEntrySpec } from '../../test-support/memory-layer-fs.js';
import { openDatabase } from '../../store/open.js';
import { migrate } from '../../store/migrate.js';
import type { Database } from '../../store/database.js';
import { BACKENDS, createTestDatabase, postgresUnavailable} from '../../test-support/databases.js';
import { quietLogger } from '../../test-support/config.js';

const pgSkip = await postgresUnavailable();

/** A toy OS package database: `var/lib/toy/db`, one "name version" per line. */
function toyScanner(version = '1'): PackageScanner {
  return {
    name: 'toy',
    version,
    kind: 'package',
    async scan(layer: LayerFS) {
      if (!layer.stat('var/lib/toy/db')) return [];
      const text = (await layer.readFile('var/lib/toy/db')).toString();
      return text.trim().split('\n').filter(Boolean).map((line) => {
        const [name, v] = line.split(' ');
        return { name: name!, version: v!, kind: 'binary', arch: 'amd64', module: '', cpe: '', packageDb: 'var/lib/toy/db', filepath: '', repositoryHint: '',
          source: { name: `${name}-src`, version: v!, kind: 'source', arch: '', module: '', cpe: '', packageDb: 'var/lib/toy/db', filepath: '', repositoryHint: '' } };
      });
    },
  };
}

const toyRelease: DistributionScanner = {
  name: 'toy-release',
  version: '1',
  kind: 'distribution',
  async scan(layer) {
    if (!layer.stat('etc/toy-release')) return [];
    const v = (await layer.readFile('etc/toy-release')).toString().trim();
    return [{ did: 'toy', name: 'Toy Linux', version: v, versionCodeName: '', versionId: v, arch: '', cpe: '', prettyName: `Toy Linux ${v}` }];
  },
};

/** A toy language ecosystem: `app/<name>-<version>.pkg` files. */
const appScanner: PackageScanner = {
  name: 'app',
  version: '1',
  kind: 'package',
  defaultRepository: { name: 'apprepo', key: '', uri: 'https://apps.example/', cpe: '' },
  async scan(layer) {
    return [...layer.entries()]
      .filter((e) => e.type === 'file' && /^app\/[^/.][^/]*\.pkg$/.test(e.path))
      .map((e) => {
        const [, name, version] = /^app\/(.+)-([^-]+)\.pkg$/.exec(e.path)!;
        return { name: name!, version: version!, kind: 'binary', arch: '', module: '', cpe: '', packageDb: 'app:app', filepath: e.path, repositoryHint: '' };
      });
  },
};

function counted<T extends PackageScanner | DistributionScanner>(scanner: T, calls: string[]): T {
  return { ...scanner, scan: async (layer: LayerFS, ctx: never) => (calls.push(`${scanner.name}@${scanner.version}:${layer.digest.slice(7, 9)}`), scanner.scan(layer, ctx)) } as T;
}

const D = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

interface Harness {
  indexer: LocalIndexer;
  opens: string[];
  scans: string[];
}

async function harness(db: Database, layers: Map<string, MemoryEntrySpec[]>, options: { toyVersion?: string; failOpen?: Set<string>; slowOpenMs?: number } = {}): Promise<Harness> {
  const opens: string[] = [];
  const scans: string[] = [];
  const ecosystems: Ecosystem[] = [
    { name: 'toy', packageScanners: [counted(toyScanner(options.toyVersion), scans)], distributionScanners: [counted(toyRelease, scans)], repositoryScanners: [], fileScanners: [], coalescer: linuxCoalescer },
    { name: 'app', packageScanners: [counted(appScanner, scans)], distributionScanners: [], repositoryScanners: [], fileScanners: [], coalescer: languageCoalescer },
    { name: 'whiteout', packageScanners: [], distributionScanners: [], repositoryScanners: [], fileScanners: [whiteoutScanner], coalescer: filesCoalescer },
  ];
  const indexer = await createIndexer({
    db,
    ecosystems,
    resolvers: [whiteoutResolver],
    layerConcurrency: 2,
    lockRetryMs: 50,
    matchers: [],
    log: quietLogger(),
    openLayer: async (layer) => {
      opens.push(layer.hash.slice(7, 9));
      if (options.slowOpenMs) await new Promise((r) => setTimeout(r, options.slowOpenMs));
      if (options.failOpen?.has(layer.hash)) throw new Error(`fetch ${layer.hash}: 500 Internal Server Error`);
      const fs = memoryLayer(layers.get(layer.hash)!, { digest: layer.hash });
      return Object.assign(fs, { close: async () => {} }) as OpenedLayer;
    },
  });
  return { indexer, opens, scans };
}

const manifestOf = (digest: string, layers: string[]): Manifest => ({ hash: digest, layers: layers.map((hash) => ({ hash, uri: `http://registry.invalid/${hash}` })) }) as unknown as Manifest;

const LAYERS = new Map<string, MemoryEntrySpec[]>([
  [D(1), [{ path: 'etc/toy-release', content: '7\n' }, { path: 'var/lib/toy/db', content: 'libc 1.0\nopenssl 3.0.1\nzlib 1.2\n' }, { path: 'app/left-pad-1.0.pkg', content: '' }]],
  // Upgrades openssl, removes zlib, adds curl; deletes the app package with a whiteout; adds another.
  [D(2), [{ path: 'var/lib/toy/db', content: 'libc 1.0\nopenssl 3.0.2\ncurl 8.0\n' }, { path: 'app/.wh.left-pad-1.0.pkg', content: '' }, { path: 'app/lodash-4.17.21.pkg', content: '' }]],
  [D(3), [{ path: 'etc/motd', content: 'hi' }]],
]);

for (const backend of BACKENDS) {
  describe(`indexer controller (${backend})`, { skip: backend === 'postgres' ? pgSkip : undefined }, () => {
    const cleanups: Array<() => Promise<void>> = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });
    const freshDb = async (): Promise<{ db: Database; connstring: string }> => {
      const target = await createTestDatabase(backend);
      const db = await openDatabase(target.connstring, { dataDir: 'unused' });
      await migrate(db, 'indexer');
      cleanups.push(async () => {
        await db.close();
        await target.drop();
      });
      return { db, connstring: target.connstring };
    };

    it('walks the states to IndexFinished and coalesces what the image really contains', async () => {
      const { db } = await freshDb();
      const h = await harness(db, LAYERS);
      const report = await h.indexer.index(manifestOf(D(9), [D(1), D(2), D(3)]));
      assert.equal(report.state, 'IndexFinished');
      assert.equal(report.success, true);
      assert.equal(report.err, '');
      const pkgs = Object.values(report.packages).map((p) => `${p.name} ${p.version} (${p.source?.name ?? '-'})`).sort();
      assert.deepEqual(pkgs, ['curl 8.0 (curl-src)', 'libc 1.0 (libc-src)', 'lodash 4.17.21 (-)', 'openssl 3.0.2 (openssl-src)']);
      const byName = Object.fromEntries(Object.values(report.packages).map((p) => [p.name, p]));
      const dist = Object.values(report.distributions);
      assert.deepEqual(dist.map((d) => d.pretty_name), ['Toy Linux 7']);
      assert.deepEqual(report.environments[byName.libc!.id], [{ package_db: 'var/lib/toy/db', introduced_in: D(1), distribution_id: dist[0]!.id, repository_ids: null }]);
      assert.equal(report.environments[byName.curl!.id]![0]!.introduced_in, D(2));
      assert.equal(report.environments[byName.curl!.id]![0]!.distribution_id, dist[0]!.id, 'an older layer\'s distribution applies');
      const repo = Object.values(report.repository);
      assert.deepEqual(repo.map((r) => [r.name, r.uri]), [['apprepo', 'https://apps.example/']]);
      assert.deepEqual(report.environments[byName.lodash!.id], [{ package_db: 'app:app', introduced_in: D(2), distribution_id: '', repository_ids: [repo[0]!.id] }]);
      assert.deepEqual(await h.indexer.indexReport(D(9)), report, 'the report is stored');
    });

    it('never fetches or scans a known manifest or layer again, and scans a shared layer once', async () => {
      const { db } = await freshDb();
      const h = await harness(db, LAYERS);
      await h.indexer.index(manifestOf(D(9), [D(1), D(2)]));
      assert.deepEqual(h.opens.sort(), ['11', '22']);
      const again = await h.indexer.index(manifestOf(D(9), [D(1), D(2)]));
      assert.equal(again.state, 'IndexFinished');
      assert.deepEqual(h.opens.sort(), ['11', '22'], 're-posting fetches nothing');
      await h.indexer.index(manifestOf(D(8), [D(1), D(3)]));
      assert.deepEqual(h.opens.sort(), ['11', '22', '33'], 'a second manifest fetches only its new layer');
      assert.equal(h.scans.filter((s) => s.endsWith(':11')).length, 3, 'layer 1 was scanned once by each of its three scanners');
    });

    it('rescans only for a scanner whose version changed', async () => {
      const { db } = await freshDb();
      const first = await harness(db, LAYERS);
      await first.indexer.index(manifestOf(D(9), [D(1), D(2)]));
      const bumped = await harness(db, LAYERS, { toyVersion: '2' });
      assert.notEqual(await bumped.indexer.state(), await first.indexer.state(), 'the state token changes');
      const report = await bumped.indexer.index(manifestOf(D(9), [D(1), D(2)]));
      assert.equal(report.state, 'IndexFinished');
      assert.deepEqual(bumped.scans.sort(), ['toy@2:11', 'toy@2:22']);
      assert.equal(Object.keys(report.packages).length, 4);
    });

    it('records a failed fetch as IndexError, and a re-post finishes the work', async () => {
      const { db } = await freshDb();
      const failing = await harness(db, LAYERS, { failOpen: new Set([D(2)]) });
      const failed = await failing.indexer.index(manifestOf(D(9), [D(1), D(2)]));
      assert.equal(failed.state, 'IndexError');
      assert.equal(failed.success, false);
      assert.match(failed.err, /500 Internal Server Error/);
      assert.deepEqual((await failing.indexer.indexReport(D(9)))?.state, 'IndexError');
      const fixed = await harness(db, LAYERS);
      const report = await fixed.indexer.index(manifestOf(D(9), [D(1), D(2)]));
      assert.equal(report.state, 'IndexFinished');
      assert.equal(Object.keys(report.packages).length, 4);
    });

    it('does the work once when two requests race on one manifest', async () => {
      const { db } = await freshDb();
      const h = await harness(db, LAYERS, { slowOpenMs: 100 });
      const [a, b] = await Promise.all([h.indexer.index(manifestOf(D(9), [D(1), D(2)])), h.indexer.index(manifestOf(D(9), [D(1), D(2)]))]);
      assert.deepEqual(a, b);
      assert.equal(a.state, 'IndexFinished');
      assert.deepEqual(h.opens.sort(), ['11', '22'], 'each layer fetched once');
      assert.equal(h.scans.length, 6, 'each of the two layers scanned once by each of the three scanners');
    });

    it('does a shared layer once when two indexers race on different manifests', async () => {
      const { db, connstring } = await freshDb();
      const other = await openDatabase(connstring, { dataDir: 'unused' });
      cleanups.push(() => other.close());
      const h1 = await harness(db, LAYERS, { slowOpenMs: 100 });
      const h2 = await harness(other, LAYERS, { slowOpenMs: 100 });
      const [a, b] = await Promise.all([h1.indexer.index(manifestOf(D(9), [D(1), D(2)])), h2.indexer.index(manifestOf(D(8), [D(1), D(3)]))]);
      assert.equal(a.state, 'IndexFinished');
      assert.equal(b.state, 'IndexFinished');
      assert.equal([...h1.opens, ...h2.opens].filter((o) => o === '11').length, 1, 'the shared layer was fetched by one indexer only');
    });
  });
}
