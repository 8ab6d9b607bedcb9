/**
 * @module Hand-written OSV advisories and expected records for the osv tests
 * (test only).
 */
import { buildZip } from '../../test-support/jar-builder.js';

export const PYSEC = {
  id: 'PYSEC-2099-1',
  summary: 'Foo bar is broken',
  details: 'Longer details.',
  published: '2021-01-02T03:04:05Z',
  modified: '2021-02-02T00:00:00Z',
  aliases: ['CVE-2099-0001'],
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  references: [{ type: 'WEB', url: 'https://example.com/advisory' }, { type: 'FIX', url: 'https://example.com/fix' }],
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'Foo_Bar.baz', purl: 'pkg:pypi/foo-bar-baz' },
      ranges: [
        { type: 'GIT', repo: 'https://github.com/x/y', events: [{ introduced: '0' }, { fixed: 'abcdef' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2.3' }, { introduced: '2.0' }, { last_affected: '2.1' }] },
      ],
      versions: ['1.0', '2.0', '2.1'],
    },
  ],
};

export const PYSEC_WITHDRAWN = {
  id: 'PYSEC-2099-2',
  withdrawn: '2020-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'PyPI', name: 'gone' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1' }] }] }],
};

export const PYSEC_GIT_ONLY = {
  id: 'PYSEC-2099-3',
  summary: 'git only',
  affected: [{ package: { ecosystem: 'PyPI', name: 'gitty' }, ranges: [{ type: 'GIT', repo: 'https://github.com/x/z', events: [{ introduced: '0' }, { fixed: '123456' }] }] }],
};

export const PYSEC_NO_AFFECTED = { id: 'PYSEC-2099-4', summary: 'nothing', affected: [] };

export const GHSA_NPM = {
  id: 'GHSA-aaaa-bbbb-cccc',
  details: 'Details only.',
  published: '2022-03-04T05:06:07Z',
  database_specific: { severity: 'MODERATE' },
  severity: [],
  references: [{ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2099-0002' }],
  affected: [
    {
      package: { ecosystem: 'npm', name: 'minimist' },
      ranges: [
        { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { last_affected: '1.2.5' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.9.9' }] },
      ],
    },
    // Another ecosystem's package: left to that ecosystem's bundle.
    { package: { ecosystem: 'PyPI', name: 'minimist' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1' }] }] },
  ],
};

export const GO_VULN = {
  id: 'GO-2099-0001',
  summary: 'Text panics',
  published: '2022-10-11T00:00:00Z',
  affected: [
    {
      package: { ecosystem: 'Go', name: 'golang.org/x/text' },
      ranges: [
        { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.3.8' }] },
        { type: 'SEMVER', events: [{ introduced: '1.0.0' }] },
      ],
    },
  ],
};

export function zipOf(advisories: ReadonlyArray<{ id: string }>): Buffer {
  return buildZip(advisories.map((a) => ({ name: `${a.id}.json`, content: JSON.stringify(a), method: 'deflate' as const })));
}

export const ZERO = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
export const INF = [65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535];
