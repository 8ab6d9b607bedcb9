import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePurl, qualifier } from './purl.js';

function ok(text: string) {
  const r = parsePurl(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.reason}`);
  return r.purl;
}

describe('parsePurl', () => {
  it('reads an rpm purl with epoch, arch and a percent-encoded release', () => {
    const p = ok('pkg:rpm/redhat/perl-FCGI@0.78-11.module%2Bel8.6.0%2B23193%2B83e23a7a.1?arch=src&epoch=1&rpmmod=perl-FCGI:0.78:8060020250604201935:513b2a65');
    assert.deepEqual(p, {
      type: 'rpm',
      namespace: 'redhat',
      name: 'perl-FCGI',
      version: '0.78-11.module+el8.6.0+23193+83e23a7a.1',
      qualifiers: [['arch', 'src'], ['epoch', '1'], ['rpmmod', 'perl-FCGI:0.78:8060020250604201935:513b2a65']],
      subpath: '',
    });
  });

  it('reads an oci purl whose version is a digest, encoded or not', () => {
    const encoded = ok('pkg:oci/alloy-rhel10@sha256%3A9ca2?arch=ppc64le&repository_url=registry.redhat.io/rhceph&tag=1771399158');
    assert.equal(encoded.version, 'sha256:9ca2');
    assert.equal(encoded.namespace, '');
    assert.equal(qualifier(encoded, 'repository_url'), 'registry.redhat.io/rhceph');
    const bare = ok('pkg:oci/sso76-openshift-rhel8@sha256:c3e0?arch=amd64&tag=7.6-22');
    assert.equal(bare.version, 'sha256:c3e0');
    assert.equal(qualifier(bare, 'tag'), '7.6-22');
  });

  it('sorts qualifiers, lower-cases keys and the type, drops empty values', () => {
    const p = ok('pkg:RPM/redhat/x?Epoch=2&arch=&b=1');
    assert.equal(p.type, 'rpm');
    assert.deepEqual(p.qualifiers, [['b', '1'], ['epoch', '2']]);
  });

  it('reads a versionless purl and a subpath', () => {
    const p = ok('pkg:rpm/redhat/python-brotli?arch=src&rpmmod=satellite:el8#sub/dir');
    assert.equal(p.version, '');
    assert.equal(p.subpath, 'sub/dir');
  });

  for (const bad of ['rpm/redhat/x', 'pkg:rpm', 'pkg:rpm/', 'pkg:/x', 'pkg:rpm/redhat/x?arch', 'pkg:rpm/redhat/x?1a=b', 'pkg:rpm/redhat/%zz', 'pkg:rpm/redhat/x?a=1&a=2']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      const r = parsePurl(bad);
      assert.equal(r.ok, false);
    });
  }
});
