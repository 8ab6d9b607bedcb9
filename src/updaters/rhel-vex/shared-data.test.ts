/**
 * The updater against real Red Hat VEX data in /work/shared/data (README §3):
 * `redhat/vex/server/` served at the upstream layout (claircore's own server
 * fixture: 5 archived documents, 2 individual changes, deletions), and
 * single documents from `redhat/vex/individual/`, up to the 2.9 MB
 * cve-2022-38752. Counts were cross-checked with an independent script
 * applying claircore's rules to the same files.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createHttpClient } from '../../lib/http-client.js';
import { match } from '../../matcher/controller.js';
import type { IndexReport, Package, VulnerabilityRecord } from '../../model/index.js';
import { rhelMatcher } from '../../scanners/rhel/matcher.js';
import { SqlMatcherStore } from '../../store/matcher/sql-matcher-store.js';
import { migrate } from '../../store/migrate.js';
import { openDatabase } from '../../store/open.js';
import { quietLogger } from '../../test-support/config.js';
import { collect, startFeedServer } from '../../test-support/feed-server.js';
import { parseRhelVexConfig } from './config.js';
import { parseVexDocument } from './parse-document.js';
import { RhelVexUpdater } from './updater.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VEX = resolve(REPO_ROOT, '..', 'shared', 'data', 'redhat', 'vex');
const skip = existsSync(resolve(VEX, 'server', 'archive_latest.txt')) ? false : `shared data not found at ${VEX} (/work/shared is absent): skipping real-data Red Hat VEX tests`;

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function tally(records: VulnerabilityRecord[]): { fixed: number; affected: number; notAffected: number } {
  const t = { fixed: 0, affected: 0, notAffected: 0 };
  for (const r of records) {
    if (r.notVulnerable) t.notAffected++;
    else if (r.fixedInVersion !== '') t.fixed++;
    else t.affected++;
  }
  return t;
}

describe('rhel-vex on the VEX server fixture', { skip, timeout: 60_000 }, () => {
  it('fetches the archive and the newer documents, then parses the full set', async () => {
    const server = `${VEX}/server`;
    const feed = await startFeedServer({
      '/data/csaf/v2/vex/archive_latest.txt': { body: { file: `${server}/archive_latest.txt` } },
      '/data/csaf/v2/vex/csaf_vex_2023-10-31.tar.zst': { body: { file: `${server}/csaf_vex_2023-10-31.tar.zst` }, lastModified: new Date('Mon, 11 Dec 2023 00:00:00 GMT') },
      '/data/csaf/v2/vex/changes.csv': { body: { file: `${server}/changes.csv` }, etag: 'something' },
      '/data/csaf/v2/vex/deletions.csv': { body: { file: `${server}/deletions.csv` }, etag: 'somethingelse' },
      '/data/csaf/v2/vex/2023/cve-2023-0044.json': { body: { file: `${server}/2023/cve-2023-0044.json` } },
      '/data/csaf/v2/vex/2023/cve-2023-0118.json': { body: { file: `${server}/2023/cve-2023-0118.json` } },
    });
    try {
      const lines: Array<Record<string, unknown>> = [];
      const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => { lines.push(JSON.parse(String(chunk))); done(); } }));
      const dir = await mkdtemp(join(tmpdir(), 'rhel-vex-real-'));
      dirs.push(dir);
      const ctx = { dir, http: createHttpClient({ timeoutMs: 30_000 }), signal: new AbortController().signal, log };
      const updater = new RhelVexUpdater(parseRhelVexConfig({ url: `${feed.url}data/csaf/v2/vex/` }).config);

      const fetched = await updater.fetch(ctx, undefined);
      assert.ok(!fetched.unchanged);
      // claircore TestFactory: the ETags of changes.csv and deletions.csv.
      assert.match(fetched.fingerprint, /^something\\somethingelse\\.+\\6$/);
      const paths = feed.requests.map((r) => r.path);
      assert.ok(paths.includes('/data/csaf/v2/vex/2023/cve-2023-0044.json') && paths.includes('/data/csaf/v2/vex/2023/cve-2023-0118.json'));
      assert.ok(!paths.includes('/data/csaf/v2/vex/2023/cve-2023-0030.json'), 'changed before the archive date: taken from the archive');

      const records = await collect(updater.parse(ctx));
      // The archived 2023 documents predate purl helpers and yield nothing, as in claircore.
      assert.deepEqual(new Set(records.map((r) => r.name)), new Set(['CVE-2023-0118']));
      assert.equal(records.length, 1687);
      assert.deepEqual(tally(records), { fixed: 128, affected: 0, notAffected: 1559 });
      // 0030/0045/0049/0051 from the archive, 0044 superseded by its newer copy, 0118 new; cve-2024-0002 deleted.
      const { archive, changed, superseded, old, records: count, deleted } = lines.find((l) => l.msg === 'rhel-vex parsed') ?? {};
      assert.deepEqual({ archive, changed, superseded, old, count, deleted }, { archive: 4, changed: 2, superseded: 1, old: 0, count: 1687, deleted: 1 });

      const foreman = records.find((r) => r.package.name === 'foreman' && r.repository?.name === 'cpe:2.3:a:redhat:satellite_capsule:6.11:*:el7:*:*:*:*:*');
      assert.deepEqual(foreman, {
        updater: 'rhel-vex',
        name: 'CVE-2023-0118',
        description: 'An arbitrary code execution flaw was found in Foreman. This flaw allows an admin user to bypass safe mode in templates and execute arbitrary code on the underlying operating system.',
        issued: new Date('2023-03-12T00:00:00Z'),
        links: 'https://access.redhat.com/security/cve/CVE-2023-0118 https://bugzilla.redhat.com/show_bug.cgi?id=2159291 https://www.cve.org/CVERecord?id=CVE-2023-0118 https://nvd.nist.gov/vuln/detail/CVE-2023-0118 https://access.redhat.com/security/data/csaf/beta/vex/2023/cve-2023-0118.json#7Server-satellite-6.11-capsule:foreman-0:3.1.1.27-1.el7sat.noarch https://access.redhat.com/errata/RHSA-2023:5980',
        severity: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:C/C:H/I:H/A:H',
        normalizedSeverity: 'High',
        package: { name: 'foreman', version: '', module: '', arch: 'noarch|src', kind: 'binary' },
        repository: { name: 'cpe:2.3:a:redhat:satellite_capsule:6.11:*:el7:*:*:*:*:*', key: 'rhel-cpe-repository', uri: '' },
        fixedInVersion: '0:3.1.1.27-1.el7sat',
        archOp: 'pattern match',
        self: { space: 'https://access.redhat.com/security/cve/', name: 'CVE-2023-0118' },
        aliases: [{ space: 'CVE', name: '2023-0118' }, { space: 'RHBZ', name: '2159291' }],
      });

      assert.deepEqual(await updater.fetch({ ...ctx, dir: await mkdtemp(join(tmpdir(), 'rhel-vex-real-')) }, fetched.fingerprint), { unchanged: true });
    } finally {
      await feed.close();
    }
  });
});

describe('rhel-vex on individual VEX documents', { skip }, () => {
  const parse = (file: string): VulnerabilityRecord[] => parseVexDocument(readFileSync(resolve(VEX, 'individual', file)), file, { ignoreKernelPackages: false, log: quietLogger() });

  for (const [file, total, counts] of [
    ['cve-2022-38752.json', 1788, { fixed: 12, affected: 9, notAffected: 1767 }],
    ['cve-2023-38545.json', 269, { fixed: 75, affected: 0, notAffected: 194 }],
    ['cve-2024-0727-openssl.json', 62, { fixed: 28, affected: 24, notAffected: 10 }],
    ['cve-2025-6176.json', 239, { fixed: 205, affected: 4, notAffected: 30 }],
    ['cve-2025-40907-perl.json', 107, { fixed: 107, affected: 0, notAffected: 0 }],
    ['cve-2026-27142.json', 37, { fixed: 4, affected: 32, notAffected: 1 }],
    ['cve-2021-0084.json', 0, { fixed: 0, affected: 0, notAffected: 0 }],
  ] as const) {
    it(`parses ${file} into ${total} records`, () => {
      const records = parse(file);
      assert.equal(records.length, total);
      assert.deepEqual(tally(records), counts);
    });
  }

  it('cve-2022-38752 (2.9 MB): a fixed rpm, a fixed image with its rhctag range, and an unfixed image', () => {
    const records = parse('cve-2022-38752.json');
    const snakeyaml = records.find((r) => r.package.name === 'eap7-snakeyaml' && r.fixedInVersion !== '');
    assert.deepEqual(
      snakeyaml && { fixedInVersion: snakeyaml.fixedInVersion, arch: snakeyaml.package.arch, repository: snakeyaml.repository, severity: snakeyaml.severity, normalizedSeverity: snakeyaml.normalizedSeverity, kind: snakeyaml.package.kind },
      { fixedInVersion: '0:1.33.0-2.SP1_redhat_00001.1.el7eap', arch: 'noarch|src', repository: { name: 'cpe:2.3:a:redhat:jboss_enterprise_application_platform:7.4:*:el7:*:*:*:*:*', key: 'rhel-cpe-repository', uri: '' }, severity: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H', normalizedSeverity: 'Medium', kind: 'binary' },
    );
    const sso = records.find((r) => r.package.name === 'rh-sso-7/sso76-openshift-rhel8' && r.fixedInVersion !== '');
    assert.equal(sso?.fixedInVersion, '7.6-22');
    assert.equal(sso?.repository?.key, 'rhcc-container-repository');
    assert.deepEqual(sso?.range, { kind: 'rhctag', lower: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], upper: [7, 6, 2147483647, 0, 0, 0, 0, 0, 0, 0] });
    const cassandra = records.find((r) => r.package.name === 'openshift3/metrics-cassandra');
    assert.equal(cassandra?.package.kind, 'source');
    assert.equal(cassandra?.fixedInVersion, '');
    assert.equal(cassandra?.repository?.name, 'cpe:2.3:a:redhat:openshift:3.11:*:*:*:*:*:*:*');
  });

  it('cve-2025-40907: module from the rpmmod qualifier', () => {
    const fcgi = parse('cve-2025-40907-perl.json').find((r) => r.package.module !== '' && r.repository?.name === 'cpe:2.3:a:redhat:enterprise_linux:8:*:appstream:*:*:*:*:*');
    assert.deepEqual(fcgi && [fcgi.package, fcgi.fixedInVersion], [{ name: 'perl-FCGI', version: '', module: 'perl-FCGI:0.78', arch: 'aarch64|ppc64le|s390x|src|amd64|x86_64', kind: 'binary' }, '1:0.78-12.module+el8.10.0+23147+20b7d289']);
  });

  it('cve-2024-0727: fixed, unfixed (source) and not-affected openssl records', () => {
    const records = parse('cve-2024-0727-openssl.json');
    const fixed = records.find((r) => r.package.name === 'openssl' && r.fixedInVersion !== '');
    assert.equal(fixed?.fixedInVersion, '1:3.0.7-27.el9');
    assert.equal(fixed?.repository?.name, 'cpe:2.3:a:redhat:enterprise_linux:9:*:appstream:*:*:*:*:*');
    assert.equal(fixed?.normalizedSeverity, 'Low');
    const rhel6 = records.find((r) => r.package.name === 'openssl' && r.repository?.name === 'cpe:2.3:o:redhat:enterprise_linux:6:*:*:*:*:*:*:*');
    assert.deepEqual(rhel6 && [rhel6.package.kind, rhel6.fixedInVersion, rhel6.notVulnerable], ['source', '', undefined]);
    const fips = records.find((r) => r.package.name === 'openssl-fips-provider');
    assert.deepEqual(fips && [fips.notVulnerable, fips.fixedInVersion, fips.package.arch], [true, '', 'aarch64|i686|ppc64le|s390x|src|amd64|x86_64']);
  });
  it('stores the records and lets the rhel matcher find an outdated openssl by repository CPE', async () => {
    const records = parse('cve-2024-0727-openssl.json');
    const db = await openDatabase('memory://', { dataDir: 'unused' });
    try {
      await migrate(db, 'matcher');
      const store = new SqlMatcherStore(db);
      const { count } = await store.updateVulnerabilities('rhel-vex', 'fp', records);
      assert.equal(count, 62);
      const appstream9 = 'cpe:2.3:a:redhat:enterprise_linux:9:*:appstream:*:*:*:*:*';
      const env = (repo: string) => [{ package_db: 'sqlite:var/lib/rpm', introduced_in: `sha256:${'a'.repeat(64)}`, distribution_id: '', repository_ids: [repo] }];
      const pkg = (id: string, version: string): Package => ({ id, name: 'openssl', version, kind: 'binary', source: { id: `${id}0`, name: 'openssl', version, kind: 'source', normalized_version: '', cpe: '' }, normalized_version: '', arch: 'x86_64', cpe: '', module: '' });
      const report: IndexReport = {
        manifest_hash: `sha256:${'b'.repeat(64)}`,
        state: 'IndexFinished',
        packages: { '1': pkg('1', '1:3.0.7-24.el9'), '2': pkg('2', '1:3.0.7-27.el9') },
        distributions: {},
        repository: { '1': { id: '1', name: appstream9, key: 'rhel-cpe-repository', uri: 'repoid=rhel-9-for-x86_64-appstream-rpms', cpe: appstream9 } },
        environments: { '1': env('1'), '2': env('1') },
        success: true,
        err: '',
      };
      const out = await match(report, [rhelMatcher()], store);
      const names = Object.fromEntries(Object.entries(out.package_vulnerabilities).map(([p, ids]) => [p, ids.map((id) => [out.vulnerabilities[id]!.name, out.vulnerabilities[id]!.fixed_in_version])]));
      // 3.0.7-24 predates the fix 1:3.0.7-27.el9; 3.0.7-27 is the fix itself.
      assert.deepEqual(names, { '1': [['CVE-2024-0727', '1:3.0.7-27.el9']] });
    } finally {
      await db.close();
    }
  });
});
