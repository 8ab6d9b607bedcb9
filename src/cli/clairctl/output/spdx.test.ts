import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { alpineResult, debianResult, DEBIAN_DIGEST, failedResult, render } from './fixtures.case.js';
import { spdxValidator } from './schemas.case.js';
import { spdxTimestamp } from './spdx.js';

interface SpdxDocument {
  spdxVersion: string;
  dataLicense: string;
  SPDXID: string;
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: { SPDXID: string; name: string; versionInfo?: string; downloadLocation: string; licenseConcluded: string; licenseDeclared: string; externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string; comment?: string }[]; primaryPackagePurpose?: string; checksums?: unknown }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

const documents = (text: string) => text.split(/\n(?=\{)/).map((d) => JSON.parse(d) as SpdxDocument);

describe('spdx format', () => {
  const validate = spdxValidator();

  it('writes one SPDX 2.3 document per image, and none for a failed image', async (t) => {
    const docs = documents(await render('spdx', [debianResult(), alpineResult(), failedResult()]));
    assert.equal(docs.length, 2);
    const [debian, alpine] = docs;
    assert.deepEqual(
      [debian!.spdxVersion, debian!.dataLicense, debian!.SPDXID, debian!.name, debian!.documentNamespace, debian!.creationInfo],
      [
        'SPDX-2.3',
        'CC0-1.0',
        'SPDXRef-DOCUMENT',
        'docker.io/library/app:1.0',
        'https://spdx.org/spdxdocs/clairctl/docker.io%2Flibrary%2Fapp%3A1.0-00000000-0000-4000-8000-000000000001',
        { created: '2026-03-04T05:06:07Z', creators: ['Tool: clairctl-0.1.0'] },
      ],
    );
    assert.equal(alpine!.documentNamespace.endsWith('-00000000-0000-4000-8000-000000000002'), true);
    if (typeof validate === 'string') t.skip(validate);
    else for (const doc of docs) assert.deepEqual(validate(doc), []);
  });

  it('describes the image, which contains the distribution and every package, all without licence assertions', async () => {
    const [doc] = documents(await render('spdx', [debianResult()]));
    assert.deepEqual(
      doc!.packages.map((p) => [p.SPDXID, p.name, p.versionInfo, p.primaryPackagePurpose]),
      [
        ['SPDXRef-Image', 'docker.io/library/app:1.0', DEBIAN_DIGEST, 'CONTAINER'],
        ['SPDXRef-OperatingSystem-1', 'debian', '11', 'OPERATING_SYSTEM'],
        ['SPDXRef-Package-10', 'openssl', '1.1.1n-0+deb11u3', undefined],
        ['SPDXRef-Package-12', 'libssl1.1', '1.1.1n-0+deb11u3', undefined],
        ['SPDXRef-Package-14', 'bash', '5.1-2+deb11u1', undefined],
        ['SPDXRef-Package-20', 'requests', '2.25.1', undefined],
        ['SPDXRef-Package-30', 'com.fasterxml.jackson.core:jackson-databind', '2.9.10.1', undefined],
      ],
    );
    for (const p of doc!.packages) assert.deepEqual([p.downloadLocation, p.licenseConcluded, p.licenseDeclared], ['NOASSERTION', 'NOASSERTION', 'NOASSERTION']);
    assert.deepEqual(doc!.packages[0]!.checksums, [{ algorithm: 'SHA256', checksumValue: DEBIAN_DIGEST.slice('sha256:'.length) }]);
    assert.deepEqual(doc!.relationships, [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Image' },
      ...['OperatingSystem-1', 'Package-10', 'Package-12', 'Package-14', 'Package-20', 'Package-30'].map((id) => ({ spdxElementId: 'SPDXRef-Image', relationshipType: 'CONTAINS', relatedSpdxElement: `SPDXRef-${id}` })),
    ]);
  });

  it('gives each package its purl and a security advisory reference per vulnerability', async () => {
    const [doc] = documents(await render('spdx', [debianResult()]));
    const openssl = doc!.packages.find((p) => p.SPDXID === 'SPDXRef-Package-10')!;
    assert.deepEqual(openssl.externalRefs, [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:deb/debian/openssl@1.1.1n-0+deb11u3?arch=amd64&distro=debian-11' },
      { referenceCategory: 'SECURITY', referenceType: 'advisory', referenceLocator: 'https://security-tracker.debian.org/tracker/CVE-2022-2068', comment: 'CVE-2022-2068 (Critical); fixed in 1.1.1n-0+deb11u4' },
      { referenceCategory: 'SECURITY', referenceType: 'advisory', referenceLocator: 'https://security-tracker.debian.org/tracker/CVE-2023-0464', comment: 'CVE-2023-0464 (High); no fixed version is known' },
      { referenceCategory: 'SECURITY', referenceType: 'advisory', referenceLocator: 'https://security-tracker.debian.org/tracker/CVE-2010-0928', comment: 'CVE-2010-0928 (Negligible); no fixed version is known' },
    ]);
    const busybox = documents(await render('spdx', [alpineResult()]))[0]!.packages.find((p) => p.name === 'busybox-binsh')!;
    assert.deepEqual(busybox.externalRefs, [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:apk/alpine/busybox-binsh@1.35.0-r29?arch=x86_64&distro=alpine-3.17&upstream=busybox' }]);
  });

  it('makes SPDX ids from any report id, unique and within SPDX\'s alphabet', async () => {
    const result = alpineResult();
    const report = result.report!;
    report.packages = { 'a b': { ...report.packages['5']!, id: 'a b' }, 'a/b': { ...report.packages['7']!, id: 'a/b' } };
    report.package_vulnerabilities = {};
    const [doc] = documents(await render('spdx', [result]));
    assert.deepEqual(doc!.packages.slice(2).map((p) => p.SPDXID), ['SPDXRef-Package-a-b', 'SPDXRef-Package-a-b-2']);
  });

  it('stamps creation times to the second', () => {
    assert.equal(spdxTimestamp(new Date('2026-03-04T05:06:07.890Z')), '2026-03-04T05:06:07Z');
  });
});
