import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { VulnerabilityReport } from '../../../model/vulnerability.js';
import { alpineReport, alpineResult, debianReport, debianResult, failedResult, render } from './fixtures.case.js';
import { filterResult } from './filter.js';

describe('json format', () => {
  it('writes a report compactly, in claircore field order, escaped as Go escapes', async () => {
    // Keys deliberately out of order, and a report missing maps.
    const report = {
      vulnerabilities: {
        '7': {
          id: '7', updater: 'u', name: 'CVE-1', description: 'a <b> & c\u2028', issued: '0001-01-01T00:00:00Z', links: '', severity: 'High', normalized_severity: 'High',
          package: { id: '', name: 'p', version: '', normalized_version: '', cpe: '' }, distribution: { id: '', did: '', name: '', version: '', version_code_name: '', version_id: '', arch: '', cpe: '', pretty_name: '' },
          repository: { cpe: '' }, fixed_in_version: '2',
        },
      },
      package_vulnerabilities: { '1': ['7'] },
      packages: { '1': { id: '1', name: 'p', version: '1', normalized_version: '', cpe: '' } },
      manifest_hash: 'sha256:abc',
    } as unknown as VulnerabilityReport;
    const text = await render('json', [{ name: 'img', digest: 'sha256:abc', report }]);
    assert.equal(
      text,
      '{"manifest_hash":"sha256:abc","packages":{"1":{"id":"1","name":"p","version":"1","normalized_version":"","cpe":""}},' +
        '"distributions":null,"repository":null,"environments":null,' +
        '"vulnerabilities":{"7":{"id":"7","updater":"u","name":"CVE-1","description":"a \\u003cb\\u003e \\u0026 c\\u2028","issued":"0001-01-01T00:00:00Z","links":"","severity":"High","normalized_severity":"High",' +
        '"package":{"id":"","name":"p","version":"","normalized_version":"","cpe":""},"distribution":{"id":"","did":"","name":"","version":"","version_code_name":"","version_id":"","arch":"","cpe":"","pretty_name":""},' +
        '"repository":{"cpe":""},"fixed_in_version":"2"}},"package_vulnerabilities":{"1":["7"]},"enrichments":null}',
    );
  });

  it('writes documents back to back with no separator, and a failed image as null, as clairctl does', async () => {
    const text = await render('json', [debianResult(), alpineResult(), failedResult()]);
    const second = text.indexOf('}{"manifest_hash":"sha256:7c1b');
    assert.ok(second > 0);
    assert.ok(text.endsWith('}null'));
    assert.ok(text.startsWith('{"manifest_hash":"sha256:3f0a9a5c2ab6e84ed0b6a0d1c4c2d37d7b1a4e5b8d9e0f1a2b3c4d5e6f708192","packages":{"10":{"id":"10","name":"openssl","version":"1.1.1n-0+deb11u3","kind":"binary","source":{"id":"9"'));
    assert.ok(text.includes('leaked to destination servers when redirected to an HTTPS endpoint: \\u003cproxy\\u003e \\u0026 \\"auth\\".'));
    assert.deepEqual(JSON.parse(text.slice(0, second + 1)), debianReport());
    assert.deepEqual(JSON.parse(text.slice(second + 1, -'null'.length)), alpineReport());
  });

  it('writes the filtered report', async () => {
    const text = await render('json', [filterResult(debianResult(), { minSeverity: 'High', ignoreUnfixed: true })]);
    const parsed = JSON.parse(text) as VulnerabilityReport;
    assert.deepEqual(Object.keys(parsed.vulnerabilities), ['100', '104']);
    assert.deepEqual(parsed.package_vulnerabilities, { '10': ['100'], '12': ['100'], '30': ['104'] });
  });
});
