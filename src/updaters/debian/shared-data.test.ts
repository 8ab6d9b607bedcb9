/**
 * The Debian updater against the real upstream files in /work/shared/data
 * (README §2): `debian/mirror/` served as the mirror with a generated
 * `dists/` index, and `debian/vunnel-fixture-tracker.json` as the tracker
 * JSON. Then the records go through a real store and the Debian matcher.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndexReport, VulnerabilityRecord } from '../../model/index.js';
import { match } from '../../matcher/controller.js';
import { debianMatcher } from '../../scanners/debian/matcher.js';
import type { Database } from '../../store/database.js';
import { SqlMatcherStore } from '../../store/matcher/sql-matcher-store.js';
import { migrate } from '../../store/migrate.js';
import { openDatabase } from '../../store/open.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { testContext, treeRoutes } from '../../test-support/dpkg-feeds.js';
import { debianConfig } from './config.js';
import { DebianUpdater } from './updater.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SHARED = resolve(REPO_ROOT, '..', 'shared');
const DEBIAN = resolve(SHARED, 'data', 'debian');
const skip = existsSync(resolve(DEBIAN, 'vunnel-fixture-tracker.json')) ? false : `shared data not found at ${DEBIAN} (/work/shared is absent): skipping real-data Debian tests`;

const bookworm = {
  did: 'debian', name: 'Debian GNU/Linux', version: '12 (bookworm)', versionCodeName: 'bookworm', versionId: '12', arch: '', cpe: '', prettyName: 'Debian GNU/Linux 12 (bookworm)',
};

describe('debian updater on the shared real data', { skip, timeout: 120_000 }, () => {
  let s: FeedServer;
  let records: VulnerabilityRecord[];
  let fingerprint: string;
  const lastModified = new Date('2026-08-21T12:00:00Z');

  before(async () => {
    // The shared data holds the mirror's `dists/`; served under `debian/` so the server root is the mirror root.
    s = await startFeedServer({
      ...(await treeRoutes(resolve(DEBIAN, 'mirror'), '/debian/')),
      // A trivial index of what the mirror holds, as README §2 describes.
      '/debian/dists/': { body: ['bookworm', 'bookworm-security', 'bookworm-updates'].map((d) => `<a href="${d}/">${d}/</a>`).join('\n'), contentType: 'text/html' },
      '/tracker/data/json': { body: { file: resolve(DEBIAN, 'vunnel-fixture-tracker.json') }, contentType: 'application/json', lastModified },
    });
    const ctx = await testContext();
    try {
      const u = new DebianUpdater(debianConfig({ mirror_url: s.url, json_url: `${s.url}tracker/data/json` }));
      const got = await u.fetch(ctx, undefined);
      assert.equal(got.unchanged, false);
      fingerprint = (got as { fingerprint: string }).fingerprint;
      records = await collect(u.parse(ctx));
    } finally {
      await ctx.cleanup();
    }
  });
  after(() => s?.close());

  it('reads bookworm from its real Release file (Version 12.15), skips the -security and -updates suites, and keeps the older releases the mirror no longer lists', () => {
    const pairs = records.map((r) => `${r.package.name} ${r.name} ${r.distribution?.versionCodeName} ${r.distribution?.versionId}`).sort();
    assert.deepEqual(pairs, [
      'backupninja CVE-2005-3111 buster 10',
      'backupninja CVE-2005-3111 jessie 8',
      'backupninja CVE-2005-3111 stretch 9',
      'chromium CVE-2022-0456 bookworm 12',
      'chromium CVE-2022-0456 bullseye 11',
      'chromium CVE-2022-0456 buster 10',
      'chromium CVE-2022-0456 stretch 9',
      'prototypejs CVE-2007-2383 buster 10',
      'prototypejs CVE-2007-2383 jessie 8',
      'prototypejs CVE-2007-2383 stretch 9',
      'prototypejs CVE-2008-7220 buster 10',
      'prototypejs CVE-2008-7220 jessie 8',
      'prototypejs CVE-2008-7220 stretch 9',
      'sope CVE-2025-53603 bookworm 12',
      'sope CVE-2025-53603 bullseye 11',
      'sope CVE-2025-53603 trixie 13',
      'txt2man CVE-2013-1444 buster 10',
      'txt2man CVE-2013-1444 jessie 8',
      'txt2man CVE-2013-1444 stretch 9',
    ]);
    assert.equal(fingerprint, lastModified.toUTCString());
  });

  it('yields exactly the excerpt’s bookworm entries as source-package records', () => {
    assert.deepEqual(records.filter((r) => r.distribution?.versionCodeName === 'bookworm'), [
      {
        updater: 'debian/updater',
        name: 'CVE-2022-0456',
        description: '',
        links: 'https://security-tracker.debian.org/tracker/CVE-2022-0456',
        severity: 'not yet assigned',
        normalizedSeverity: 'Unknown',
        package: { name: 'chromium', version: '', module: '', arch: '', kind: 'source' },
        distribution: bookworm,
        fixedInVersion: '98.0.4758.80-1',
        archOp: '',
      },
      {
        updater: 'debian/updater',
        name: 'CVE-2025-53603',
        description: 'In Alinto SOPE SOGo 2.0.2 through 5.12.2, sope-core/NGExtensions/NGHashMap.m allows a NULL pointer dereference and SOGo crash via a request in which a parameter in the query string is a duplicate of a parameter in the POST body.',
        links: 'https://security-tracker.debian.org/tracker/CVE-2025-53603',
        severity: 'not yet assigned',
        normalizedSeverity: 'Unknown',
        package: { name: 'sope', version: '', module: '', arch: '', kind: 'source' },
        distribution: bookworm,
        fixedInVersion: '5.8.0-1+deb12u1',
        archOp: '',
      },
    ]);
  });

  it('lets the Debian matcher find them through the source package of installed binaries', async () => {
    const db: Database = await openDatabase('memory://', { dataDir: 'unused' });
    try {
      await migrate(db, 'matcher');
      const store = new SqlMatcherStore(db);
      const { count } = await store.updateVulnerabilities('debian/updater', fingerprint, records);
      assert.equal(count, 19);
      const layer = `sha256:${'a'.repeat(64)}`;
      const env = [{ package_db: 'var/lib/dpkg/status', introduced_in: layer, distribution_id: '1', repository_ids: null }];
      const report: IndexReport = {
        manifest_hash: `sha256:${'b'.repeat(64)}`,
        state: 'IndexFinished',
        packages: {
          '1': { id: '1', name: 'libsope-appserver4.9', version: '5.8.0-1', kind: 'binary', source: { id: '2', name: 'sope', version: '5.8.0-1', kind: 'source', normalized_version: '', cpe: '' }, normalized_version: '', arch: 'amd64', cpe: '' },
          '3': { id: '3', name: 'chromium', version: '98.0.4758.102-1', kind: 'binary', source: { id: '4', name: 'chromium', version: '98.0.4758.102-1', kind: 'source', normalized_version: '', cpe: '' }, normalized_version: '', arch: 'amd64', cpe: '' },
        },
        distributions: { '1': { id: '1', did: 'debian', name: 'Debian GNU/Linux', version: '12 (bookworm)', version_code_name: 'bookworm', version_id: '12', arch: '', cpe: '', pretty_name: 'Debian GNU/Linux 12 (bookworm)' } },
        repository: {},
        environments: { '1': env, '3': env },
        success: true,
        err: '',
      };
      const out = await match(report, [debianMatcher], store);
      const names = Object.fromEntries(Object.entries(out.package_vulnerabilities).map(([pkg, ids]) => [pkg, ids.map((id) => out.vulnerabilities[id]!.name)]));
      // sope 5.8.0-1 is older than the fix 5.8.0-1+deb12u1; chromium 98.0.4758.102-1 is past 98.0.4758.80-1.
      assert.deepEqual(names, { '1': ['CVE-2025-53603'] });
    } finally {
      await db.close();
    }
  });
});
