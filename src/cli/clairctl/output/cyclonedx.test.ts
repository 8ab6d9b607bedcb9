import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALPINE_DIGEST, alpineResult, debianResult, DEBIAN_DIGEST, failedResult, render } from './fixtures.case.js';
import { cycloneDxValidator } from './schemas.case.js';

interface Bom {
  bomFormat: string;
  specVersion: string;
  serialNumber: string;
  metadata: { timestamp: string; tools: unknown; component: Record<string, unknown> };
  components: { 'bom-ref': string; type: string; name: string; version?: string; purl?: string; properties?: { name: string; value: string }[] }[];
  vulnerabilities: { 'bom-ref': string; id: string; source: unknown; ratings: unknown[]; affects: { ref: string; versions: unknown[] }[]; advisories?: unknown[]; published?: string; properties: unknown[] }[];
}

/** The documents of a concatenated JSON text, each a BOM followed by a newline. */
const documents = (text: string) => text.split(/\n(?=\{)/).map((d) => JSON.parse(d) as Bom);

describe('cyclonedx format', () => {
  const validate = cycloneDxValidator();

  it('writes one valid CycloneDX 1.6 BOM per image, and none for a failed image', async () => {
    const text = await render('cyclonedx', [debianResult(), alpineResult(), failedResult()]);
    assert.ok(text.endsWith('}\n'));
    const boms = documents(text);
    assert.equal(boms.length, 2);
    for (const bom of boms) assert.deepEqual(validate(bom), []);
    assert.deepEqual(
      boms.map((b) => [b.serialNumber, b.metadata.timestamp, b.metadata.component]),
      [
        [
          'urn:uuid:00000000-0000-4000-8000-000000000001',
          '2026-03-04T05:06:07.890Z',
          {
            'bom-ref': `image:${DEBIAN_DIGEST}`,
            type: 'container',
            name: 'docker.io/library/app:1.0',
            version: DEBIAN_DIGEST,
            purl: `pkg:oci/app@${DEBIAN_DIGEST}?repository_url=docker.io%2Flibrary%2Fapp&tag=1.0`,
          },
        ],
        [
          'urn:uuid:00000000-0000-4000-8000-000000000002',
          '2026-03-04T05:06:07.890Z',
          { 'bom-ref': `image:${ALPINE_DIGEST}`, type: 'container', name: `quay.io/example/tool@${ALPINE_DIGEST}`, version: ALPINE_DIGEST, purl: `pkg:oci/tool@${ALPINE_DIGEST}?repository_url=quay.io%2Fexample%2Ftool` },
        ],
      ],
    );
    assert.deepEqual(boms[0]!.metadata.tools, { components: [{ type: 'application', name: 'clairctl', version: '0.1.0' }] });
  });

  it('lists the distribution and every package with its purl', async () => {
    const [debian] = documents(await render('cyclonedx', [debianResult()]));
    assert.deepEqual(
      debian!.components.map((c) => [c['bom-ref'], c.type, c.name, c.version, c.purl]),
      [
        ['distribution:1', 'operating-system', 'debian', '11', undefined],
        ['package:10', 'library', 'openssl', '1.1.1n-0+deb11u3', 'pkg:deb/debian/openssl@1.1.1n-0+deb11u3?arch=amd64&distro=debian-11'],
        ['package:12', 'library', 'libssl1.1', '1.1.1n-0+deb11u3', 'pkg:deb/debian/libssl1.1@1.1.1n-0+deb11u3?arch=amd64&distro=debian-11&upstream=openssl'],
        ['package:14', 'library', 'bash', '5.1-2+deb11u1', 'pkg:deb/debian/bash@5.1-2+deb11u1?arch=amd64&distro=debian-11'],
        ['package:20', 'library', 'requests', '2.25.1', 'pkg:pypi/requests@2.25.1'],
        ['package:30', 'library', 'com.fasterxml.jackson.core:jackson-databind', '2.9.10.1', 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10.1'],
      ],
    );
    assert.deepEqual(debian!.components[2]!.properties, [
      { name: 'clair:package_db', value: 'var/lib/dpkg/status' },
      { name: 'clair:layer', value: 'sha256:1111111111111111111111111111111111111111111111111111111111111111' },
      { name: 'clair:source', value: 'openssl@1.1.1n-0+deb11u3' },
      { name: 'clair:arch', value: 'amd64' },
    ]);
    const [alpine] = documents(await render('cyclonedx', [alpineResult()]));
    assert.equal(alpine!.components[2]!.purl, 'pkg:apk/alpine/busybox-binsh@1.35.0-r29?arch=x86_64&distro=alpine-3.17&upstream=busybox');
  });

  it('records each vulnerability with its ratings, advisories and the packages it affects', async () => {
    const [bom] = documents(await render('cyclonedx', [debianResult()]));
    assert.deepEqual(
      bom!.vulnerabilities.map((v) => [v.id, v.affects.map((a) => a.ref)]),
      [
        ['CVE-2022-2068', ['package:12', 'package:10']],
        ['CVE-2020-36518', ['package:30']],
        ['CVE-2023-0464', ['package:12', 'package:10']],
        ['GHSA-j8r2-6x86-q33q', ['package:20']],
        ['CVE-2022-3715', ['package:14']],
        ['CVE-2010-0928', ['package:10']],
      ],
    );
    const critical = bom!.vulnerabilities[0]!;
    assert.deepEqual(critical.ratings, [
      { source: { name: 'debian/updater/bullseye' }, severity: 'critical', method: 'other' },
      { source: { name: 'NVD' }, score: 9.8, severity: 'critical', method: 'CVSSv31', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    ]);
    assert.equal(critical.published, '2022-06-21T15:15:00Z');
    assert.deepEqual(critical.affects[0], { ref: 'package:12', versions: [{ version: '1.1.1n-0+deb11u3', status: 'affected' }, { version: '1.1.1n-0+deb11u4', status: 'unaffected' }] });
    const ghsa = bom!.vulnerabilities[3]!;
    assert.deepEqual(ghsa.source, { name: 'osv/pypi', url: 'https://github.com/advisories/GHSA-j8r2-6x86-q33q' });
    assert.deepEqual(ghsa.advisories, [{ url: 'https://github.com/advisories/GHSA-j8r2-6x86-q33q' }, { url: 'https://nvd.nist.gov/vuln/detail/CVE-2023-32681' }]);
    assert.deepEqual(ghsa.ratings, [{ source: { name: 'osv/pypi' }, severity: 'medium', method: 'other' }]);
    assert.deepEqual(ghsa.properties, [
      { name: 'clair:severity', value: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N' },
      { name: 'clair:fixed_in_version', value: '2.31.0' },
    ]);
    const negligible = bom!.vulnerabilities[5]!;
    assert.deepEqual(negligible.ratings, [{ source: { name: 'debian/updater/bullseye' }, severity: 'info', method: 'other' }]);
    assert.equal(negligible.published, undefined, 'the zero time is no publication date');
  });

  it('is checked by a validator that rejects a broken BOM', () => {
    assert.notDeepEqual(validate({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ type: 'nonsense', name: 'x' }] }), []);
  });
});
