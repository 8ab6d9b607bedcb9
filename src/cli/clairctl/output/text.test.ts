import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useColor } from './color.js';
import { alpineResult, debianResult, failedResult, render } from './fixtures.case.js';
import { filterResult } from './filter.js';

describe('text format', () => {
  it('writes a table per image, grouped by package, most severe first, with a summary; a failed image as an error', async () => {
    const text = await render('text', [debianResult(), alpineResult(), failedResult()]);
    assert.equal(
      text,
      [
        'docker.io/library/app:1.0 (sha256:3f0a9a5c2ab6e84ed0b6a0d1c4c2d37d7b1a4e5b8d9e0f1a2b3c4d5e6f708192)',
        '  PACKAGE                                      VERSION           VULNERABILITY        SEVERITY    FIXED IN          LINK',
        '  libssl1.1                                    1.1.1n-0+deb11u3  CVE-2022-2068        Critical    1.1.1n-0+deb11u4  https://security-tracker.debian.org/tracker/CVE-2022-2068',
        '                                                                 CVE-2023-0464        High        -                 https://security-tracker.debian.org/tracker/CVE-2023-0464',
        '  openssl                                      1.1.1n-0+deb11u3  CVE-2022-2068        Critical    1.1.1n-0+deb11u4  https://security-tracker.debian.org/tracker/CVE-2022-2068',
        '                                                                 CVE-2023-0464        High        -                 https://security-tracker.debian.org/tracker/CVE-2023-0464',
        '                                                                 CVE-2010-0928        Negligible  -                 https://security-tracker.debian.org/tracker/CVE-2010-0928',
        '  com.fasterxml.jackson.core:jackson-databind  2.9.10.1          CVE-2020-36518       High        2.12.6.1          https://nvd.nist.gov/vuln/detail/CVE-2020-36518',
        '  requests                                     2.25.1            GHSA-j8r2-6x86-q33q  Medium      2.31.0            https://github.com/advisories/GHSA-j8r2-6x86-q33q',
        '  bash                                         5.1-2+deb11u1     CVE-2022-3715        Low         -                 https://security-tracker.debian.org/tracker/CVE-2022-3715',
        '  8 vulnerabilities in 5 packages: 2 Critical, 3 High, 1 Medium, 1 Low, 1 Negligible',
        '',
        'quay.io/example/tool@sha256:7c1b2a3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
        '  PACKAGE  VERSION   VULNERABILITY   SEVERITY  FIXED IN  LINK',
        '  musl     1.2.3-r4  CVE-2025-26519  High      1.2.3-r5  https://www.cve.org/CVERecord?id=CVE-2025-26519',
        '  1 vulnerability in 1 package: 1 High',
        '',
        'registry.example/missing:latest',
        '  error: GET https://registry.example/v2/missing/manifests/latest: MANIFEST_UNKNOWN: manifest unknown',
        '',
      ].join('\n'),
    );
  });

  it('colours severities, headings and errors when colour is on', async () => {
    const text = await render('text', [alpineResult(), failedResult()], { color: true });
    const bold = (s: string) => `\x1b[1m${s}\x1b[22m`;
    const red = (s: string) => `\x1b[31m${s}\x1b[39m`;
    assert.equal(
      text,
      [
        bold('quay.io/example/tool@sha256:7c1b2a3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9'),
        `  ${bold('PACKAGE')}  ${bold('VERSION')}   ${bold('VULNERABILITY')}   ${bold('SEVERITY')}  ${bold('FIXED IN')}  ${bold('LINK')}`,
        `  musl     1.2.3-r4  CVE-2025-26519  ${red('High')}      1.2.3-r5  https://www.cve.org/CVERecord?id=CVE-2025-26519`,
        `  1 vulnerability in 1 package: ${red('1 High')}`,
        '',
        bold('registry.example/missing:latest'),
        red('  error: GET https://registry.example/v2/missing/manifests/latest: MANIFEST_UNKNOWN: manifest unknown'),
        '',
      ].join('\n'),
    );
    const critical = await render('text', [filterResult(debianResult(), { minSeverity: 'Critical' })], { color: true });
    assert.ok(critical.includes(`\x1b[1m\x1b[31mCritical\x1b[39m\x1b[22m  1.1.1n-0+deb11u4`), critical);
  });

  it('says so when an image has no vulnerabilities', async () => {
    const text = await render('text', [filterResult(alpineResult(), { minSeverity: 'Critical' })]);
    assert.equal(text, 'quay.io/example/tool@sha256:7c1b2a3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9\n  no vulnerabilities found\n');
  });

  it('escapes control characters from the image, so a package name cannot drive the terminal', async () => {
    const result = alpineResult();
    result.report!.packages['5']!.name = 'musl\x1b[2J\x07';
    const text = await render('text', [result]);
    assert.ok(text.includes('  musl\\x1b[2J\\x07  1.2.3-r4'), text);
    assert.ok(!text.includes('\x1b'), 'no raw escape reaches the output');
  });
});

describe('useColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it('colours a terminal and not a pipe', () => {
    assert.equal(useColor(tty, {}), true);
    assert.equal(useColor(pipe, {}), false);
  });
  it('honours NO_COLOR (non-empty), TERM=dumb and FORCE_COLOR, FORCE_COLOR first', () => {
    assert.equal(useColor(tty, { NO_COLOR: '1' }), false);
    assert.equal(useColor(tty, { NO_COLOR: '' }), true);
    assert.equal(useColor(tty, { TERM: 'dumb' }), false);
    assert.equal(useColor(pipe, { FORCE_COLOR: '1' }), true);
    assert.equal(useColor(pipe, { FORCE_COLOR: '' }), true);
    assert.equal(useColor(tty, { FORCE_COLOR: '0' }), false);
    assert.equal(useColor(tty, { FORCE_COLOR: 'false' }), false);
    assert.equal(useColor(pipe, { FORCE_COLOR: '3', NO_COLOR: '1' }), true);
  });
});
