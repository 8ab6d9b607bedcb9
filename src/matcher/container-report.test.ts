/**
 * End to end for Red Hat container images: images built here with the build
 * Dockerfile Red Hat's build system leaves in `root/buildinfo/`, indexed over
 * HTTP; a Red Hat CSAF VEX document about the ubi9/ubi-minimal container
 * (written here in Red Hat's format, `pkg:oci` products in two minor
 * streams) loaded by the real rhel-vex updater from a loopback server at the
 * upstream layout; and the vulnerability report requested through the API,
 * so the rhcc scanner, the rhcc coalescer, the matcher store's version
 * filter and the rhel-container matcher all take part.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { startClair, type ClairProcess } from '../app/start.js';
import { quietLogger, testConfig } from '../test-support/config.js';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { startFeedServer, type FeedServer } from '../test-support/feed-server.js';
import { buildTar, digestOf, gzip, serveBlobs, zstdRaw, type BlobServer } from '../test-support/layer-builder.js';
import { indexAndReport, waitForUpdates } from '../test-support/reports.js';
import type { Manifest, VulnerabilityReport } from '../model/index.js';

/** A build Dockerfile as Red Hat's build system writes it (labels as in real ubi9-minimal builds). */
function buildDockerfile(component: string, name: string, version: string, release: string): string {
  return [
    'FROM sha256:bc1c40ee0a0e1b2f1e7a2d3bf25c1f9fd63f6b35d3de25b2bc2b54f3e0b7d1a4',
    'LABEL maintainer="Red Hat, Inc."',
    `LABEL com.redhat.component="${component}" \\`,
    `      name="${name}" \\`,
    `      version="${version}" \\`,
    '      distribution-scope="public"',
    'CMD ["/bin/bash"]',
    `LABEL "release"="${release}" "architecture"="x86_64" "vcs-type"="git"`,
    '',
  ].join('\n');
}

/** One image layer carrying a build Dockerfile (and a file, as real layers have more than that). */
function imageLayer(component: string, name: string, version: string, release: string): Buffer {
  return gzip(buildTar([
    { type: 'dir', path: 'root/' },
    { type: 'dir', path: 'root/buildinfo/' },
    { path: `root/buildinfo/Dockerfile-${component}-${version}-${release}`, content: buildDockerfile(component, name, version, release) },
    { path: 'etc/motd', content: `${name} ${version}-${release}\n` },
  ]));
}

const UBI = { component: 'ubi9-minimal-container', name: 'ubi9/ubi-minimal' };
const LAYERS = {
  /** 9.3 stream, below the 9.3 fix. */
  'ubi-9.3-1361': imageLayer(UBI.component, UBI.name, '9.3', '1361'),
  /** 9.3 stream, the fixed build. */
  'ubi-9.3-1475': imageLayer(UBI.component, UBI.name, '9.3', '1475'),
  /** 9.2 stream, below the 9.2 fix. */
  'ubi-9.2-600': imageLayer(UBI.component, UBI.name, '9.2', '600'),
  /** 9.2 stream, above the 9.2 fix and below the 9.3 one: only the minor-stream filter keeps the 9.3 fix away. */
  'ubi-9.2-800': imageLayer(UBI.component, UBI.name, '9.2', '800'),
  /** An application image layered on ubi-minimal 9.2-600. */
  'nodejs-1-100': imageLayer('nodejs-18-minimal-container', 'ubi9/nodejs-18-minimal', '1', '100'),
};

/** Red Hat's container-name-to-repositories map (excerpt). */
const NAME2REPOS = { data: { 'ubi9/ubi-minimal': ['ubi9/ubi-minimal', 'ubi9-minimal'], 'ubi9/nodejs-18-minimal': ['ubi9/nodejs-18-minimal'] } };

/** A `pkg:oci` product of ubi9/ubi-minimal at `tag`, in the product tree. */
function ociProduct(digest: string, tag: string) {
  const id = `ubi9/ubi-minimal@sha256:${digest}_amd64`;
  return {
    id,
    branch: {
      category: 'product_version',
      name: id,
      product: {
        name: id,
        product_id: id,
        product_identification_helper: { purl: `pkg:oci/ubi-minimal@sha256%3A${digest}?arch=amd64&repository_url=registry.access.redhat.com/ubi9/ubi-minimal&tag=${tag}` },
      },
    },
  };
}

const RHEL9 = { id: 'red_hat_enterprise_linux_9', name: 'Red Hat Enterprise Linux 9', cpe: 'cpe:/o:redhat:enterprise_linux:9' };
const EUS92 = { id: 'EUS-9.2', name: 'Red Hat Enterprise Linux EUS 9.2', cpe: 'cpe:/a:redhat:rhel_eus:9.2' };
const FIXED_93 = ociProduct('1a2b3c4d5e6f', '9.3-1475');
const FIXED_92 = ociProduct('6f5e4d3c2b1a', '9.2-700');
const UNAFFECTED = ociProduct('0badc0ffee00', '9.3-1552');

const component = (product: typeof RHEL9, image: { id: string }) => ({
  category: 'default_component_of',
  full_product_name: { name: `${image.id} as a component of ${product.name}`, product_id: `${product.id}:${image.id}` },
  product_reference: image.id,
  relates_to_product_reference: product.id,
});

/** The CSAF VEX document of one CVE, with the product tree both CVEs below share. */
function vexDocument(cve: string, title: string, productStatus: Record<string, string[]>, remediations: object[]): string {
  const all = Object.values(productStatus).flat();
  const self = `https://security.access.redhat.com/data/csaf/v2/vex/2024/${cve.toLowerCase()}.json`;
  return JSON.stringify({
    document: {
      category: 'csaf_vex',
      csaf_version: '2.0',
      publisher: { category: 'vendor', name: 'Red Hat Product Security', namespace: 'https://www.redhat.com' },
      references: [{ category: 'self', summary: 'Canonical URL', url: self }],
      title,
      tracking: { id: cve, status: 'final', version: '3', initial_release_date: '2024-02-06T00:00:00+00:00', current_release_date: '2024-04-10T00:00:00+00:00' },
    },
    product_tree: {
      branches: [{
        category: 'vendor',
        name: 'Red Hat',
        branches: [
          {
            category: 'product_family',
            name: 'Red Hat Enterprise Linux',
            branches: [RHEL9, EUS92].map((p) => ({ category: 'product_name', name: p.name, product: { name: p.name, product_id: p.id, product_identification_helper: { cpe: p.cpe } } })),
          },
          { category: 'architecture', name: 'amd64', branches: [FIXED_93.branch, FIXED_92.branch, UNAFFECTED.branch] },
        ],
      }],
      relationships: [component(RHEL9, FIXED_93), component(EUS92, FIXED_92), component(RHEL9, UNAFFECTED)],
    },
    vulnerabilities: [{
      cve,
      notes: [{ category: 'description', text: `${title}.`, title: 'Vulnerability description' }],
      product_status: productStatus,
      references: [{ category: 'self', summary: 'Canonical URL', url: `https://access.redhat.com/security/cve/${cve}` }],
      release_date: '2024-02-06T00:00:00+00:00',
      remediations,
      scores: [{ cvss_v3: { attackVector: 'NETWORK', baseScore: 7.5, baseSeverity: 'HIGH', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', version: '3.1' }, products: all }],
      threats: [{ category: 'impact', details: 'Important', product_ids: all }],
    }],
  });
}

const FIXED_93_ID = `${RHEL9.id}:${FIXED_93.id}`;
const FIXED_92_ID = `${EUS92.id}:${FIXED_92.id}`;
const VEX_ARCHIVE = 'csaf_vex_2024-04-11.tar.zst';
function vexArchive(): Buffer {
  return zstdRaw(buildTar([
    { type: 'dir', path: '2024/' },
    // Fixed in both minor streams of the image.
    {
      path: '2024/cve-2024-0727.json',
      content: vexDocument('CVE-2024-0727', 'openssl: denial of service via null dereference', { fixed: [FIXED_93_ID, FIXED_92_ID] }, [
        { category: 'vendor_fix', details: 'Update the image.', product_ids: [FIXED_93_ID], url: 'https://access.redhat.com/errata/RHBA-2024:1775' },
        { category: 'vendor_fix', details: 'Update the image.', product_ids: [FIXED_92_ID], url: 'https://access.redhat.com/errata/RHBA-2024:1501' },
      ]),
    },
    // Red Hat says the image is not affected: nothing to report, at any tag.
    {
      path: '2024/cve-2024-2961.json',
      content: vexDocument('CVE-2024-2961', 'glibc: out of bounds write in iconv', { known_not_affected: [`${RHEL9.id}:${UNAFFECTED.id}`] }, []),
    },
  ]));
}

describe('Red Hat container image reports end to end', () => {
  let clair: ClairProcess;
  let feeds: FeedServer;
  let blobs: BlobServer;
  let db: TestDatabase;
  let dir: string;

  before(async () => {
    db = await createTestDatabase((await postgresUnavailable()) ? 'embedded' : 'postgres');
    blobs = await serveBlobs(Object.fromEntries(Object.entries(LAYERS).map(([name, body]) => [`/${name}`, { body }])));
    feeds = await startFeedServer({
      '/vex/archive_latest.txt': { body: `${VEX_ARCHIVE}\n` },
      [`/vex/${VEX_ARCHIVE}`]: { body: vexArchive(), lastModified: new Date('2024-04-11T00:00:00Z') },
      '/vex/changes.csv': { body: '', etag: '"c1"' },
      '/vex/deletions.csv': { body: '', etag: '"d1"' },
    });
    dir = mkdtempSync(join(tmpdir(), 'clair-rhcc-'));
    const name2repos = join(dir, 'container-name-repos-map.json');
    writeFileSync(name2repos, JSON.stringify(NAME2REPOS));
    const repo2cpe = join(dir, 'repository-to-cpe.json');
    writeFileSync(repo2cpe, JSON.stringify({ data: {} }));
    const c = { connstring: db.connstring, migrations: true };
    clair = await startClair({
      mode: 'combo',
      log: quietLogger(),
      config: testConfig('combo', {
        indexer: {
          ...c,
          scanner: {
            package: { rhel_containerscanner: { name2repos_mapping_file: name2repos } },
            repo: { 'rhel-repository-scanner': { repo2cpe_mapping_file: repo2cpe } },
          },
        },
        matcher: { ...c, disable_updaters: false },
        notifier: c,
        updaters: { sets: ['rhel-vex'], config: { 'rhel-vex': { url: `${feeds.url}vex/` } } },
      }),
    });
    await waitForUpdates(clair, ['rhel-vex']);
  });
  after(async () => {
    await clair?.close();
    await feeds?.close();
    await blobs?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function manifest(...layers: Array<keyof typeof LAYERS>): Manifest {
    const hash = `sha256:${createHash('sha256').update(layers.join('+')).digest('hex')}`;
    return { hash, layers: layers.map((l) => ({ hash: digestOf(LAYERS[l]), uri: blobs.url(`/${l}`), headers: {} })) } as Manifest;
  }

  /** `kind name version` → sorted `CVE (fixed in)` findings. */
  function findings(report: VulnerabilityReport): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [id, vulnIds] of Object.entries(report.package_vulnerabilities)) {
      const p = report.packages[id]!;
      out[`${p.kind} ${p.name} ${p.version}`] = vulnIds.map((v) => `${report.vulnerabilities[v]!.name} (${report.vulnerabilities[v]!.fixed_in_version})`).sort();
    }
    return out;
  }

  it('reports the fix of the image\'s own minor stream for a build below it', async () => {
    const report = await indexAndReport(clair, manifest('ubi-9.3-1361'));
    assert.deepEqual(findings(report), { 'binary ubi9/ubi-minimal 9.3-1361': ['CVE-2024-0727 (9.3-1475)'] });
    const [vuln] = Object.values(report.vulnerabilities);
    assert.equal(vuln!.updater, 'rhel-vex');
    assert.equal(vuln!.repository?.key, 'rhcc-container-repository');
    assert.equal(vuln!.repository?.name, 'cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:*');
    assert.equal(vuln!.normalized_severity, 'High');
    assert.match(vuln!.links, /RHBA-2024:1775/);
    // The package the finding is on is the one the rhcc scanner reported, in the gold repository.
    const pkg = Object.values(report.packages).find((p) => p.kind === 'binary' && p.name === 'ubi9/ubi-minimal')!;
    assert.equal(pkg.normalized_version, 'rhctag:9.3.0.0.0.0.0.0.0.0');
    const repoIds = report.environments[pkg.id]![0]!.repository_ids ?? [];
    assert.deepEqual(repoIds.map((r) => report.repository[r]!.name), ['Red Hat Container Catalog']);
    // Every repository the name label maps to is a binary and an ancestry package; the data names one of them.
    const images = Object.values(report.packages).filter((p) => p.kind !== 'source').map((p) => `${p.kind} ${p.name} ${p.version} ${p.source?.name}`).sort();
    assert.deepEqual(images, [
      'ancestry ubi9-minimal 9.3-1361 ubi9-minimal-container',
      'ancestry ubi9/ubi-minimal 9.3-1361 ubi9-minimal-container',
      'binary ubi9-minimal 9.3-1361 ubi9-minimal-container',
      'binary ubi9/ubi-minimal 9.3-1361 ubi9-minimal-container',
    ]);
  });

  it('reports nothing for the fixed build', async () => {
    const report = await indexAndReport(clair, manifest('ubi-9.3-1475'));
    assert.ok(Object.values(report.packages).some((p) => p.name === 'ubi9/ubi-minimal' && p.version === '9.3-1475'), 'the image was recognised');
    assert.deepEqual(findings(report), {});
  });

  it('keeps other minor streams apart: a 9.2 build gets the 9.2 fix, or nothing once it has it', async () => {
    assert.deepEqual(findings(await indexAndReport(clair, manifest('ubi-9.2-600'))), { 'binary ubi9/ubi-minimal 9.2-600': ['CVE-2024-0727 (9.2-700)'] });
    const fixed92 = await indexAndReport(clair, manifest('ubi-9.2-800'));
    assert.ok(Object.values(fixed92.packages).some((p) => p.name === 'ubi9/ubi-minimal' && p.version === '9.2-800'));
    assert.deepEqual(findings(fixed92), {}, '9.2-800 sorts below 9.3-1475, but that fix is for another stream');
  });

  it('does not report a base image\'s findings against an image built on it', async () => {
    const report = await indexAndReport(clair, manifest('ubi-9.2-600', 'nodejs-1-100'));
    const base = Object.values(report.packages).find((p) => p.kind === 'binary' && p.name === 'ubi9/ubi-minimal');
    assert.ok(base, 'the base image is indexed');
    assert.match(base.normalized_version, /^unmatchable:/);
    assert.ok(Object.values(report.packages).some((p) => p.name === 'ubi9/nodejs-18-minimal' && p.version === '1-100'));
    assert.deepEqual(findings(report), {});
  });
});
