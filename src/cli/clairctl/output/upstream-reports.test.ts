/**
 * Every format on claircore's real index reports (from `../shared/spec/upstream`,
 * skipped when absent), turned into vulnerability reports by giving every
 * third package a vulnerability: the SBOM and SARIF documents must satisfy
 * their published schemas and account for every package.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEVERITIES, type Vulnerability, type VulnerabilityReport } from '../../../model/vulnerability.js';
import { render } from './fixtures.case.js';
import type { ReportResult } from './report.js';
import { cycloneDxValidator, sarifValidator, spdxValidator } from './schemas.case.js';

const REPORTS = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', '..', '..', 'shared', 'spec', 'upstream', 'claircore-reports');
const skip = existsSync(REPORTS) ? false : `shared spec absent: ${REPORTS} (real-report tests skipped)`;

function vulnerabilityReport(file: string): VulnerabilityReport {
  const index = JSON.parse(readFileSync(join(REPORTS, file), 'utf8')) as VulnerabilityReport & { state?: string; success?: boolean; err?: string };
  const { state: _state, success: _success, err: _err, ...rest } = index;
  const vulnerabilities: Record<string, Vulnerability> = {};
  const packageVulnerabilities: Record<string, string[]> = {};
  Object.entries(rest.packages).forEach(([id, pkg], i) => {
    if (i % 3 !== 0) return;
    const vid = `v${id}`;
    vulnerabilities[vid] = {
      id: vid,
      updater: 'test',
      name: `CVE-2024-${1000 + i}`,
      description: `A flaw in ${pkg.name}.`,
      issued: '2024-01-02T03:04:05Z',
      links: `https://example.com/CVE-2024-${1000 + i}`,
      severity: 'x',
      normalized_severity: SEVERITIES[i % SEVERITIES.length]!,
      package: { id: '', name: pkg.name, version: '', normalized_version: '', cpe: '' },
      distribution: { id: '', did: '', name: '', version: '', version_code_name: '', version_id: '', arch: '', cpe: '', pretty_name: '' },
      repository: { cpe: '' },
      fixed_in_version: i % 2 === 0 ? `${pkg.version}+fix` : '',
    };
    packageVulnerabilities[id] = [vid];
  });
  return { ...rest, vulnerabilities, package_vulnerabilities: packageVulnerabilities, enrichments: {} };
}

describe('formats on claircore\'s real reports', { skip }, () => {
  const files = skip ? [] : ['debian-10.index.json', 'buster-jackson-databind.index.json'];
  const results = (): ReportResult[] =>
    files.map((file) => {
      const report = vulnerabilityReport(file);
      return { name: `example.com/${file.replace('.index.json', '')}:latest`, digest: report.manifest_hash, report };
    });

  it('satisfy the SARIF, CycloneDX and SPDX schemas and account for every package', async (t) => {
    const rs = results();
    const packages = rs.map((r) => Object.keys(r.report!.packages).length);
    const findings = rs.map((r) => Object.keys(r.report!.package_vulnerabilities).length);

    const sarif = JSON.parse(await render('sarif', rs)) as { runs: { results: unknown[] }[] };
    assert.deepEqual(sarifValidator()(sarif), []);
    assert.equal(sarif.runs[0]!.results.length, findings[0]! + findings[1]!);

    const boms = (await render('cyclonedx', rs)).split(/\n(?=\{)/).map((d) => JSON.parse(d) as { components: { type: string; purl?: string }[]; vulnerabilities: unknown[] });
    const validateBom = cycloneDxValidator();
    boms.forEach((bom, i) => {
      assert.deepEqual(validateBom(bom), []);
      assert.equal(bom.components.filter((c) => c.type === 'library').length, packages[i]);
      assert.equal(bom.vulnerabilities.length, findings[i]);
      assert.ok(bom.components.filter((c) => c.type === 'library').every((c) => c.purl?.startsWith('pkg:deb/debian/') || c.purl?.startsWith('pkg:maven/')), 'Debian and Java packages get their purl types');
    });

    const docs = (await render('spdx', rs)).split(/\n(?=\{)/).map((d) => JSON.parse(d) as { packages: unknown[] });
    docs.forEach((doc, i) => assert.equal(doc.packages.length, 1 + 1 + packages[i]!, 'the image, the distribution and every package'));
    const validateSpdx = spdxValidator();
    if (typeof validateSpdx === 'string') t.diagnostic(validateSpdx);
    else for (const doc of docs) assert.deepEqual(validateSpdx(doc), []);
  });

  it('write every package as an xml test case and a text row per finding', async () => {
    const rs = results();
    const xml = await render('xml', rs);
    const cases = xml.match(/<testcase /g)?.length;
    assert.equal(cases, rs.reduce((n, r) => n + Object.keys(r.report!.packages).length, 0));
    const text = await render('text', rs);
    for (const r of rs) assert.ok(text.includes(`${Object.keys(r.report!.package_vulnerabilities).length} vulnerabilities in ${Object.keys(r.report!.package_vulnerabilities).length} packages`));
    const json = await render('json', rs);
    assert.ok(json.startsWith('{"manifest_hash":"sha256:'));
    const quay = (await render('quay', rs)).split(/\n(?=\{)/).map((d) => JSON.parse(d) as { data: { Layer: { Features: unknown[] } } });
    quay.forEach((doc, i) => assert.equal(doc.data.Layer.Features.length, Object.keys(rs[i]!.report!.packages).length));
  });
});
