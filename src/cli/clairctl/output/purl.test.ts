import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Distribution, Package } from '../../../model/package.js';
import type { VulnerabilityReport } from '../../../model/vulnerability.js';
import { imagePurl, languagePackagePath, packageContext, purlOf, splitImageReference, type PackageContext } from './purl.js';

const pkg = (name: string, version: string, extra: Partial<Package> = {}): Package => ({ id: '1', name, version, normalized_version: '', cpe: '', ...extra });
const dist = (did: string, version_id: string): Distribution => ({ id: '1', did, name: did, version: version_id, version_code_name: '', version_id, arch: '', cpe: '', pretty_name: '' });
const ctx = (ecosystem: PackageContext['ecosystem'], distribution?: Distribution): PackageContext => ({ ecosystem, packageDb: '', layer: '', distribution, repositories: [] });

describe('purlOf', () => {
  it('builds OS package purls with arch, distro and upstream qualifiers', () => {
    assert.equal(purlOf(pkg('libc6', '2.31-13+deb11u5', { arch: 'amd64', source: pkg('glibc', '2.31-13+deb11u5') }), ctx('deb', dist('debian', '11'))), 'pkg:deb/debian/libc6@2.31-13+deb11u5?arch=amd64&distro=debian-11&upstream=glibc');
    assert.equal(purlOf(pkg('libssl3', '3.0.2-0ubuntu1.10', { source: pkg('openssl', '3.0.2-0ubuntu1.9') }), ctx('deb', dist('ubuntu', '22.04'))), 'pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.10?distro=ubuntu-22.04&upstream=openssl%403.0.2-0ubuntu1.9');
    assert.equal(purlOf(pkg('busybox', '1.36.1-r2', { arch: 'x86_64' }), ctx('apk', dist('wolfi', '20230201'))), 'pkg:apk/wolfi/busybox@1.36.1-r2?arch=x86_64&distro=wolfi-20230201');
    assert.equal(purlOf(pkg('openssl-libs', '1:1.1.1k-7.el8_6', { arch: 'x86_64' }), ctx('rpm', dist('rhel', '8.7'))), 'pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?arch=x86_64&distro=rhel-8.7&epoch=1');
    assert.equal(purlOf(pkg('nodejs', '16.14.0-1', { module: 'nodejs:16' }), ctx('rpm', dist('ol', '8'))), 'pkg:rpm/oracle/nodejs@16.14.0-1?distro=ol-8&rpmmod=nodejs%3A16');
  });

  it('builds language package purls by each type\'s rules', () => {
    assert.equal(purlOf(pkg('Django_Rest', '3.1'), ctx('pypi')), 'pkg:pypi/django-rest@3.1');
    assert.equal(purlOf(pkg('org.apache.logging.log4j:log4j-core', '2.14.1'), ctx('maven')), 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1');
    assert.equal(purlOf(pkg('github.com/gorilla/mux', 'v1.8.0'), ctx('golang')), 'pkg:golang/github.com/gorilla/mux@v1.8.0');
    assert.equal(purlOf(pkg('stdlib', 'go1.21.0'), ctx('golang')), 'pkg:golang/stdlib@go1.21.0');
    assert.equal(purlOf(pkg('@angular/core', '16.0.0'), ctx('npm')), 'pkg:npm/%40angular/core@16.0.0');
    assert.equal(purlOf(pkg('rails', '7.0.0'), ctx('gem')), 'pkg:gem/rails@7.0.0');
    assert.equal(purlOf(pkg('serde_json', '1.0.108'), ctx('cargo')), 'pkg:cargo/serde_json@1.0.108');
    assert.equal(purlOf(pkg('symfony/http-kernel', 'v6.4.0'), ctx('composer')), 'pkg:composer/symfony/http-kernel@v6.4.0');
    assert.equal(purlOf(pkg('newtonsoft.json', '13.0.1'), ctx('nuget')), 'pkg:nuget/newtonsoft.json@13.0.1');
  });

  it('falls back to a generic purl, and gives none to a nameless package', () => {
    assert.equal(purlOf(pkg('jackson', '2.9'), ctx('maven')), 'pkg:generic/jackson@2.9', 'a Maven artifact needs a group');
    assert.equal(purlOf(pkg('thing one', '1 2'), ctx('unknown')), 'pkg:generic/thing%20one@1%202');
    assert.equal(purlOf(pkg('', '1'), ctx('deb')), undefined);
  });
});

describe('packageContext', () => {
  const report = (env: object, extra: Partial<VulnerabilityReport> = {}) =>
    ({ manifest_hash: 'sha256:0', packages: {}, distributions: { '1': dist('debian', '12') }, repository: { '2': { id: '2', name: 'npm', cpe: '' } }, environments: { '1': [env] }, vulnerabilities: {}, package_vulnerabilities: {}, enrichments: {}, ...extra }) as VulnerabilityReport;

  it('reads the ecosystem from package_db, then the repository, then the distribution', () => {
    assert.equal(packageContext(report({ package_db: 'var/lib/dpkg/status.d/base', introduced_in: 'l', distribution_id: '1', repository_ids: null }), '1').ecosystem, 'deb');
    assert.equal(packageContext(report({ package_db: 'sqlite:var/lib/rpm', introduced_in: 'l', distribution_id: '', repository_ids: null }), '1').ecosystem, 'rpm');
    assert.equal(packageContext(report({ package_db: 'go:usr/bin/app', introduced_in: 'l', distribution_id: '', repository_ids: null }), '1').ecosystem, 'golang');
    assert.equal(packageContext(report({ package_db: 'app/node_modules/x/package.json', introduced_in: 'l', distribution_id: '', repository_ids: ['2'] }), '1').ecosystem, 'npm');
    assert.equal(packageContext(report({ package_db: 'cargo:app/Cargo.lock', introduced_in: 'l', distribution_id: '', repository_ids: null }), '1').ecosystem, 'cargo');
    assert.equal(packageContext(report({ package_db: 'rust:usr/bin/app', introduced_in: 'l', distribution_id: '', repository_ids: null }), '1').ecosystem, 'cargo');
    assert.equal(packageContext(report({ package_db: 'composer:app/vendor/composer/installed.json', introduced_in: 'l', distribution_id: '', repository_ids: null }), '1').ecosystem, 'composer');
    assert.equal(packageContext(report({ package_db: 'dotnet:app/app.deps.json', introduced_in: 'l', distribution_id: '', repository_ids: null }), '1').ecosystem, 'nuget');
    assert.equal(packageContext(report({ package_db: 'somewhere', introduced_in: 'l', distribution_id: '1', repository_ids: null }), '1').ecosystem, 'deb');
    assert.equal(packageContext(report({ package_db: 'somewhere', introduced_in: 'l', distribution_id: '', repository_ids: null }), '1').ecosystem, 'unknown');
    assert.equal(packageContext(report({}), '2').ecosystem, 'unknown', 'a package without environments');
  });

  it('reads the older single repository_id', () => {
    const context = packageContext(report({ package_db: 'x', introduced_in: 'l', distribution_id: '', repository_id: '2' }), '1');
    assert.deepEqual(context.repositories, [{ id: '2', name: 'npm', cpe: '' }]);
    assert.equal(context.ecosystem, 'npm');
  });

  it('gives the path of a language package\'s database and none for OS databases', () => {
    assert.equal(languagePackagePath({ ...ctx('maven'), packageDb: 'maven:opt/app/app.jar' }), 'opt/app/app.jar');
    assert.equal(languagePackagePath({ ...ctx('deb'), packageDb: 'var/lib/dpkg/status' }), undefined);
    assert.equal(languagePackagePath({ ...ctx('rpm'), packageDb: 'bdb:var/lib/rpm' }), undefined);
  });
});

describe('image references', () => {
  it('splits repository, tag and digest', () => {
    assert.deepEqual(splitImageReference('localhost:5000/org/app:1.2@sha256:ab'), { repository: 'localhost:5000/org/app', tag: '1.2', digest: 'sha256:ab' });
    assert.deepEqual(splitImageReference('localhost:5000/app'), { repository: 'localhost:5000/app', tag: '', digest: '' });
    assert.deepEqual(splitImageReference('debian'), { repository: 'debian', tag: '', digest: '' });
  });

  it('builds an oci purl', () => {
    assert.equal(imagePurl('docker.io/library/debian:12', 'sha256:ab'), 'pkg:oci/debian@sha256:ab?repository_url=docker.io%2Flibrary%2Fdebian&tag=12');
    assert.equal(imagePurl('Quay.io/Org/App', ''), 'pkg:oci/app?repository_url=Quay.io%2FOrg%2FApp');
  });
});
