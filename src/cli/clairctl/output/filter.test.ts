import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isClairError } from '../../../lib/errors.js';
import { alpineResult, debianReport, debianResult, failedResult } from './fixtures.case.js';
import { FAIL_ON_EXIT, failOn, filterReport, filterResult, reportExitCode } from './filter.js';
import { fixedVersion, parseSeverity } from './severity.js';

describe('report filters', () => {
  it('keeps vulnerabilities at or above the minimum severity, and their package entries only', () => {
    const report = debianReport();
    const high = filterReport(report, { minSeverity: 'High' });
    assert.deepEqual(Object.keys(high.vulnerabilities), ['100', '101', '104']);
    assert.deepEqual(high.package_vulnerabilities, { '10': ['100', '101'], '12': ['100', '101'], '30': ['104'] });
    assert.deepEqual(high.packages, report.packages, 'packages are left as they are');
    assert.deepEqual(high.enrichments, report.enrichments);
    assert.deepEqual(Object.keys(high), Object.keys(report), 'key order is kept');
    assert.deepEqual(report, debianReport(), 'the input is not changed');
  });

  it('drops vulnerabilities without a fixed version, reading OSV range strings', () => {
    const unfixed = filterReport(debianReport(), { ignoreUnfixed: true });
    assert.deepEqual(Object.keys(unfixed.vulnerabilities), ['100', '103', '104']);
    assert.deepEqual(unfixed.package_vulnerabilities, { '10': ['100'], '12': ['100'], '20': ['103'], '30': ['104'] });
  });

  it('combines both filters, and returns the report itself when nothing is filtered', () => {
    const both = filterReport(debianReport(), { minSeverity: 'Medium', ignoreUnfixed: true });
    assert.deepEqual(both.package_vulnerabilities, { '10': ['100'], '12': ['100'], '20': ['103'], '30': ['104'] });
    const report = debianReport();
    assert.equal(filterReport(report, {}), report);
    assert.equal(filterReport(report, { minSeverity: 'Unknown', ignoreUnfixed: false }), report);
  });

  it('passes failed results through', () => {
    const failed = failedResult();
    assert.equal(filterResult(failed, { minSeverity: 'High' }), failed);
  });

  it('reads the fixed version of plain and OSV range strings', () => {
    assert.equal(fixedVersion({ fixed_in_version: '1.2-3' }), '1.2-3');
    assert.equal(fixedVersion({ fixed_in_version: '' }), '');
    assert.equal(fixedVersion({ fixed_in_version: 'introduced=0&fixed=2.31.0' }), '2.31.0');
    assert.equal(fixedVersion({ fixed_in_version: 'lastAffected=1.5' }), '');
    assert.equal(fixedVersion({ fixed_in_version: 'introduced=1.0' }), '');
    assert.equal(fixedVersion({ fixed_in_version: 'a=b' }), 'a=b', 'a string that is no range query is a version');
  });

  it('parses severities in any case and refuses unknown ones with the allowed list', () => {
    assert.equal(parseSeverity('high'), 'High');
    assert.equal(parseSeverity(' CRITICAL '), 'Critical');
    assert.throws(
      () => parseSeverity('severe'),
      (err: unknown) => isClairError(err, 'CLI_USAGE') && err.message === 'unknown severity "severe": use one of Unknown, Negligible, Low, Medium, High, Critical',
    );
  });
});

describe('failOn', () => {
  it('is true when any image still has a finding at or above the severity', () => {
    const results = [debianResult(), alpineResult(), failedResult()];
    assert.equal(failOn(results, 'Critical'), true);
    assert.equal(failOn([alpineResult()], 'High'), true);
    assert.equal(failOn([alpineResult()], 'Critical'), false);
    assert.equal(failOn([filterResult(debianResult(), { ignoreUnfixed: true, minSeverity: 'High' })], 'Critical'), true);
    assert.equal(failOn([filterResult(debianResult(), { minSeverity: 'Critical' })], 'Low'), true);
    assert.equal(failOn([filterResult(alpineResult(), { minSeverity: 'Critical' })], 'Unknown'), false);
    assert.equal(failOn([failedResult()], 'Unknown'), false);
  });

  it('gives the exit code: 1 for a failed image, 3 for findings at or above --fail-on, else 0', () => {
    assert.equal(FAIL_ON_EXIT, 3);
    assert.equal(reportExitCode([alpineResult()]), 0);
    assert.equal(reportExitCode([alpineResult()], 'High'), 3);
    assert.equal(reportExitCode([alpineResult()], 'Critical'), 0);
    assert.equal(reportExitCode([alpineResult(), failedResult()], 'High'), 1);
    assert.equal(reportExitCode([failedResult()]), 1);
  });
});
