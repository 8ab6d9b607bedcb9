/**
 * @module The air-gap tests' scene (test only): a loopback feed server
 * playing Alpine's secdb (v3.19/main) and OSV's bucket (PyPI), and an Alpine
 * 3.19 image served as a layer blob with musl, openssl and the pip wheel, so
 * both sources affect it:
 *
 * - CVE-2026-1111: openssl fixed in 3.1.4-r1 (the image has 3.1.4-r0);
 * - CVE-2026-2222: musl fixed in 1.2.4_git20230717-r5 (image: -r4);
 * - CVE-2026-0404: xen, not in the image;
 * - GHSA-mq26-g339-26xf: pip fixed in 23.3 (image: 23.0.1).
 *
 * The same server plays the enrichers' sources (NVD feeds, EPSS, KEV) with
 * data for the two CVEs: CVSS for both, EPSS for both, KEV for
 * CVE-2026-1111 only.
 */
import { mkdtempSync, chmodSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Manifest } from '../../model/index.js';
import { startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { gzipSync } from 'node:zlib';
import { cvss3Data, EPSS_PATH, epssCsv, KEV_PATH, kevCatalog, nvdCve, nvdFeed, nvdRoutes } from '../../test-support/enrichment-feeds.js';
import { buildZip } from '../../test-support/jar-builder.js';
import { buildTar, digestOf, gzip, serveBlobs, type BlobServer } from '../../test-support/layer-builder.js';

export const ALPINE_UPDATER = 'alpine-main-v3.19-updater';
export const OSV_UPDATER = 'osv/pypi';
export const ENRICHERS = ['clair.cvss', 'clair.epss', 'clair.kev'] as const;

/** The enrichers' sources: records for CVE-2026-1111 and CVE-2026-2222 (KEV: the first only). */
const NVD_2026 = nvdFeed([
  nvdCve({ id: 'CVE-2026-1111', metrics: { cvssMetricV31: [{ type: 'Primary', cvssData: cvss3Data('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CRITICAL') }] } }),
  nvdCve({ id: 'CVE-2026-2222', metrics: { cvssMetricV31: [{ type: 'Primary', cvssData: cvss3Data('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5, 'MEDIUM') }] } }),
]);
const EPSS = epssCsv([['CVE-2026-1111', '0.94321', '0.99876'], ['CVE-2026-2222', '0.00042', '0.11111']]);
const KEV = kevCatalog([{ cveID: 'CVE-2026-1111', dateAdded: '2026-03-01', dueDate: '2026-03-22', knownRansomwareCampaignUse: 'Known' }]);

const OS_RELEASE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n';
const INSTALLED = [['musl', '1.2.4_git20230717-r4'], ['openssl', '3.1.4-r0']].map(([n, v]) => `P:${n}\nV:${v}\nA:x86_64\no:${n}\n`).join('\n') + '\n';
const SITE = 'usr/lib/python3.11/site-packages';

export const SECDB = JSON.stringify({
  distroversion: 'v3.19',
  reponame: 'main',
  archs: ['x86_64'],
  urlprefix: 'https://dl-cdn.alpinelinux.org/alpine',
  apkurl: '{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk',
  packages: [
    { pkg: { name: 'openssl', secfixes: { '3.1.4-r1': ['CVE-2026-1111'] } } },
    { pkg: { name: 'musl', secfixes: { '1.2.4_git20230717-r5': ['CVE-2026-2222'] } } },
    { pkg: { name: 'xen', secfixes: { '4.18.0-r1': ['CVE-2026-0404'] } } },
  ],
});

export const PIP_ADVISORY = {
  schema_version: '1.4.0',
  id: 'GHSA-mq26-g339-26xf',
  modified: '2024-01-01T00:00:00Z',
  published: '2023-10-02T00:00:00Z',
  summary: 'pip: Mercurial configuration injectable in repo revision — ünïcode',
  aliases: ['CVE-2023-5752'],
  references: [{ type: 'ADVISORY', url: 'https://github.com/advisories/GHSA-mq26-g339-26xf' }],
  affected: [{ package: { ecosystem: 'PyPI', name: 'pip' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '23.3' }] }] }],
  database_specific: { severity: 'MODERATE' },
};

export interface AirgapScene {
  /** A scratch directory (mode 0711, so an embedded PostgreSQL may use it). */
  dir: string;
  feeds: FeedServer;
  manifest: Manifest;
  /** `updaters` config reading the loopback feeds. */
  updaters: { sets: string[]; config: Record<string, unknown> };
  /** Writes `config` as YAML into the scratch directory; returns its path. */
  writeConfig(name: string, config: Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function startAirgapScene(): Promise<AirgapScene> {
  const dir = mkdtempSync(join(tmpdir(), 'clair-airgap-'));
  chmodSync(dir, 0o711);
  const layer = gzip(
    buildTar([
      { path: 'etc/os-release', content: OS_RELEASE },
      { path: 'lib/apk/db/installed', content: INSTALLED },
      { path: `${SITE}/pip-23.0.1.dist-info/METADATA`, content: 'Metadata-Version: 2.1\nName: pip\nVersion: 23.0.1\n' },
      { path: `${SITE}/pip-23.0.1.dist-info/INSTALLER`, content: 'pip\n' },
    ]),
  );
  const blobs: BlobServer = await serveBlobs({ '/layer': { body: layer } });
  const feeds = await startFeedServer({
    '/v3.19/main.json': { body: SECDB, contentType: 'application/json' },
    '/ecosystems.txt': { body: 'PyPI\n' },
    '/PyPI/all.zip': { body: buildZip([{ name: `${PIP_ADVISORY.id}.json`, content: JSON.stringify(PIP_ADVISORY) }]) },
    ...nvdRoutes({ 2026: NVD_2026 }),
    [EPSS_PATH]: { body: gzipSync(EPSS) },
    [KEV_PATH]: { body: KEV, lastModified: new Date('2026-03-01T00:00:00Z') },
  });
  const manifest = { hash: digestOf(Buffer.from(`manifest:${digestOf(layer)}`)), layers: [{ hash: digestOf(layer), uri: blobs.url('/layer'), headers: {} }] } as unknown as Manifest;
  return {
    dir,
    feeds,
    manifest,
    updaters: {
      sets: ['alpine', 'osv', ...ENRICHERS],
      config: {
        alpine: { url: feeds.url, releases: ['v3.19'], repos: ['main'] },
        osv: { url: feeds.url },
        'clair.cvss': { feed_root: `${feeds.url}nvd/` },
        'clair.epss': { url: `${feeds.url}${EPSS_PATH.slice(1)}` },
        'clair.kev': { feed_root: `${feeds.url}${KEV_PATH.slice(1)}` },
      },
    },
    writeConfig(name, config) {
      const path = join(dir, name);
      writeFileSync(path, stringify(config));
      return path;
    },
    async close() {
      await Promise.all([blobs.close(), feeds.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs clairctl's `main` in process and returns the exit code it set (resetting it). */
export async function clairctl(args: string[]): Promise<number> {
  const { main } = await import('../../cli/clairctl.js');
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await main(args);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } finally {
    process.exitCode = before;
  }
}
