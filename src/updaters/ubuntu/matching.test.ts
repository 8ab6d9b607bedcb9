/**
 * Ubuntu records through a real (embedded) store and the Ubuntu matcher:
 * the distribution and package kind the updater writes must line up with
 * what the dpkg and Ubuntu scanners report.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { IndexReport, Package } from '../../model/index.js';
import { match } from '../../matcher/controller.js';
import { ubuntuMatcher } from '../../scanners/ubuntu/matcher.js';
import { SqlMatcherStore } from '../../store/matcher/sql-matcher-store.js';
import { migrate } from '../../store/migrate.js';
import { openDatabase } from '../../store/open.js';
import { startFeedServer } from '../../test-support/feed-server.js';
import { testContext } from '../../test-support/dpkg-feeds.js';
import { UbuntuUpdater } from './updater.js';

const BZ2 = fileURLToPath(new URL('./testdata/com.ubuntu.jammy.cve.oval.xml.bz2', import.meta.url));

const pkg = (id: string, name: string, version: string, source: string): Package => ({
  id, name, version, kind: 'binary', arch: 'amd64', cpe: '', normalized_version: '',
  source: { id: `${id}0`, name: source, version, kind: 'source', normalized_version: '', cpe: '' },
});

describe('ubuntu records and the ubuntu matcher', { timeout: 60_000 }, () => {
  it('match installed binaries by name on the scanner’s jammy distribution', async () => {
    const s = await startFeedServer({ '/oval/com.ubuntu.jammy.cve.oval.xml.bz2': { body: await readFile(BZ2), etag: '"1"' } });
    const ctx = await testContext();
    const db = await openDatabase('memory://', { dataDir: 'unused' });
    try {
      const u = new UbuntuUpdater({ codeName: 'jammy', versionId: '22.04' }, `${s.url}oval/com.ubuntu.jammy.cve.oval.xml.bz2`);
      const fetched = await u.fetch(ctx, undefined);
      await migrate(db, 'matcher');
      const store = new SqlMatcherStore(db);
      await store.updateVulnerabilities(u.name, (fetched as { fingerprint: string }).fingerprint, u.parse(ctx));

      const layer = `sha256:${'c'.repeat(64)}`;
      const packages = [
        pkg('1', 'libcurl4', '7.81.0-1ubuntu1.13', 'curl'),
        pkg('2', 'openssl', '3.0.2-0ubuntu1.15', 'openssl'),
        pkg('3', 'vim-tiny', '2:8.2.3995-1ubuntu2.15', 'vim'),
        pkg('4', 'less', '590-1ubuntu0.22.04.1', 'less'),
        pkg('5', 'tar', '1.34+dfsg-1ubuntu0.1.22.04.2', 'tar'),
      ];
      const env = [{ package_db: 'var/lib/dpkg/status', introduced_in: layer, distribution_id: '1', repository_ids: null }];
      const report: IndexReport = {
        manifest_hash: `sha256:${'d'.repeat(64)}`,
        state: 'IndexFinished',
        packages: Object.fromEntries(packages.map((p) => [p.id, p])),
        // As the Ubuntu distribution scanner reports jammy.
        distributions: { '1': { id: '1', did: 'ubuntu', name: 'Ubuntu', version: '22.04 (Jammy)', version_code_name: 'jammy', version_id: '22.04', arch: '', cpe: '', pretty_name: 'Ubuntu 22.04' } },
        repository: {},
        environments: Object.fromEntries(packages.map((p) => [p.id, env])),
        success: true,
        err: '',
      };
      const out = await match(report, [ubuntuMatcher], store);
      const names = Object.fromEntries(Object.entries(out.package_vulnerabilities).map(([id, ids]) => [id, ids.map((v) => out.vulnerabilities[v]!.name)]));
      assert.deepEqual(names, {
        '1': ['CVE-2023-38545 on Ubuntu 22.04 LTS (jammy) - high'], // older than 0:7.81.0-1ubuntu1.14
        '3': ['CVE-2024-0595 on Ubuntu 22.04 LTS (jammy) - low'], // no fix yet
        '4': ['CVE-2022-12345 on Ubuntu 22.04 LTS (jammy) - negligible'], // no fix yet
        // openssl and tar are at their fixed versions.
      });
    } finally {
      await db.close();
      await ctx.cleanup();
      await s.close();
    }
  });
});
