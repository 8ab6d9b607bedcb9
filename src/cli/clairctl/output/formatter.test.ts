import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { isClairError } from '../../../lib/errors.js';
import type { VulnerabilityReport } from '../../../model/vulnerability.js';
import { alpineResult, Collector, debianReport, FIXED_NOW, render, sequentialUuids } from './fixtures.case.js';
import { createFormatter, OUTPUT_FORMATS, parseOutputFormat, type OutputFormat } from './index.js';
import type { ReportResult } from './report.js';
import { CHUNK_BYTES } from './sink.js';

const isError = (name: Parameters<typeof isClairError>[1], message?: RegExp) => (err: unknown) => isClairError(err, name) && (message === undefined || message.test(err.message));

/** A report with `n` packages, each with one vulnerability. */
function largeReport(n: number): VulnerabilityReport {
  const report = debianReport();
  report.packages = {};
  report.vulnerabilities = {};
  report.package_vulnerabilities = {};
  report.environments = {};
  const template = debianReport().vulnerabilities['100']!;
  for (let i = 0; i < n; i++) {
    report.packages[`${i}`] = { id: `${i}`, name: `pkg-${i}`, version: `1.${i}`, kind: 'binary', normalized_version: '', cpe: '' };
    report.environments[`${i}`] = [{ package_db: 'var/lib/dpkg/status', introduced_in: 'sha256:00', distribution_id: '1', repository_ids: null }];
    report.vulnerabilities[`v${i}`] = { ...template, id: `v${i}`, name: `CVE-2024-${10000 + i}` };
    report.package_vulnerabilities[`${i}`] = [`v${i}`];
  }
  return report;
}

describe('formatters', () => {
  it('accept the formats by name and refuse others with the list', () => {
    assert.equal(parseOutputFormat('SARIF'), 'sarif');
    assert.throws(() => parseOutputFormat('yaml'), isError('CLI_USAGE', /^unrecognized output format "yaml": use one of text, json, xml, sarif, cyclonedx, spdx, quay$/));
    assert.throws(() => createFormatter('yaml' as OutputFormat, new Collector()), isError('CLI_USAGE'));
  });

  for (const format of OUTPUT_FORMATS) {
    it(`${format}: a malformed report fails its own write with REPORT_INVALID, writes nothing of it, and later results still go out`, async () => {
      const dangling: ReportResult = { name: 'bad:1', digest: 'sha256:0', report: { ...debianReport(), package_vulnerabilities: { '10': ['999'] } } };
      const wrongType: ReportResult = { name: 'bad:2', digest: 'sha256:0', report: { ...debianReport(), packages: [] as unknown as VulnerabilityReport['packages'] } };
      const empty: ReportResult = { name: 'bad:3', digest: 'sha256:0' };
      const out = new Collector();
      const formatter = createFormatter(format, out, { toolVersion: '0.1.0', now: FIXED_NOW, randomUUID: sequentialUuids() });
      await assert.rejects(formatter.write(dangling), isError('REPORT_INVALID', /^report of bad:1: package_vulnerabilities names vulnerability "999", which "vulnerabilities" does not hold$/));
      await assert.rejects(formatter.write(wrongType), isError('REPORT_INVALID', /^report of bad:2: "packages" is not an object$/));
      await assert.rejects(formatter.write(empty), isError('REPORT_INVALID', /^report of bad:3: the result carries neither a report nor an error$/));
      await formatter.write(alpineResult());
      await formatter.close();
      out.end();
      await finished(out);
      assert.ok(!out.text.includes('bad:'), out.text);
      assert.equal(out.text, await render(format, [alpineResult()]));
    });
  }

  it('refuse a write after close, and close twice without harm', async () => {
    const out = new Collector();
    const formatter = createFormatter('xml', out);
    await formatter.close();
    await formatter.close();
    await assert.rejects(formatter.write(alpineResult()), isError('OUTPUT_WRITE', /written after the output was closed/));
    out.end();
    await finished(out);
    assert.equal(out.text, '<testsuites></testsuites>');
  });

  it('run writes in order even when not awaited one by one', async () => {
    const out = new Collector();
    const formatter = createFormatter('json', out);
    const a = alpineResult();
    const b: ReportResult = { ...alpineResult(), name: 'second' };
    b.report!.manifest_hash = 'sha256:second';
    await Promise.all([formatter.write(a), formatter.write(b), formatter.close()]);
    out.end();
    await finished(out);
    assert.ok(out.text.indexOf('"sha256:second"') > out.text.indexOf(a.report!.manifest_hash));
  });

  it('stream a large report in bounded chunks, honouring backpressure', async () => {
    const report = largeReport(5000);
    const out = new Collector({ highWaterMark: 1024 });
    let waited = 0;
    const write = out.write.bind(out);
    out.write = ((chunk: string) => {
      const ok = write(chunk);
      if (!ok) waited++;
      return ok;
    }) as typeof out.write;
    const formatter = createFormatter('json', out);
    await formatter.write({ name: 'big', digest: report.manifest_hash, report });
    await formatter.close();
    out.end();
    await finished(out);
    assert.deepEqual(JSON.parse(out.text), report);
    assert.ok(out.chunks.length > 10, `${out.chunks.length} chunks`);
    assert.ok(Math.max(...out.chunks.map((c) => c.length)) < CHUNK_BYTES + 4096, 'no chunk is much larger than the sink\'s chunk size');
    assert.ok(waited > 0, 'the sink met backpressure');
  });

  it('turn a failing stream (a closed pipe) into OUTPUT_WRITE errors', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const formatter = createFormatter('text', broken);
    await formatter.write(alpineResult()).catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    await assert.rejects(formatter.write(alpineResult()), isError('OUTPUT_WRITE', /^output: write failed: write EPIPE$/));
    await assert.rejects(formatter.close(), isError('OUTPUT_WRITE'));
  });

  it('do not hang on a stream that is destroyed while they wait for it to drain', async () => {
    const stuck = new Writable({ highWaterMark: 1, write() {} });
    const formatter = createFormatter('json', stuck);
    const pending = formatter.write({ name: 'big', digest: 'sha256:0', report: largeReport(2000) });
    setImmediate(() => stuck.destroy());
    await assert.rejects(pending, isError('OUTPUT_WRITE'));
  });
});
