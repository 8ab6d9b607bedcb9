import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALPINE_DIGEST, alpineResult, BASE_LAYER, CVSS_KIND, debianResult, failedResult, render } from './fixtures.case.js';
import { cveIds, quayFixedBy, severityFromCvss } from './quay.js';

const documents = (text: string) => text.split(/\n(?=\{)/).map((d) => JSON.parse(d) as { status: string; data: { Layer: { Features: Record<string, unknown>[] } & Record<string, unknown> } | null });

describe('quay format', () => {
  it('writes Quay\'s security report per image, and a failed status for a failed image', async () => {
    const text = await render('quay', [alpineResult(), failedResult()]);
    assert.equal(
      text,
      `${JSON.stringify(
        {
          status: 'scanned',
          data: {
            Layer: {
              Name: ALPINE_DIGEST,
              ParentName: '',
              NamespaceName: '',
              IndexedByVersion: 4,
              Features: [
                {
                  Name: 'musl',
                  VersionFormat: '',
                  NamespaceName: '',
                  AddedBy: BASE_LAYER,
                  Version: '1.2.3-r4',
                  BaseScores: [],
                  CVEIds: ['CVE-2025-26519'],
                  Vulnerabilities: [
                    {
                      Severity: 'High',
                      NamespaceName: 'alpine-main-v3.17-updater',
                      Link: 'https://www.cve.org/CVERecord?id=CVE-2025-26519',
                      FixedBy: '1.2.3-r5',
                      Description: 'musl libc 0.9.13 through 1.2.5 before 1.2.6 has an out-of-bounds write vulnerability when an attacker can trigger iconv conversion of untrusted EUC-KR text to UTF-8.',
                      Name: 'CVE-2025-26519',
                      Metadata: { UpdatedBy: 'alpine-main-v3.17-updater', RepoName: null, RepoLink: null, DistroName: 'Alpine Linux', DistroVersion: '3.17', NVD: { CVSSv3: { Vectors: '', Score: '' } } },
                    },
                  ],
                },
                { Name: 'busybox-binsh', VersionFormat: '', NamespaceName: '', AddedBy: BASE_LAYER, Version: '1.35.0-r29', BaseScores: [], CVEIds: [], Vulnerabilities: [] },
              ],
            },
          },
        },
        null,
        2,
      )}\n${JSON.stringify({ status: 'failed', data: null }, null, 2)}\n`,
    );
  });

  it('carries CVSS data, decodes fixed versions and reads CVE ids out of links', async () => {
    const [doc] = documents(await render('quay', [debianResult()]));
    const features = doc!.data!.Layer.Features;
    const openssl = features.find((f) => f.Name === 'openssl') as { BaseScores: number[]; CVEIds: string[]; Vulnerabilities: { Name: string; Severity: string; FixedBy: string; Metadata: { NVD: unknown; RepoName: unknown } }[] };
    assert.deepEqual(openssl.BaseScores, [9.8]);
    assert.deepEqual(openssl.CVEIds, ['CVE-2010-0928', 'CVE-2022-2068', 'CVE-2023-0464']);
    assert.deepEqual(openssl.Vulnerabilities.map((v) => [v.Name, v.Severity, v.FixedBy]), [
      ['CVE-2022-2068', 'Critical', '1.1.1n-0+deb11u4'],
      ['CVE-2023-0464', 'High', ''],
      ['CVE-2010-0928', 'Negligible', ''],
    ]);
    assert.deepEqual(openssl.Vulnerabilities[0]!.Metadata.NVD, { CVSSv3: { Vectors: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', Score: 9.8 } });
    const requests = features.find((f) => f.Name === 'requests') as { CVEIds: string[]; Vulnerabilities: { FixedBy: string; Metadata: { RepoName: unknown; RepoLink: unknown; DistroName: unknown } }[] };
    assert.deepEqual(requests.CVEIds, ['CVE-2023-32681']);
    assert.equal(requests.Vulnerabilities[0]!.FixedBy, '2.31.0');
    assert.deepEqual([requests.Vulnerabilities[0]!.Metadata.RepoName, requests.Vulnerabilities[0]!.Metadata.RepoLink, requests.Vulnerabilities[0]!.Metadata.DistroName], ['pypi', 'https://pypi.org/simple', '']);
  });

  it('shows a (package, version, vulnerability name) once, and rates an Unknown vulnerability by its CVSS score', async () => {
    const result = alpineResult();
    const report = result.report!;
    const first = report.vulnerabilities['200']!;
    report.vulnerabilities['201'] = { ...first, id: '201', updater: 'osv', normalized_severity: 'Unknown' };
    report.vulnerabilities['202'] = { ...first, id: '202', name: 'CVE-2099-0001', normalized_severity: 'Unknown', fixed_in_version: '0', links: '' };
    report.package_vulnerabilities['5'] = ['200', '201', '202'];
    report.enrichments = { [CVSS_KIND]: [{ '202': [{ baseScore: 5.1, vectorString: 'CVSS:3.1/low' }, { baseScore: 10, vectorString: 'CVSS:3.1/max' }] }] };
    const [doc] = documents(await render('quay', [result]));
    const musl = doc!.data!.Layer.Features[0] as { BaseScores: number[]; Vulnerabilities: { Name: string; Severity: string; FixedBy: string; NamespaceName: string }[] };
    assert.deepEqual(musl.Vulnerabilities.map((v) => [v.Name, v.NamespaceName, v.Severity, v.FixedBy]), [
      ['CVE-2025-26519', 'alpine-main-v3.17-updater', 'High', '1.2.3-r5'],
      ['CVE-2099-0001', 'alpine-main-v3.17-updater', 'Critical', ''],
    ]);
    assert.deepEqual(musl.BaseScores, [10]);
  });

  it('maps like Quay\'s helpers', () => {
    assert.equal(quayFixedBy('fixed=1.2%3A3&arch=x86_64'), '1.2:3');
    assert.equal(quayFixedBy('introduced=1.0'), 'introduced=1.0');
    assert.equal(quayFixedBy('fixed='), 'fixed=');
    assert.equal(quayFixedBy('0'), '');
    assert.equal(quayFixedBy('1.2-3'), '1.2-3');
    assert.deepEqual([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10, 11].map(severityFromCvss), ['Unknown', 'Low', 'Low', 'Medium', 'Medium', 'High', 'High', 'Critical', 'Critical', 'Unknown']);
    assert.deepEqual(cveIds('https://x/CVE-2021-1234 https://y?id=CVE-2020-99999 CVE-2021-1234'), ['CVE-2020-99999', 'CVE-2021-1234']);
  });
});
