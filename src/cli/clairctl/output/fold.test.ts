import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Vulnerability } from '../../../model/vulnerability.js';
import { debianReport, DEBIAN_DIGEST, DEBIAN_IMAGE, render } from './fixtures.case.js';
import { foldAliases, identifiersOf } from './fold.js';
import { findingsOf, type ReportResult } from './report.js';

/**
 * The Debian fixture with the flaw of GHSA-j8r2-6x86-q33q reported twice for
 * `requests`, as OSV's PyPI data does: by the GHSA and by its PYSEC twin,
 * each naming the other and the CVE. A third record, for another package,
 * names the same CVE and must stay apart.
 */
function twinResult(): ReportResult {
  const report = debianReport();
  const ghsa = report.vulnerabilities['103']!;
  report.vulnerabilities['103'] = { ...ghsa, Self: { space: 'GHSA', name: 'j8r2-6x86-q33q' }, Aliases: [{ space: 'CVE', name: '2023-32681' }, { space: 'PYSEC', name: '2023-74' }] };
  report.vulnerabilities['106'] = {
    ...ghsa,
    id: '106',
    name: 'PYSEC-2023-74',
    normalized_severity: 'Medium',
    links: 'https://osv.dev/vulnerability/PYSEC-2023-74',
    Self: { space: 'PYSEC', name: '2023-74' },
    Aliases: [{ space: 'GHSA', name: 'j8r2-6x86-q33q' }],
  } satisfies Vulnerability;
  report.vulnerabilities['107'] = { ...ghsa, id: '107', name: 'GHSA-zzzz-zzzz-zzzz', Self: { space: 'GHSA', name: 'zzzz-zzzz-zzzz' }, Aliases: [{ space: 'CVE', name: '2023-32681' }] };
  report.package_vulnerabilities['20'] = ['103', '106'];
  report.package_vulnerabilities['30'] = ['104', '107'];
  return { name: DEBIAN_IMAGE, digest: DEBIAN_DIGEST, report };
}

describe('folding aliases', () => {
  it('names a vulnerability by its name, aliases and the CVEs they hold', () => {
    const v = { name: 'ELSA-2024-0001', Self: { space: 'https://access.redhat.com/security/cve/', name: 'CVE-2024-0003' }, Aliases: [{ space: 'CVE', name: '2024-0001' }, { space: '', name: 'x' }] } as Vulnerability;
    assert.deepEqual(identifiersOf(v).sort(), ['CVE-2024-0001', 'CVE-2024-0003', 'ELSA-2024-0001', 'HTTPS://ACCESS.REDHAT.COM/SECURITY/CVE/CVE-2024-0003']);
  });

  it('folds one package\'s records of one flaw, transitively, and never across packages', () => {
    const folded = foldAliases(findingsOf(twinResult()));
    const requests = folded.filter((f) => f.package.name === 'requests');
    assert.deepEqual(requests.map((f) => [f.vulnerability.name, f.alsoKnownAs]), [['GHSA-j8r2-6x86-q33q', ['CVE-2023-32681', 'PYSEC-2023-74']]]);
    const jackson = folded.filter((f) => f.packageId === '30').map((f) => f.vulnerability.name).sort();
    assert.deepEqual(jackson, ['CVE-2020-36518', 'GHSA-zzzz-zzzz-zzzz'], 'another package: nothing in common with its own records');
    assert.equal(folded.length, findingsOf(twinResult()).length - 1);
  });

  it('keeps the most severe record, then one with a fix', () => {
    const result = twinResult();
    result.report!.vulnerabilities['106']!.normalized_severity = 'High';
    const [kept] = foldAliases(findingsOf(result)).filter((f) => f.package.name === 'requests');
    assert.deepEqual([kept!.vulnerability.name, kept!.severity, kept!.alsoKnownAs], ['PYSEC-2023-74', 'High', ['CVE-2023-32681', 'GHSA-j8r2-6x86-q33q']]);
  });

  it('shows one row and one SARIF result per flaw, and leaves the JSON output whole', async () => {
    const text = await render('text', [twinResult()]);
    assert.match(text, /\n {2}requests +2\.25\.1 +GHSA-j8r2-6x86-q33q \(CVE-2023-32681, PYSEC-2023-74\) +Medium /);
    assert.doesNotMatch(text, /^ +PYSEC-2023-74/m);
    assert.match(text, /9 vulnerabilities in 5 packages/);

    const sarif = JSON.parse(await render('sarif', [twinResult()])) as { runs: Array<{ results: Array<{ ruleId: string; message: { text: string }; properties: { package: string; aliases?: string[] } }> }> };
    const results = sarif.runs[0]!.results.filter((r) => r.properties.package === 'requests');
    assert.deepEqual(results.map((r) => [r.ruleId, r.properties.aliases]), [['GHSA-j8r2-6x86-q33q', ['CVE-2023-32681', 'PYSEC-2023-74']]]);
    assert.match(results[0]!.message.text, /Also known as CVE-2023-32681, PYSEC-2023-74\.$/);

    const json = JSON.parse(await render('json', [twinResult()])) as { package_vulnerabilities: Record<string, string[]> };
    assert.deepEqual(json.package_vulnerabilities['20'], ['103', '106']);
  });
});
