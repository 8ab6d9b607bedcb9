import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { alpineResult, debianResult, DEBIAN_DIGEST, DEBIAN_IMAGE, failedResult, render } from './fixtures.case.js';
import { fingerprint, FINGERPRINT_KEY } from './sarif.js';
import { sarifValidator } from './schemas.case.js';

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; properties: Record<string, unknown>; defaultConfiguration: { level: string }; helpUri?: string }[] } };
    results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; partialFingerprints: Record<string, string>; properties: Record<string, string> }[];
    invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { level: string; message: { text: string } }[] }[];
  }[];
}

describe('sarif format', () => {
  const validate = sarifValidator();

  it('writes one valid SARIF 2.1.0 log with one run for several images', async () => {
    const log = JSON.parse(await render('sarif', [debianResult(), alpineResult(), failedResult()])) as SarifLog;
    assert.deepEqual(validate(log), []);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const [run] = log.runs;
    assert.equal(run!.tool.driver.name, 'clairctl');
    assert.equal(run!.tool.driver.version, '0.1.0');
    assert.deepEqual(
      run!.tool.driver.rules.map((r) => [r.id, r.properties['security-severity'], r.defaultConfiguration.level]),
      [
        ['CVE-2022-2068', '9.5', 'error'],
        ['CVE-2020-36518', '8.0', 'error'],
        ['CVE-2023-0464', '8.0', 'error'],
        ['GHSA-j8r2-6x86-q33q', '5.5', 'warning'],
        ['CVE-2022-3715', '2.0', 'note'],
        ['CVE-2010-0928', '1.0', 'note'],
        ['CVE-2025-26519', '8.0', 'error'],
      ],
    );
    assert.deepEqual(run!.tool.driver.rules[0]!.properties.tags, ['security', 'vulnerability', 'critical']);
    assert.equal(run!.tool.driver.rules[0]!.helpUri, 'https://security-tracker.debian.org/tracker/CVE-2022-2068');
    assert.deepEqual(
      run!.results.map((r) => [r.ruleId, r.ruleIndex, r.level, r.properties.package]),
      [
        ['CVE-2022-2068', 0, 'error', 'libssl1.1'],
        ['CVE-2022-2068', 0, 'error', 'openssl'],
        ['CVE-2020-36518', 1, 'error', 'com.fasterxml.jackson.core:jackson-databind'],
        ['CVE-2023-0464', 2, 'error', 'libssl1.1'],
        ['CVE-2023-0464', 2, 'error', 'openssl'],
        ['GHSA-j8r2-6x86-q33q', 3, 'warning', 'requests'],
        ['CVE-2022-3715', 4, 'note', 'bash'],
        ['CVE-2010-0928', 5, 'note', 'openssl'],
        ['CVE-2025-26519', 6, 'error', 'musl'],
      ],
    );
    assert.deepEqual(run!.invocations, [
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: 'error', message: { text: 'registry.example/missing:latest: GET https://registry.example/v2/missing/manifests/latest: MANIFEST_UNKNOWN: manifest unknown' }, properties: { image: 'registry.example/missing:latest' } },
        ],
      },
    ]);
  });

  it('names image, package, version and fix in each result, located at the package path when the image gives one', async () => {
    const log = JSON.parse(await render('sarif', [debianResult()])) as SarifLog;
    const requests = log.runs[0]!.results.find((r) => r.ruleId === 'GHSA-j8r2-6x86-q33q')!;
    assert.deepEqual(requests, {
      ruleId: 'GHSA-j8r2-6x86-q33q',
      ruleIndex: 3,
      level: 'warning',
      message: { text: 'Package requests 2.25.1 in docker.io/library/app:1.0 is affected by GHSA-j8r2-6x86-q33q (Medium). Fixed in 2.31.0.' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'usr/lib/python3/dist-packages' }, region: { startLine: 1 } } }],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(DEBIAN_IMAGE, 'requests', 'GHSA-j8r2-6x86-q33q') },
      properties: {
        image: DEBIAN_IMAGE,
        manifest: DEBIAN_DIGEST,
        package: 'requests',
        version: '2.25.1',
        fixedVersion: '2.31.0',
        packageDb: 'python:usr/lib/python3/dist-packages',
        layer: 'sha256:2222222222222222222222222222222222222222222222222222222222222222',
        updater: 'osv/pypi',
      },
    });
    const bash = log.runs[0]!.results.find((r) => r.ruleId === 'CVE-2022-3715')!;
    assert.equal(bash.message.text, 'Package bash 5.1-2+deb11u1 in docker.io/library/app:1.0 is affected by CVE-2022-3715 (Low). No fixed version is known.');
    assert.equal(bash.locations[0]!.physicalLocation.artifactLocation.uri, 'docker.io/library/app:1.0');
    assert.equal(log.runs[0]!.invocations[0]!.executionSuccessful, true);
    assert.equal(log.runs[0]!.invocations[0]!.toolExecutionNotifications, undefined);
  });

  it('keeps a finding\'s fingerprint across tags of the image and tells packages apart', () => {
    assert.equal(fingerprint('docker.io/library/app:1.0', 'openssl', 'CVE-1'), fingerprint('docker.io/library/app:2.0', 'openssl', 'CVE-1'));
    assert.equal(fingerprint('docker.io/library/app@sha256:aa', 'openssl', 'CVE-1'), fingerprint('docker.io/library/app', 'openssl', 'CVE-1'));
    assert.notEqual(fingerprint('docker.io/library/app:1.0', 'openssl', 'CVE-1'), fingerprint('docker.io/library/app:1.0', 'libssl1.1', 'CVE-1'));
    assert.match(fingerprint('a', 'b', 'c'), /^[0-9a-f]{64}$/);
  });

  it('writes a valid empty log for a run without findings', async () => {
    const text = await render('sarif', []);
    const log = JSON.parse(text) as SarifLog;
    assert.deepEqual(validate(log), []);
    assert.deepEqual(log.runs[0]!.results, []);
    assert.deepEqual(log.runs[0]!.tool.driver.rules, []);
  });

  it('is checked by a validator that rejects a broken log', () => {
    assert.notDeepEqual(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), []);
  });
});
