/**
 * End-to-end indexing of real images through the HTTP API: layers fetched
 * over HTTP, decompressed, scanned and coalesced, compared with what the
 * images' own package managers list (the oracle files of the corpus).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startClair, type ClairProcess } from '../app/start.js';
import { quietLogger, testConfig } from '../test-support/config.js';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { expectedLines, imagesUnavailable, serveImageLayers, type LayerServer } from '../test-support/images.js';
import type { IndexReport, Package } from '../model/index.js';

const skip = imagesUnavailable();

describe('indexing the real test images', { skip }, () => {
  let clair: ClairProcess;
  let layers: LayerServer;
  let db: TestDatabase;
  let mapping: string;

  before(async () => {
    db = await createTestDatabase((await postgresUnavailable()) ? 'embedded' : 'postgres');
    layers = await serveImageLayers();
    // Red Hat's repository-to-CPE mapping, for the RPM image's content sets (an excerpt in the real format).
    const mappingDir = mkdtempSync(join(tmpdir(), 'clair-r2c-'));
    mapping = join(mappingDir, 'repository-to-cpe.json');
    writeFileSync(mapping, JSON.stringify({
      data: {
        'rhel-9-for-x86_64-baseos-rpms': { cpes: ['cpe:/o:redhat:enterprise_linux:9::baseos', 'cpe:/o:redhat:rhel_eus:9.2::baseos'] },
        'rhel-9-for-x86_64-appstream-rpms': { cpes: ['cpe:/a:redhat:enterprise_linux:9::appstream'] },
      },
    }));
    const scanner = { repo: { 'rhel-repository-scanner': { repo2cpe_mapping_file: mapping } } };
    clair = await startClair({ config: testConfig('indexer', { indexer: { connstring: db.connstring, migrations: true, scanner } }), mode: 'indexer', log: quietLogger() });
  });
  after(async () => {
    await clair?.close();
    await layers?.close();
    await db?.drop();
    if (mapping) rmSync(dirname(mapping), { recursive: true, force: true });
  });

  async function index(image: string, ext: 'tar.gz' | 'tar.zst' = 'tar.gz'): Promise<IndexReport> {
    const response = await fetch(`${clair.apiUrl}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(layers.manifest(image, ext)), headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 201);
    const report = (await response.json()) as IndexReport;
    assert.equal(report.err, '');
    assert.equal(report.state, 'IndexFinished');
    return report;
  }

  const dbOf = (report: IndexReport, p: Package) => report.environments[p.id]?.[0]?.package_db;

  for (const ext of ['tar.gz', 'tar.zst'] as const) {
    it(`finds exactly the dpkg packages dpkg-query lists in Debian bookworm (${ext} layers)`, async () => {
      const report = await index('debian', ext);
      const found = Object.values(report.packages)
        .filter((p) => p.kind === 'binary' && dbOf(report, p) === 'var/lib/dpkg/status')
        .map((p) => `${p.name} ${p.version} ${p.source?.name} ${p.source?.version} ${p.arch}`)
        .sort();
      assert.deepEqual(found, expectedLines('debian.debs.txt').sort());
      const dists = Object.values(report.distributions);
      assert.deepEqual(dists.map((d) => [d.did, d.version_id, d.version_code_name, d.pretty_name]), [['debian', '12', 'bookworm', 'Debian GNU/Linux 12 (bookworm)']]);
    });
  }

  it('attributes packages to the layer that introduced them, and honours whiteouts', async () => {
    const manifest = layers.manifest('debian');
    const report = await index('debian');
    const layerOf = (name: string) => report.environments[Object.values(report.packages).find((p) => p.name === name && p.kind === 'binary')!.id]![0]!.introduced_in;
    assert.equal(layerOf('base-files'), manifest.layers[0]!.hash, 'debootstrap packages come from layer 1');
    assert.equal(layerOf('curl'), manifest.layers[1]!.hash, 'curl was installed in layer 2');
    // Layer 3 hides Debian's Python egg-info with an opaque whiteout: no python packages survive from dist-packages.
    const python = Object.values(report.packages).filter((p) => dbOf(report, p)?.startsWith('python:usr/lib/python3/dist-packages'));
    assert.deepEqual(python, []);
  });

  it('finds the Alpine image\'s apk packages', async () => {
    const report = await index('alpine');
    const found = Object.values(report.packages).filter((p) => p.kind === 'binary').map((p) => `${p.name} ${p.version}`).sort();
    assert.deepEqual(found, expectedLines('alpine.apks.txt').sort());
    assert.deepEqual(Object.values(report.distributions).map((d) => [d.did, d.version, d.pretty_name]), [['alpine', '3.17', 'Alpine Linux v3.17']]);
  });

  it('finds the RPM image\'s packages from its SQLite rpmdb', async () => {
    const report = await index('rhel');
    const found = Object.values(report.packages).filter((p) => p.kind === 'binary').map((p) => `${p.name} ${p.version} ${p.arch}`).sort();
    const expected = expectedLines('rhel.rpms.txt').map((l) => {
      const [name, epoch, vr, arch] = l.split(' ');
      return `${name} ${epoch === '(none)' || epoch === '0' ? '' : `${epoch}:`}${vr} ${arch}`;
    });
    assert.deepEqual(found, expected.sort());
    assert.equal(Object.values(report.distributions)[0]?.did, 'rhel');
    const repos = Object.values(report.repository).filter((r) => r.key === 'rhel-cpe-repository').map((r) => r.name).sort();
    assert.deepEqual(repos, ['cpe:2.3:a:redhat:enterprise_linux:9:*:appstream:*:*:*:*:*', 'cpe:2.3:o:redhat:enterprise_linux:9:*:baseos:*:*:*:*:*', 'cpe:2.3:o:redhat:rhel_eus:9.2:*:baseos:*:*:*:*:*']);
  });

  it('finds the language packages of the lang image', async () => {
    const report = await index('lang');
    const repoNames = (p: Package) => (report.environments[p.id]?.[0]?.repository_ids ?? []).map((id) => report.repository[id]?.name);
    const found = new Set(Object.values(report.packages).filter((p) => repoNames(p).length > 0).map((p) => `${repoNames(p)[0]} ${p.name} ${p.version}`));
    for (const line of expectedLines('lang.langpkgs.txt')) {
      const [eco, name, version] = line.split(' ');
      const want = { gem: 'rubygems', pypi: 'pypi', npm: 'npm', maven: 'maven' }[eco!];
      if (!want) continue; // Go binaries are checked below
      assert.ok(found.has(`${want} ${name} ${version}`), `missing ${want} ${name} ${version}; found ${[...found].join(', ')}`);
    }
    const go = Object.values(report.packages).filter((p) => repoNames(p)[0] === 'go').map((p) => p.name);
    assert.ok(go.includes('golang.org/x/sys'), `esbuild's dependency is found: ${go.join(', ')}`);
    assert.ok(go.includes('stdlib'));
  });
});
