import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScannedRepository } from '../../model/scanned.js';
import { isClairError } from '../../lib/errors.js';
import { memoryLayer, type MemoryEntrySpec } from '../../test-support/memory-layer-fs.js';
import { contentManifest, dnf4History, dnf5History, REPO2CPE_EXCERPT, serveMappings, type DnfTransaction, type MappingServer } from '../../test-support/rhel-fixtures.js';
import { cpeRepositories, decodeRepo2Cpe, newRhelRepositoryScanner, RHEL_REPOSITORY_SCANNER_KIND, RHEL_REPOSITORY_SCANNER_NAME, RHEL_REPOSITORY_SCANNER_VERSION, rhelRepositoryScanner } from './repository-scanner.js';
import { RHEL_CPE_REPOSITORY_KEY } from '../../model/releases.js';

const BASEOS = 'rhel-9-for-x86_64-baseos-rpms';
const APPSTREAM = 'rhel-9-for-x86_64-appstream-rpms';
const CRB = 'codeready-builder-for-rhel-9-x86_64-rpms';
const EUS = 'rhel-9-for-x86_64-baseos-eus-rpms__9_DOT_2';

const repo = (name: string, repoid: string): ScannedRepository => ({ key: RHEL_CPE_REPOSITORY_KEY, name, cpe: name, uri: `repoid=${repoid}` });
const BASEOS_9 = repo('cpe:2.3:o:redhat:enterprise_linux:9:*:baseos:*:*:*:*:*', BASEOS);
const APPSTREAM_9 = repo('cpe:2.3:a:redhat:enterprise_linux:9:*:appstream:*:*:*:*:*', APPSTREAM);
const CRB_9 = repo('cpe:2.3:a:redhat:enterprise_linux:9:*:crb:*:*:*:*:*', CRB);

const MANIFEST_PATH = 'root/buildinfo/content_manifests/ubi9-container-9.3-1361.json';

/** A user layer: `dnf install nginx` on UBI 9, an openssl upgrade, and a build tool installed then removed. */
const HISTORY: DnfTransaction[] = [
  {
    cmdline: 'dnf -y install nginx',
    items: [
      { rpm: { name: 'nginx', epoch: 1, version: '1.20.1', release: '14.el9_2.1', arch: 'x86_64' }, repoid: APPSTREAM, action: 'install' },
      { rpm: { name: 'nginx-core', epoch: 1, version: '1.20.1', release: '14.el9_2.1', arch: 'x86_64' }, repoid: APPSTREAM, action: 'install' },
      { rpm: { name: 'openssl-libs', epoch: 1, version: '3.0.7', release: '24.el9', arch: 'x86_64' }, repoid: BASEOS, action: 'upgraded' },
      { rpm: { name: 'openssl-libs', epoch: 1, version: '3.0.7', release: '27.el9', arch: 'x86_64' }, repoid: BASEOS, action: 'upgrade' },
    ],
  },
  { cmdline: 'dnf -y install ninja-build', items: [{ rpm: { name: 'ninja-build', version: '1.10.2', release: '6.el9', arch: 'x86_64' }, repoid: CRB, action: 'install' }] },
  {
    cmdline: 'dnf -y remove ninja-build epel-release',
    items: [
      { rpm: { name: 'ninja-build', version: '1.10.2', release: '6.el9', arch: 'x86_64' }, repoid: CRB, action: 'remove' },
      // Installed before the history began: its only item is the removal, so its repository does not count.
      { rpm: { name: 'epel-release', version: '9', release: '7.el9', arch: 'noarch' }, repoid: 'epel', action: 'remove' },
    ],
  },
];

describe('rhel-repository-scanner', () => {
  let server: MappingServer;
  let dir: string;
  let n = 0;
  /** A fresh scanner and mapping URL, so each test sees its own cache and requests. */
  const setup = (route = { status: 200, body: JSON.stringify(REPO2CPE_EXCERPT) }) => {
    const path = `/data/metrics/repository-to-cpe-${++n}.json`;
    server.route(path, route);
    const scanner = newRhelRepositoryScanner();
    const config = { repo2cpe_mapping_url: server.url(path) };
    return {
      scan: (entries: MemoryEntrySpec[]) => scanner.scan(memoryLayer(entries), { config }),
      requests: () => server.requests.filter((r) => r.path === path).length,
    };
  };

  before(async () => {
    server = await serveMappings();
    dir = await mkdtemp(join(tmpdir(), 'rhel-repo-'));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('has claircore identity', () => {
    assert.deepEqual([rhelRepositoryScanner.name, rhelRepositoryScanner.version, rhelRepositoryScanner.kind], [RHEL_REPOSITORY_SCANNER_NAME, RHEL_REPOSITORY_SCANNER_VERSION, RHEL_REPOSITORY_SCANNER_KIND]);
    assert.deepEqual([RHEL_REPOSITORY_SCANNER_NAME, RHEL_REPOSITORY_SCANNER_VERSION, RHEL_REPOSITORY_SCANNER_KIND], ['rhel-repository-scanner', '3', 'repository']);
  });

  it('maps the content sets of a content manifest to CPE repositories, fetching the mapping once', async () => {
    const s = setup();
    const layer = [{ path: MANIFEST_PATH, content: contentManifest([BASEOS, APPSTREAM]) }];
    assert.deepEqual(await s.scan(layer), [APPSTREAM_9, BASEOS_9]);
    assert.deepEqual(await s.scan(layer), [APPSTREAM_9, BASEOS_9]);
    assert.equal(s.requests(), 1);
  });

  it('reports every CPE of a repoid, skips unknown repoids and unparsable CPEs, and removes duplicates', async () => {
    const s = setup();
    const sets = ['rhel-7-server-rpms', EUS, BASEOS, BASEOS, 'rhocp-4.14-for-rhel-9-x86_64-rpms'];
    assert.deepEqual(await s.scan([{ path: MANIFEST_PATH, content: contentManifest(sets) }]), [
      repo('cpe:2.3:a:redhat:openshift:4.14:*:el9:*:*:*:*:*', 'rhocp-4.14-for-rhel-9-x86_64-rpms'),
      repo('cpe:2.3:o:redhat:enterprise_linux:9:*:baseos:*:*:*:*:*', EUS),
      BASEOS_9,
      repo('cpe:2.3:o:redhat:rhel_eus:9.2:*:baseos:*:*:*:*:*', EUS),
    ]);
  });

  it('reads the repoids of the dnf 4 history when there is no content manifest', async () => {
    const s = setup();
    const history = await dnf4History(HISTORY, { wal: true });
    // ninja-build's latest non-removal item still names CRB (claircore's query); epel's only item is a removal.
    assert.deepEqual(await s.scan([{ path: 'var/lib/dnf/history.sqlite', content: history }]), [APPSTREAM_9, CRB_9, BASEOS_9]);
  });

  it('reads the dnf 5 history, which it prefers to dnf 4', async () => {
    const s = setup();
    const dnf5 = await dnf5History([{ cmdline: 'dnf5 install -y git-core', items: [{ rpm: { name: 'git-core', version: '2.43.5', release: '1.el9_4', arch: 'x86_64' }, repoid: APPSTREAM, action: 'install' }] }]);
    const dnf4 = await dnf4History(HISTORY);
    assert.deepEqual(
      await s.scan([
        { path: 'usr/lib/sysimage/libdnf5/transaction_history.sqlite', content: dnf5 },
        { path: 'var/lib/dnf/history.sqlite', content: dnf4 },
      ]),
      [APPSTREAM_9],
    );
  });

  it('uses the dnf history instead of the content sets when the manifest says from_dnf_hint', async () => {
    const s = setup();
    const history = await dnf4History([HISTORY[0]!]);
    const entries = [
      { path: MANIFEST_PATH, content: contentManifest([CRB], { from_dnf_hint: true }) },
      { path: 'var/lib/dnf/history.sqlite', content: history },
    ];
    assert.deepEqual(await s.scan(entries), [APPSTREAM_9, BASEOS_9]);
    // from_dnf_hint false (or absent) keeps the content sets, even with a history present.
    entries[0] = { path: MANIFEST_PATH, content: contentManifest([CRB], { from_dnf_hint: false }) };
    assert.deepEqual(await s.scan(entries), [CRB_9]);
  });

  it('finds RHCOS manifests in usr/share/buildinfo, after the container locations', async () => {
    const s = setup();
    assert.deepEqual(await s.scan([{ path: 'usr/share/buildinfo/content_manifest.json', content: contentManifest([CRB]) }]), [CRB_9]);
    assert.deepEqual(
      await s.scan([
        { path: 'usr/share/buildinfo/content_manifest.json', content: contentManifest([CRB]) },
        { path: 'usr/share/buildinfo/content_manifests/b.json', content: contentManifest([BASEOS]) },
        { path: 'usr/share/buildinfo/content_manifests/a.json', content: contentManifest([APPSTREAM]) },
      ]),
      [APPSTREAM_9],
    );
  });

  it('reports nothing, and asks no server, for layers that name no repoid', async () => {
    const s = setup({ status: 500, body: '' });
    assert.deepEqual(await s.scan([{ path: 'etc/os-release', content: 'ID=debian\n' }]), []);
    assert.deepEqual(await s.scan([{ path: MANIFEST_PATH, content: contentManifest([]) }]), []);
    assert.equal(s.requests(), 0);
  });

  it('treats a manifest that is not JSON as absent, and fails on one of the wrong shape', async () => {
    const s = setup();
    const history = await dnf4History([HISTORY[1]!]);
    assert.deepEqual(await s.scan([{ path: MANIFEST_PATH, content: '{"content_sets": [' }, { path: 'var/lib/dnf/history.sqlite', content: history }]), [CRB_9]);
    await assert.rejects(s.scan([{ path: MANIFEST_PATH, content: '{"content_sets": "rhel-9"}' }]), (err) => isClairError(err, 'SCANNER_FAILED') && /content_sets/.test(err.message));
    await assert.rejects(s.scan([{ path: MANIFEST_PATH, content: '{"from_dnf_hint": "yes"}' }]), (err) => isClairError(err, 'SCANNER_FAILED'));
  });

  it('fails the scan when the mapping cannot be fetched and none is held', async () => {
    const s = setup({ status: 500, body: 'internal error' });
    await assert.rejects(s.scan([{ path: MANIFEST_PATH, content: contentManifest([BASEOS]) }]), (err) => isClairError(err, 'RHEL_MAPPING_UNAVAILABLE'));
  });

  it('fails the scan on a dnf history that is not a database', async () => {
    const s = setup();
    await assert.rejects(s.scan([{ path: 'var/lib/dnf/history.sqlite', content: 'not sqlite at all, just text'.repeat(10) }]), (err) => isClairError(err, 'SCANNER_FAILED'));
  });

  it('reads the mapping from a file, without any request', async () => {
    const file = join(dir, 'repository-to-cpe.json');
    await writeFile(file, JSON.stringify(REPO2CPE_EXCERPT));
    const scanner = newRhelRepositoryScanner({ fetch: () => Promise.reject(new Error('no network in this test')) });
    const layer = memoryLayer([{ path: MANIFEST_PATH, content: contentManifest([APPSTREAM]) }]);
    assert.deepEqual(await scanner.scan(layer, { config: { repo2cpe_mapping_file: file } }), [APPSTREAM_9]);
  });

  it('rejects a bad configuration', async () => {
    const layer = memoryLayer([{ path: MANIFEST_PATH, content: contentManifest([APPSTREAM]) }]);
    await assert.rejects(newRhelRepositoryScanner().scan(layer, { config: { timeout: 'forever' } }), (err) => isClairError(err, 'CONFIG_INVALID'));
  });
});

describe('repository-to-CPE mapping', () => {
  it('decodes Red Hat document, null entries included', () => {
    const m = decodeRepo2Cpe({ data: { a: { cpes: ['cpe:/o:redhat:enterprise_linux:9::baseos'] }, b: null, c: { cpes: null } }, extra: 1 });
    assert.deepEqual([...m], [['a', ['cpe:/o:redhat:enterprise_linux:9::baseos']], ['b', []], ['c', []]]);
    assert.throws(() => decodeRepo2Cpe({ data: { a: { cpes: 'cpe:/o:x:y' } } }), TypeError);
    assert.throws(() => decodeRepo2Cpe({ data: [] }), TypeError);
  });

  it('does not mistake inherited property names for repoids', () => {
    assert.deepEqual(cpeRepositories(['__proto__', 'constructor', 'toString'], decodeRepo2Cpe({ data: {} })), []);
  });
});
