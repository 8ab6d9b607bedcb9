/**
 * Azure Linux 3.0 and CBL-Mariner 2.0 end to end, in combo mode: three
 * single-layer images built here (os-release linked from `usr/lib`, the
 * release file, an rpm SQLite database of real-format package headers; and
 * an Azure Linux 3.0 distroless image with only the rpm manifest)
 * are indexed over HTTP by the default scanners; the `azurelinux` updater set
 * loads Microsoft's OVAL files (the hand-written ones in
 * `src/updaters/azurelinux/testdata/`) from a loopback server at the
 * repository's raw layout; the vulnerability reports come through the API.
 *
 * Each image has a package below a fix (flagged, with the fix), one at the
 * fix (not flagged), one unfixed at the last affected version (flagged
 * without a fix), one above an unfixed bound, one under a Not Applicable
 * definition (not flagged), and packages whose versions the other release's
 * data would flag (the distribution constraint keeps them apart).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startClair, type ClairProcess } from '../../app/start.js';
import type { IndexReport, Manifest, VulnerabilityReport } from '../../model/index.js';
import { azureLinux3DistrolessLayer, azureLinux3Layer, mariner2Layer } from '../../test-support/azurelinux-fixtures.js';
import { quietLogger, testConfig } from '../../test-support/config.js';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../../test-support/databases.js';
import { startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { digestOf, serveBlobs, type BlobServer } from '../../test-support/layer-builder.js';
import { indexAndReport, waitForUpdates } from '../../test-support/reports.js';

const RAW = '/microsoft/AzureLinuxVulnerabilityData/main/';
const oval = (name: string): Buffer => readFileSync(new URL(`../../updaters/azurelinux/testdata/${name}`, import.meta.url));

/**
 * `name version arch (source) db@did` of every package in a report, with the
 * environments that place it in a distribution (the rhel ecosystem also
 * lists every rpm, in an environment without one, which no matcher uses).
 */
function packages(report: IndexReport): string[] {
  const placed = (id: string) =>
    (report.environments[id] ?? []).filter((e) => e.distribution_id !== '').map((e) => `${e.package_db}@${report.distributions[e.distribution_id]?.did}`);
  return Object.values(report.packages)
    .map((p) => `${p.name} ${p.version} ${p.arch} (${p.source?.name} ${p.source?.version}) ${placed(p.id).join(',')}`)
    .sort();
}

/** `package → ["CVE fixed-in severity", …]` for every package with a finding. */
function findings(report: VulnerabilityReport): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [pkgId, ids] of Object.entries(report.package_vulnerabilities)) {
    if (ids.length === 0) continue;
    const p = report.packages[pkgId]!;
    out[`${p.name} ${p.version}`] = ids.map((id) => report.vulnerabilities[id]!).map((v) => `${v.name} fixed=${v.fixed_in_version || '(none)'} ${v.normalized_severity} ${v.updater}`).sort();
  }
  return out;
}

describe('Azure Linux and CBL-Mariner vulnerability reports end to end', () => {
  let clair: ClairProcess;
  let blobs: BlobServer;
  let feeds: FeedServer;
  let db: TestDatabase;
  const manifests: Record<string, Manifest> = {};
  const indexed: Record<string, IndexReport> = {};
  const reports: Record<string, VulnerabilityReport> = {};

  before(async () => {
    db = await createTestDatabase((await postgresUnavailable()) ? 'embedded' : 'postgres');
    const layers = { azl3: await azureLinux3Layer(), cm2: await mariner2Layer(), distroless: azureLinux3DistrolessLayer() };
    blobs = await serveBlobs({ '/azl3': { body: layers.azl3 }, '/cm2': { body: layers.cm2 }, '/distroless': { body: layers.distroless } });
    feeds = await startFeedServer({
      [`${RAW}azurelinux-3.0-oval.xml`]: { body: oval('azurelinux-3.0-oval.xml'), contentType: 'text/plain; charset=utf-8' },
      [`${RAW}cbl-mariner-2.0-oval.xml`]: { body: oval('cbl-mariner-2.0-oval.xml'), contentType: 'text/plain; charset=utf-8' },
      [`${RAW}cbl-mariner-1.0-oval.xml`]: { body: oval('cbl-mariner-1.0-oval.xml'), contentType: 'text/plain; charset=utf-8' },
    });
    const c = { connstring: db.connstring, migrations: true };
    clair = await startClair({
      mode: 'combo',
      log: quietLogger(),
      config: testConfig('combo', {
        indexer: c,
        matcher: { ...c, disable_updaters: false },
        notifier: c,
        // The base URL stands in for raw.githubusercontent.com; the file names are Microsoft's.
        updaters: { sets: ['azurelinux'], config: { azurelinux: { url: `${feeds.url}${RAW.slice(1)}` } } },
      }),
    });
    await waitForUpdates(clair, ['mariner-updater-1.0', 'mariner-updater-2.0', 'azurelinux-updater-3.0']);
    for (const name of ['azl3', 'cm2', 'distroless'] as const) {
      const layer = layers[name];
      const manifest = { hash: digestOf(Buffer.from(`manifest:${name}:${digestOf(layer)}`)), layers: [{ hash: digestOf(layer), uri: blobs.url(`/${name}`), headers: {} }] } as unknown as Manifest;
      manifests[name] = manifest;
      reports[name] = await indexAndReport(clair, manifest);
      const r = await fetch(`${clair.apiUrl}/indexer/api/v1/index_report/${manifest.hash}`);
      assert.equal(r.status, 200);
      indexed[name] = (await r.json()) as IndexReport;
    }
  });
  after(async () => {
    await clair?.close();
    await blobs?.close();
    await feeds?.close();
    await db?.drop();
  });

  it('fetched each release file from the configured base, under Microsoft\'s names', () => {
    assert.deepEqual([...new Set(feeds.requests.map((r) => r.path))].sort(), [`${RAW}azurelinux-3.0-oval.xml`, `${RAW}cbl-mariner-1.0-oval.xml`, `${RAW}cbl-mariner-2.0-oval.xml`]);
  });

  it('indexes the Azure Linux 3.0 image: its distribution and every rpm from the SQLite rpmdb', () => {
    const report = indexed.azl3!;
    assert.equal(report.state, 'IndexFinished');
    assert.deepEqual(Object.values(report.distributions).map(({ id: _id, ...d }) => d), [
      { did: 'azurelinux', name: 'Microsoft Azure Linux', version: '3.0', version_code_name: '', version_id: '3.0', arch: '', cpe: '', pretty_name: 'Microsoft Azure Linux 3.0' },
    ]);
    const db = 'sqlite:var/lib/rpm@azurelinux';
    assert.deepEqual(packages(report), [
      `azurelinux-release 3.0-16.azl3 noarch (azurelinux-release 3.0-16.azl3) ${db}`,
      `bash 5.2.15-3.azl3 x86_64 (bash 5.2.15-3.azl3) ${db}`,
      `curl 8.8.0-2.azl3 x86_64 (curl 8.8.0-2.azl3) ${db}`,
      `curl-libs 8.8.0-2.azl3 x86_64 (curl 8.8.0-2.azl3) ${db}`,
      `expat 2.6.3-1.azl3 x86_64 (expat 2.6.3-1.azl3) ${db}`,
      `glibc 2.38-8.azl3 x86_64 (glibc 2.38-8.azl3) ${db}`,
      `openssl 3.3.2-1.azl3 x86_64 (openssl 3.3.2-1.azl3) ${db}`,
      `openssl-libs 3.3.2-1.azl3 x86_64 (openssl 3.3.2-1.azl3) ${db}`,
      `tar 1.35-1.azl3 x86_64 (tar 1.35-1.azl3) ${db}`,
    ]);
  });

  it('indexes the CBL-Mariner 2.0 image', () => {
    const report = indexed.cm2!;
    assert.deepEqual(Object.values(report.distributions).map((d) => `${d.did} ${d.version_id} ${d.pretty_name}`), ['mariner 2.0 CBL-Mariner 2.0']);
    assert.deepEqual(packages(report).map((p) => p.replace(/ \(.*\)/, '')), [
      'bash 5.1.8-4.cm2 x86_64 sqlite:var/lib/rpm@mariner',
      'curl 8.8.0-1.cm2 x86_64 sqlite:var/lib/rpm@mariner',
      'curl-libs 8.8.0-1.cm2 x86_64 sqlite:var/lib/rpm@mariner',
      'mariner-release 2.0-57.cm2 noarch sqlite:var/lib/rpm@mariner',
      'openssl 1.1.1k-31.cm2 x86_64 sqlite:var/lib/rpm@mariner',
      'openssl-libs 1.1.1k-31.cm2 x86_64 sqlite:var/lib/rpm@mariner',
      'zlib 1.2.13-2.cm2 x86_64 sqlite:var/lib/rpm@mariner',
    ]);
  });

  it('reports exactly the Azure Linux 3.0 vulnerabilities: fixed through the source rpm, and unfixed', () => {
    assert.deepEqual(findings(reports.azl3!), {
      // Below the fix; openssl-libs through its source rpm. The 2.0 data (fix 1.1.1k-32.cm2) does not apply.
      'openssl 3.3.2-1.azl3': ['CVE-2024-6119 fixed=0:3.3.2-3.azl3 High azurelinux-updater-3.0'],
      'openssl-libs 3.3.2-1.azl3': ['CVE-2024-6119 fixed=0:3.3.2-3.azl3 High azurelinux-updater-3.0'],
      // Unfixed, at the last affected version.
      'expat 2.6.3-1.azl3': ['CVE-2024-45490 fixed=(none) Critical azurelinux-updater-3.0'],
      // Not flagged: curl at its fix, bash above its unfixed bound, glibc Not Applicable, tar above its fix.
    });
  });

  it('carries the OVAL definition\'s details on the reported vulnerability', () => {
    const report = reports.azl3!;
    const vuln = Object.values(report.vulnerabilities).find((v) => v.name === 'CVE-2024-6119')!;
    assert.deepEqual(
      {
        name: vuln.name,
        updater: vuln.updater,
        description: vuln.description,
        issued: new Date(vuln.issued).toISOString(),
        links: vuln.links,
        severity: vuln.severity,
        normalized_severity: vuln.normalized_severity,
        package: [vuln.package.name, vuln.package.kind],
        distribution: [vuln.distribution.did, vuln.distribution.version_id, vuln.distribution.name],
        fixed_in_version: vuln.fixed_in_version,
      },
      {
        name: 'CVE-2024-6119',
        updater: 'azurelinux-updater-3.0',
        description: 'CVE-2024-6119 affecting package openssl for versions less than 3.3.2-3. A patched version of the package is available.',
        issued: '2024-09-10T19:24:11.000Z',
        links: 'https://nvd.nist.gov/vuln/detail/CVE-2024-6119',
        severity: 'High',
        normalized_severity: 'High',
        package: ['openssl', 'source'],
        distribution: ['azurelinux', '3.0', 'Microsoft Azure Linux'],
        fixed_in_version: '0:3.3.2-3.azl3',
      },
    );
  });

  it('indexes and matches the Azure Linux 3.0 distroless image from its rpm manifest', () => {
    const db = 'var/lib/rpmmanifest/container-manifest-2@azurelinux';
    assert.deepEqual(packages(indexed.distroless!), [
      `distroless-packages-base 3.0-16.azl3 x86_64 (azurelinux-release 3.0-16.azl3) ${db}`,
      `filesystem 1.1-21.azl3 x86_64 (filesystem 1.1-21.azl3) ${db}`,
      `glibc 2.38-8.azl3 x86_64 (glibc 2.38-8.azl3) ${db}`,
      `openssl-libs 3.3.2-1.azl3 x86_64 (openssl 3.3.2-1.azl3) ${db}`,
      `tzdata 1:2024a-1.azl3 noarch (tzdata 2024a-1.azl3) ${db}`,
    ]);
    assert.deepEqual(findings(reports.distroless!), { 'openssl-libs 3.3.2-1.azl3': ['CVE-2024-6119 fixed=0:3.3.2-3.azl3 High azurelinux-updater-3.0'] });
  });

  it('reports exactly the CBL-Mariner 2.0 vulnerabilities, none from the 3.0 or 1.0 data', () => {
    assert.deepEqual(findings(reports.cm2!), {
      'openssl 1.1.1k-31.cm2': ['CVE-2024-5535 fixed=0:1.1.1k-32.cm2 Medium mariner-updater-2.0'],
      'openssl-libs 1.1.1k-31.cm2': ['CVE-2024-5535 fixed=0:1.1.1k-32.cm2 Medium mariner-updater-2.0'],
      'curl 8.8.0-1.cm2': ['CVE-2024-6197 fixed=(none) High mariner-updater-2.0', 'CVE-2024-7264 fixed=0:8.8.0-2.cm2 Medium mariner-updater-2.0'],
      'curl-libs 8.8.0-1.cm2': ['CVE-2024-6197 fixed=(none) High mariner-updater-2.0', 'CVE-2024-7264 fixed=0:8.8.0-2.cm2 Medium mariner-updater-2.0'],
      // Not flagged: zlib at its fix, openssl's Not Applicable CVE-2023-0464, and bash 5.1.8,
      // which the 3.0 data (unfixed up to 5.2.15-2.azl3) would flag without the release constraint.
    });
  });
});
