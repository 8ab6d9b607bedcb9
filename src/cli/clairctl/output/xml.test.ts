import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { alpineResult, debianResult, failedResult, render } from './fixtures.case.js';
import { goXmlEscape } from './xml.js';

const DEBIAN_SUITE =
  '<testsuite name="docker.io/library/app:1.0" tests="5" errors="0" failures="5"><properties><property name="manifest" value="sha256:3f0a9a5c2ab6e84ed0b6a0d1c4c2d37d7b1a4e5b8d9e0f1a2b3c4d5e6f708192"></property></properties>' +
  '<testcase name="openssl 1.1.1n-0+deb11u3"><failure>Found the following vulnerabilities:&#xA;&#x9;CVE-2022-2068&#xA;&#x9;CVE-2023-0464&#xA;&#x9;CVE-2010-0928</failure></testcase>' +
  '<testcase name="libssl1.1 1.1.1n-0+deb11u3"><failure>Found the following vulnerabilities:&#xA;&#x9;CVE-2022-2068&#xA;&#x9;CVE-2023-0464</failure></testcase>' +
  '<testcase name="bash 5.1-2+deb11u1"><failure>Found the following vulnerabilities:&#xA;&#x9;CVE-2022-3715</failure></testcase>' +
  '<testcase name="requests 2.25.1"><failure>Found the following vulnerabilities:&#xA;&#x9;GHSA-j8r2-6x86-q33q</failure></testcase>' +
  '<testcase name="com.fasterxml.jackson.core:jackson-databind 2.9.10.1"><failure>Found the following vulnerabilities:&#xA;&#x9;CVE-2020-36518</failure></testcase>' +
  '</testsuite>';

const ALPINE_SUITE =
  '<testsuite name="quay.io/example/tool@sha256:7c1b2a3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9" tests="2" errors="0" failures="1"><properties><property name="manifest" value="sha256:7c1b2a3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"></property></properties>' +
  '<testcase name="musl 1.2.3-r4"><failure>Found the following vulnerabilities:&#xA;&#x9;CVE-2025-26519</failure></testcase>' +
  '<testcase name="busybox-binsh 1.35.0-r29"></testcase>' +
  '</testsuite>';

const FAILED_SUITE =
  '<testsuite name="registry.example/missing:latest" tests="1" errors="1" failures="0"><properties><property name="manifest" value=""></property></properties>' +
  '<testcase name=""><error>GET https://registry.example/v2/missing/manifests/latest: MANIFEST_UNKNOWN: manifest unknown</error></testcase></testsuite>';

describe('xml format', () => {
  it('writes one jUnit testsuites document, as Go encodes clairctl\'s structs: no declaration, no indentation, no newline', async () => {
    assert.equal(await render('xml', [debianResult(), alpineResult(), failedResult()]), `<testsuites>${DEBIAN_SUITE}${ALPINE_SUITE}${FAILED_SUITE}</testsuites>`);
  });

  it('writes an empty document for a run without results', async () => {
    assert.equal(await render('xml', []), '<testsuites></testsuites>');
  });

  it('escapes as Go\'s EscapeString does', () => {
    assert.equal(goXmlEscape(`a"b'c&d<e>f\tg\nh\ri\u0001j\uFFFEk😀`), 'a&#34;b&#39;c&amp;d&lt;e&gt;f&#x9;g&#xA;h&#xD;i\uFFFDj\uFFFDk😀');
  });

  it('escapes names from the image in attributes', async () => {
    const result = alpineResult();
    result.report!.packages['7']!.name = 'a<b>"c"';
    const text = await render('xml', [result]);
    assert.ok(text.includes('<testcase name="a&lt;b&gt;&#34;c&#34; 1.35.0-r29"></testcase>'), text);
  });
});
