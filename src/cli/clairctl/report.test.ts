/**
 * `clairctl report`, `manifest` and `delete` end to end, as a user runs them:
 * the real CLI in a child process against a Clair (combo, PSK auth on) whose
 * Alpine updater reads a loopback secdb. Images come as a docker-archive
 * tarball and an OCI layout built here, whose layers clairctl serves to the
 * indexer itself, and as a Clair manifest file. Then `--local`, where
 * clairctl runs Clair in its own process on an embedded PostgreSQL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClair, type ClairProcess } from '../../app/start.js';
import { signToken } from '../../http/auth.js';
import type { Manifest, VulnerabilityReport } from '../../model/index.js';
import { quietLogger, testConfig } from '../../test-support/config.js';
import { startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { buildTar, digestOf, gzip, serveBlobs, type BlobServer } from '../../test-support/layer-builder.js';
import { ALPINE_UPDATER, secdb } from '../../test-support/notifier-pipeline.js';
import { dockerArchiveMembers, ociImage, ociLayoutMembers, writeDirectory, writeTarFile } from '../../test-support/image-archives.js';
import { killSpawned, spawnCli } from '../../test-support/spawn.js';
import { FAIL_ON_EXIT } from './output/index.js';

const KEY = Buffer.from('clairctl test key, 32 bytes long').toString('base64');
const OS_RELEASE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n';
const installed = (packages: ReadonlyArray<[string, string]>) => packages.map(([name, version]) => `P:${name}\nV:${version}\nA:x86_64\no:${name}\n`).join('\n') + '\n';
/** openssl 3.1.4-r0 is fixed in 3.1.4-r1; musl has no advisory. */
const FIXES = { openssl: { '3.1.4-r1': ['CVE-2026-1111'] } };
const layer = buildTar([{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'lib/apk/db/installed', content: installed([['musl', '1.2.4_git20230717-r4'], ['openssl', '3.1.4-r0']]) }]);
/** A second image with nothing vulnerable. */
const cleanLayer = buildTar([{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'lib/apk/db/installed', content: installed([['musl', '1.2.4_git20230717-r4']]) }]);

/** [package, vulnerability, fixed in] of every finding. */
function findings(report: VulnerabilityReport): string[][] {
  return Object.entries(report.package_vulnerabilities)
    .flatMap(([pkg, ids]) => ids.map((id) => [report.packages[pkg]!.name, report.vulnerabilities[id]!.name, report.vulnerabilities[id]!.fixed_in_version]))
    .sort();
}

/** The JSON documents of a per-image format (cyclonedx), each starting on a line of its own. */
const documents = <T>(stdout: string): T[] => stdout.split(/\n(?=\{)/).filter((d) => d.trim() !== '').map((d) => JSON.parse(d) as T);

describe('clairctl against a Clair server', () => {
  let dir: string;
  let feeds: FeedServer;
  let blobs: BlobServer;
  let clair: ClairProcess;
  let conf: string;
  let archive: string;
  let layout: string;
  let manifestFile: string;
  let fileManifest: Manifest;
  const signed = async (path: string, init: RequestInit = {}) =>
    fetch(`${clair.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${await signToken(Buffer.from(KEY, 'base64'), 'clairctl')}`, ...init.headers } });
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const cli = spawnCli('clairctl', ['-c', conf, ...args], env);
    const code = await cli.exit;
    return { code, stdout: cli.stdout(), stderr: cli.stderr() };
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clairctl-report-'));
    feeds = await startFeedServer({ '/v3.19/main.json': { body: secdb(FIXES), contentType: 'application/json' } });
    const raw = {
      auth: { psk: { key: KEY, iss: ['clairctl'] } },
      indexer: { connstring: 'memory://' },
      matcher: { connstring: 'memory://', disable_updaters: false },
      notifier: { connstring: 'memory://' },
      updaters: { sets: ['alpine'], config: { alpine: { url: feeds.url, releases: ['v3.19'], repos: ['main'] } } },
    };
    conf = join(dir, 'config.json');
    await writeFile(conf, JSON.stringify(raw));
    clair = await startClair({ config: testConfig('combo', raw), mode: 'combo', log: quietLogger() });

    archive = join(dir, 'openssl.tar');
    await writeTarFile(archive, dockerArchiveMembers([{ repoTags: ['alpine-openssl:1'], layers: [layer] }], 'legacy').members);
    layout = join(dir, 'layout');
    await writeDirectory(layout, ociLayoutMembers([{ image: ociImage([gzip(cleanLayer)]), ref: 'clean' }]).members);
    const compressed = gzip(layer);
    blobs = await serveBlobs({ '/openssl': { body: compressed } });
    fileManifest = { hash: digestOf(Buffer.from('file manifest')), layers: [{ hash: digestOf(compressed), uri: blobs.url('/openssl'), headers: {} }] } as unknown as Manifest;
    manifestFile = join(dir, 'manifest.json');
    await writeFile(manifestFile, JSON.stringify(fileManifest));
  });
  after(async () => {
    killSpawned();
    await clair?.close();
    await feeds?.close();
    await blobs?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a docker-archive, serving its layers to the indexer, with the same body the API gives', async () => {
    const { code, stdout, stderr } = await run(['report', '--host', clair.apiUrl, '-o', 'json', archive]);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as VulnerabilityReport;
    assert.deepEqual(findings(report), [['openssl', 'CVE-2026-1111', '3.1.4-r1']]);
    assert.deepEqual(Object.values(report.packages).map((p) => `${p.name} ${p.version}`).sort(), ['musl 1.2.4_git20230717-r4', 'openssl 3.1.4-r0']);
    const api = await signed(`/matcher/api/v1/vulnerability_report/${report.manifest_hash}`);
    assert.deepEqual(JSON.parse(stdout), await api.json());
  });

  it('reports an OCI layout and a Clair manifest file in one run, in argument order', async () => {
    const { code, stdout, stderr } = await run(['report', '--host', clair.apiUrl, '-o', 'cyclonedx', `${manifestFile}`, `oci:${layout}:clean`]);
    assert.equal(code, 0, stderr);
    const boms = documents<{ vulnerabilities?: Array<{ id: string }> }>(stdout);
    assert.equal(boms.length, 2);
    assert.deepEqual(boms.map((b) => (b.vulnerabilities ?? []).map((v) => v.id)), [['CVE-2026-1111'], []]);
  });

  it('exits 3 with --fail-on at or below a shown finding, 0 above it or when filtered away', async () => {
    // Alpine's secdb carries no severity: the finding is Unknown, the lowest.
    assert.equal((await run(['report', '--host', clair.apiUrl, '-o', 'json', '--fail-on', 'unknown', archive])).code, FAIL_ON_EXIT);
    assert.equal((await run(['report', '--host', clair.apiUrl, '-o', 'json', '--fail-on', 'low', archive])).code, 0);
    const filtered = await run(['report', '--host', clair.apiUrl, '-o', 'json', '--fail-on', 'unknown', '--severity', 'low', archive]);
    assert.equal(filtered.code, 0);
    assert.deepEqual((JSON.parse(filtered.stdout) as VulnerabilityReport).vulnerabilities, {});
  });

  it('with --keep-going prints what it can and exits 1; without it stops at the error', async () => {
    const missing = join(dir, 'nope.tar');
    const going = await run(['report', '--host', clair.apiUrl, '-o', 'cyclonedx', '--keep-going', missing, archive]);
    assert.equal(going.code, 1, going.stderr);
    assert.match(going.stderr, /clairctl: .*nope\.tar: .*no such file/i);
    assert.equal(documents(going.stdout).length, 1);
    const stopped = await run(['report', '--host', clair.apiUrl, '-o', 'json', missing]);
    assert.equal(stopped.code, 1, stopped.stderr);
    assert.equal(stopped.stdout, '');
  });

  it('names the fix when the server refuses an unsigned request', async () => {
    const { code, stderr } = await run(['-c', join(dir, 'absent.yaml'), 'report', '--host', clair.apiUrl, archive]);
    assert.equal(code, 1);
    assert.match(stderr, /absent\.yaml/);
    const unsigned = spawnCli('clairctl', ['report', '--host', clair.apiUrl, archive]);
    assert.equal(await unsigned.exit, 1);
    assert.match(unsigned.stderr(), /refused the request \(401\).*auth\.psk/);
  });

  it('prints a registry-free manifest file as is, refuses a local archive, and deletes index reports', async () => {
    const printed = await run(['manifest', manifestFile]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.deepEqual(JSON.parse(printed.stdout), fileManifest);
    const refused = await run(['manifest', archive]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /local archive.*clairctl report/);

    const indexed = await signed('/indexer/api/v1/index_report', { method: 'POST', body: JSON.stringify(fileManifest), headers: { 'content-type': 'application/json' } });
    assert.equal(indexed.status, 201);
    const deleted = await run(['delete', '--host', clair.apiUrl, fileManifest.hash]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, `${fileManifest.hash}\n`);
    assert.equal((await signed(`/indexer/api/v1/index_report/${fileManifest.hash}`)).status, 404);
    const bad = await run(['delete', '--host', clair.apiUrl, 'sha256:xyz']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a manifest digest: sha256:xyz/);
  });

  it('admin reindex deletes an index report and indexes the image again', async () => {
    const { code, stdout, stderr } = await run(['admin', 'reindex', '--host', clair.apiUrl, manifestFile]);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, `${manifestFile} ${fileManifest.hash} IndexFinished\n`);
    const again = await signed(`/indexer/api/v1/index_report/${fileManifest.hash}`);
    assert.equal(again.status, 200);
    assert.deepEqual(Object.values(((await again.json()) as { packages: Record<string, { name: string }> }).packages).map((p) => p.name).sort(), ['musl', 'openssl']);
  });

  it('--novel does not submit a manifest the indexer knows', async () => {
    const known = await run(['report', '--host', clair.apiUrl, '-o', 'json', '--novel', '-D', archive]);
    assert.equal(known.code, 0, known.stderr);
    assert.match(known.stderr, /msg="clairctl manifest already known; not submitted"/);
  });
});

describe('clairctl report --local', () => {
  let dir: string;
  let feeds: FeedServer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clairctl-local-'));
    // As root the embedded PostgreSQL runs as clair-postgres, which must be able to enter data_dir.
    await chmod(dir, 0o711);
    feeds = await startFeedServer({ '/v3.19/main.json': { body: secdb(FIXES), contentType: 'application/json' } });
  });
  after(async () => {
    killSpawned();
    await feeds?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('scans a docker-archive with Clair in its own process on the embedded database', async () => {
    const conf = join(dir, 'config.yaml');
    await writeFile(conf, [
      `data_dir: ${join(dir, 'data')}`,
      'updaters:',
      '  sets: [alpine]',
      '  config:',
      `    alpine: {url: "${feeds.url}", releases: [v3.19], repos: [main]}`,
    ].join('\n'));
    const archive = join(dir, 'openssl.tar');
    await writeTarFile(archive, dockerArchiveMembers([{ repoTags: ['alpine-openssl:1'], layers: [layer] }], 'flat').members);
    const cli = spawnCli('clairctl', ['-c', conf, 'report', '--local', '-o', 'json', archive]);
    assert.equal(await cli.exit, 0, cli.stderr());
    const report = JSON.parse(cli.stdout()) as VulnerabilityReport;
    assert.deepEqual(findings(report), [['openssl', 'CVE-2026-1111', '3.1.4-r1']]);
    assert.equal(Object.values(report.vulnerabilities)[0]!.updater, ALPINE_UPDATER);
  });

  it('fails at once, saying what to do, when its updaters stored no data', async () => {
    const conf = join(dir, 'offline.yaml');
    await writeFile(conf, [
      `data_dir: ${join(dir, 'offline-data')}`,
      'updaters:',
      '  sets: [alpine]',
      '  config:',
      '    alpine: {url: "http://127.0.0.1:9/", releases: [v3.19], repos: [main]}',
    ].join('\n'));
    const archive = join(dir, 'offline.tar');
    await writeTarFile(archive, dockerArchiveMembers([{ repoTags: ['alpine-openssl:1'], layers: [layer] }], 'flat').members);
    const started = Date.now();
    const cli = spawnCli('clairctl', ['-c', conf, 'report', '--local', archive]);
    assert.equal(await cli.exit, 1);
    assert.match(cli.stderr(), /no vulnerability data: the updaters ran and stored nothing.*clairctl import-updaters/);
    assert.equal(cli.stdout(), '');
    assert.ok(Date.now() - started < 60_000, 'did not wait for the report timeout');
  });
});
