import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildQuery, indexRecords, match } from './controller.js';
import type { MatcherStore, VulnerabilityQuery } from '../store/matcher-store.js';
import type { IndexReport, Vulnerability } from '../model/index.js';
import { debianMatcher } from '../scanners/debian/matcher.js';
import { ubuntuMatcher } from '../scanners/ubuntu/matcher.js';
import { NO_DISTRIBUTION } from '../test-support/vulnerabilities.js';

const LAYER = `sha256:${'a'.repeat(64)}`;
const bookworm = { id: '7', did: 'debian', name: 'Debian GNU/Linux', version: '12 (bookworm)', version_code_name: 'bookworm', version_id: '12', arch: '', cpe: '', pretty_name: 'Debian GNU/Linux 12 (bookworm)' };
const report: IndexReport = {
  manifest_hash: `sha256:${'b'.repeat(64)}`,
  state: 'IndexFinished',
  packages: {
    '10': { id: '10', name: 'libssl3', version: '3.0.11-1~deb12u2', kind: 'binary', source: { id: '11', name: 'openssl', version: '3.0.11-1~deb12u2', kind: 'source', normalized_version: '', cpe: '' }, normalized_version: '', arch: 'amd64', cpe: '' },
    '12': { id: '12', name: 'bash', version: '5.2.15-2+b2', kind: 'binary', normalized_version: '', arch: 'amd64', cpe: '' },
    '13': { id: '13', name: 'orphan', version: '1', kind: 'binary', normalized_version: '', cpe: '' },
  },
  distributions: { '7': bookworm },
  repository: {},
  environments: {
    '10': [{ package_db: 'var/lib/dpkg/status', introduced_in: LAYER, distribution_id: '7', repository_ids: null }],
    '12': [{ package_db: 'var/lib/dpkg/status', introduced_in: LAYER, distribution_id: '7', repository_ids: null }],
  },
  success: true,
  err: '',
};

const v = (id: string, name: string, fixed: string): Vulnerability => ({
  id, updater: 'debian/updater', name, description: '', issued: '', links: '', severity: 'low', normalized_severity: 'Medium', package: { id: '', name: '', version: '', normalized_version: '', cpe: '' }, distribution: NO_DISTRIBUTION, repository: { cpe: '' }, fixed_in_version: fixed,
});

describe('matching an index report', () => {
  it('expands records per environment and repository', () => {
    const records = indexRecords(report);
    assert.deepEqual(records.map((r) => [r.package.name, r.distribution?.did]), [['libssl3', 'debian'], ['bash', 'debian']]);
  });

  it('builds queries from the matcher\'s constraints, including the source package', () => {
    const [openssl] = indexRecords(report);
    assert.deepEqual(buildQuery(debianMatcher, openssl!), {
      names: [{ name: 'libssl3', kind: 'binary' }, { name: 'openssl', kind: 'source' }],
      constraints: { dist_id: 'debian', dist_name: 'Debian GNU/Linux', dist_version_id: '12' },
    });
  });

  it('keeps candidates the matcher confirms, per package, and only for matchers whose filter accepts the record', async () => {
    const seen: VulnerabilityQuery[][] = [];
    const store = {
      query: async (queries: readonly VulnerabilityQuery[]) => {
        seen.push([...queries]);
        const c = (vuln: Vulnerability, notVulnerable = false) => ({ vulnerability: vuln, notVulnerable });
        return queries.map((q) =>
          q.names[0]!.name === 'libssl3'
            ? [c(v('100', 'CVE-2024-0001', '3.0.13-1~deb12u1')), c(v('101', 'CVE-2023-0002', '3.0.9-1'))]
            : [c(v('102', 'CVE-2022-3715', '')), c(v('103', 'CVE-2024-9999', '')), c(v('104', 'CVE-2024-9999', ''), true)],
        );
      },
    } as unknown as MatcherStore;
    const out = await match(report, [debianMatcher, ubuntuMatcher], store);
    assert.equal(seen.length, 1, 'the Ubuntu matcher filtered every record out and made no query');
    assert.deepEqual(out.package_vulnerabilities, { '10': ['100'], '12': ['102'] });
    assert.deepEqual(Object.keys(out.vulnerabilities).sort(), ['100', '102'], 'CVE-2023-0002 is fixed below the installed version; CVE-2024-9999 is declared not affecting bash');
    assert.equal(out.manifest_hash, report.manifest_hash);
    assert.deepEqual(out.packages, report.packages);
    assert.deepEqual(out.enrichments, {});
  });
});
