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

/**
 * GHSA-h7vf-5wrv-9fhv (CVE-2022-24894, "Prevent storing cookie headers in
 * HttpCache") as OSV's Packagist bundle carries it, abridged: one ECOSYSTEM
 * range per maintained branch, and the same fix for symfony/symfony.
 */
export const GHSA_PACKAGIST = {
  schema_version: '1.4.0',
  id: 'GHSA-h7vf-5wrv-9fhv',
  modified: '2023-02-13T19:40:49Z',
  published: '2023-02-03T18:39:36Z',
  aliases: ['CVE-2022-24894'],
  summary: 'Symfony storing cookie headers in HttpCache',
  references: [
    { type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2022-24894' },
    { type: 'WEB', url: 'https://symfony.com/cve-2022-24894' },
  ],
  affected: [
    {
      package: { ecosystem: 'Packagist', name: 'symfony/http-kernel', purl: 'pkg:composer/symfony/http-kernel' },
      ranges: [
        {
          type: 'ECOSYSTEM',
          events: [
            { introduced: '2.0.0' }, { fixed: '4.4.50' },
            { introduced: '5.0.0' }, { fixed: '5.4.20' },
            { introduced: '6.0.0' }, { fixed: '6.0.20' },
            { introduced: '6.1.0' }, { fixed: '6.1.12' },
            { introduced: '6.2.0' }, { fixed: '6.2.6' },
          ],
        },
      ],
    },
    {
      package: { ecosystem: 'Packagist', name: 'symfony/symfony', purl: 'pkg:composer/symfony/symfony' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '6.2.0' }, { fixed: '6.2.6' }] }],
    },
  ],
  database_specific: { severity: 'MODERATE', github_reviewed: true, cwe_ids: ['CWE-200'] },
};

/** GHSA-5crp-9r3c-p9vr (CVE-2024-21907) as OSV's NuGet bundle carries it: Newtonsoft.Json before 13.0.1. */
export const GHSA_NUGET = {
  schema_version: '1.4.0',
  id: 'GHSA-5crp-9r3c-p9vr',
  modified: '2024-01-04T15:34:48Z',
  published: '2022-06-22T15:08:47Z',
  aliases: ['CVE-2024-21907'],
  summary: 'Improper Handling of Exceptional Conditions in Newtonsoft.Json',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
  references: [
    { type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-21907' },
    { type: 'PACKAGE', url: 'https://github.com/JamesNK/Newtonsoft.Json' },
  ],
  affected: [{ package: { ecosystem: 'NuGet', name: 'Newtonsoft.Json', purl: 'pkg:nuget/Newtonsoft.Json' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '13.0.1' }] }] }],
  database_specific: { severity: 'HIGH', github_reviewed: true, cwe_ids: ['CWE-755'] },
};

/** A GHSA-style crates.io advisory with an ECOSYSTEM range (RustSec's own use SEMVER). */
export const GHSA_CRATES = {
  id: 'GHSA-2099-crat-esio',
  summary: 'synthetic: a crates.io advisory published with an ECOSYSTEM range',
  affected: [{ package: { ecosystem: 'crates.io', name: 'h2' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0.4.0' }, { fixed: '0.4.4' }] }] }],
};

export function zipOf(advisories: ReadonlyArray<{ id: string }>): Buffer {
  return buildZip(advisories.map((a) => ({ name: `${a.id}.json`, content: JSON.stringify(a), method: 'deflate' as const })));
}

export const ZERO = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
export const INF = [65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535];
