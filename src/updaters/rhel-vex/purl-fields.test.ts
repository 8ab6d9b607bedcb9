import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePurl, type Purl } from './purl.js';
import { isSkippedKernelPackage, isUsablePurl, purlArch, purlFixedInVersion, purlModule, purlPackageName } from './purl-fields.js';

function purl(text: string): Purl {
  const r = parsePurl(text);
  if (!r.ok) throw new Error(r.reason);
  return r.purl;
}

describe('kernel allow-list', () => {
  for (const name of ['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core', 'kernel-modules-extra', 'kernel-rt', 'kernel-rt-core', 'kernel-64k', 'kernel-64k-core', 'kernel-uki-virt', 'kernel-uki-virt-addons']) {
    it(`keeps ${name}, unless every kernel package is ignored`, () => {
      assert.equal(isSkippedKernelPackage(name, false), false);
      assert.equal(isSkippedKernelPackage(name, true), true);
    });
  }
  for (const name of ['kernel-headers', 'kernel-devel', 'kernel-tools', 'kernel-debug', 'kernelshark']) {
    it(`skips ${name}`, () => assert.equal(isSkippedKernelPackage(name, false), true));
  }
  it('never skips other packages', () => {
    assert.equal(isSkippedKernelPackage('openssl', true), false);
    assert.equal(isSkippedKernelPackage('libkernel', true), false);
  });
});

describe('isUsablePurl', () => {
  it('takes Red Hat rpms and images only', () => {
    assert.equal(isUsablePurl(purl('pkg:rpm/redhat/openssl@3.0.7-27.el9'), false), true);
    assert.equal(isUsablePurl(purl('pkg:oci/ubi9?tag=9.3-1361'), false), true);
    assert.equal(isUsablePurl(purl('pkg:rpm/fedora/openssl@3.0.7-27.fc39'), false), false);
    assert.equal(isUsablePurl(purl('pkg:generic/redhat/brotli'), false), false);
    assert.equal(isUsablePurl(purl('pkg:maven/org.yaml/snakeyaml@1.33'), false), false);
    assert.equal(isUsablePurl(purl('pkg:rpm/redhat/kernel-headers@5.14.0-427.el9'), false), false);
  });
});

describe('purl fields', () => {
  it('package name: rpm name; image namespace/name, repository_url path, or bare name', () => {
    assert.deepEqual(purlPackageName(purl('pkg:rpm/redhat/openssl-libs@3.0.7')), { value: 'openssl-libs' });
    assert.deepEqual(purlPackageName(purl('pkg:oci/rhel7/rhel-atomic?tag=7.9')), { value: 'rhel7/rhel-atomic' });
    assert.deepEqual(purlPackageName(purl('pkg:oci/sso76-openshift-rhel8?repository_url=registry.redhat.io/rh-sso-7/sso76-openshift-rhel8')), { value: 'rh-sso-7/sso76-openshift-rhel8' });
    assert.deepEqual(purlPackageName(purl('pkg:oci/ubi9')), { value: 'ubi9' });
    assert.ok('error' in purlPackageName(purl('pkg:oci/ubi9?repository_url=registry.redhat.io')));
  });

  it('fixed version: epoch:version (epoch 0 by default), image tag, or none', () => {
    assert.deepEqual(purlFixedInVersion(purl('pkg:rpm/redhat/buildah-debugsource@1.24.6-5.module%2Bel8.8.0%2B18083%2Bcd85596b?arch=ppc64le&epoch=1')), { value: '1:1.24.6-5.module+el8.8.0+18083+cd85596b' });
    assert.deepEqual(purlFixedInVersion(purl('pkg:rpm/redhat/buildah@1.24.6-5.el8?arch=x86_64')), { value: '0:1.24.6-5.el8' });
    assert.deepEqual(purlFixedInVersion(purl('pkg:rpm/redhat/buildah?arch=src')), { value: '' });
    assert.deepEqual(purlFixedInVersion(purl('pkg:oci/ubi9@sha256%3Aabc?tag=9.3-1361')), { value: '9.3-1361' });
    assert.ok('error' in purlFixedInVersion(purl('pkg:oci/ubi9@sha256%3Aabc')));
  });

  it('module: name:stream from rpmmod', () => {
    assert.deepEqual(purlModule(purl('pkg:rpm/redhat/postgresql@13.1?rpmmod=postgresql:13:8060020240903094008:ad008a3a')), { value: 'postgresql:13' });
    assert.deepEqual(purlModule(purl('pkg:rpm/redhat/postgresql@9.2?rpmmod=postgresql:9.2:8060020240903094008:ad008a3a')), { value: 'postgresql:9.2' });
    assert.deepEqual(purlModule(purl('pkg:rpm/redhat/golang?arch=src&rpmmod=go-toolset:rhel8')), { value: 'go-toolset:rhel8' });
    assert.deepEqual(purlModule(purl('pkg:rpm/redhat/openssl@3')), { value: '' });
    assert.ok('error' in purlModule(purl('pkg:rpm/redhat/firefox?rpmmod=rhel10')));
    assert.ok('error' in purlModule(purl('pkg:rpm/redhat/firefox?rpmmod=rhel:')));
  });

  it('arch: amd64 and x86_64 are one pattern', () => {
    assert.equal(purlArch(purl('pkg:rpm/redhat/x@1?arch=x86_64')), 'amd64|x86_64');
    assert.equal(purlArch(purl('pkg:oci/x?arch=amd64')), 'amd64|x86_64');
    assert.equal(purlArch(purl('pkg:rpm/redhat/x@1?arch=noarch')), 'noarch');
    assert.equal(purlArch(purl('pkg:rpm/redhat/x@1')), '');
  });
});
