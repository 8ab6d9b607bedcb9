/**
 * @module The `xml` format: Clair's clairctl "jUnit-compatible" output, as
 * Go's encoding/xml writes its structs. One `<testsuites>` document for the
 * whole run, with no XML declaration, no indentation and no trailing
 * newline (clairctl never writes the header and `Encode` adds none):
 *
 *     <testsuites><testsuite name="IMAGE" tests="N" errors="0" failures="F">
 *     <properties><property name="manifest" value="DIGEST"></property></properties>
 *     <testcase name="PKG VERSION"><failure>Found the following vulnerabilities:
 *     &#xA;&#x9;CVE-…</failure></testcase>…</testsuite></testsuites>
 *
 * (shown wrapped; it is one line). Every package is a test case, in the
 * report's order (Go's map order is random); one with an entry in
 * `package_vulnerabilities` is a failure listing the vulnerability names. A
 * failed image is a suite with one nameless test case holding `<error>`;
 * Clair's own formatter crashes on those (it reads the missing report's
 * hash), so here the manifest property is the resolved digest.
 *
 * Text and attributes are escaped as Go's `EscapeString` does (`"` → `&#34;`,
 * `'` → `&#39;`, tab, newline and carriage return as character references,
 * characters XML cannot hold as U+FFFD). Suites are written as results
 * arrive; only the closing tag waits for `close`.
 */
import { SinkFormatter } from './formatter.js';
import { findingsOf, manifestOf, mapOf, type ReportResult } from './report.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};

/** Go's `xml.EscapeString`: the five specials, tab/newline/CR as references, and U+FFFD for what XML 1.0 cannot hold. */
export function goXmlEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const escaped = ESCAPES[ch];
    if (escaped !== undefined) {
      out += escaped;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    const allowed = cp >= 0x20 ? (cp <= 0xd7ff || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000) : false;
    out += allowed ? ch : '\uFFFD';
  }
  return out;
}

const attr = (name: string, value: string | number) => ` ${name}="${goXmlEscape(String(value))}"`;

function suiteOpen(name: string, tests: number, errors: number, failures: number, manifest: string): string {
  return (
    `<testsuite${attr('name', name)}${attr('tests', tests)}${attr('errors', errors)}${attr('failures', failures)}>` +
    `<properties><property${attr('name', 'manifest')}${attr('value', manifest)}></property></properties>`
  );
}

export class XmlFormatter extends SinkFormatter {
  #opened = false;

  protected async writeResult(result: ReportResult): Promise<void> {
    if (result.error !== undefined) {
      await this.#open();
      await this.sink.write(
        `${suiteOpen(result.name, 1, 1, 0, result.digest)}<testcase${attr('name', '')}><error>${goXmlEscape(result.error.message)}</error></testcase></testsuite>`,
      );
      return;
    }
    // findingsOf checks every reference before anything of this suite is written.
    findingsOf(result);
    const report = result.report!;
    const packages = Object.entries(mapOf(report, 'packages'));
    const packageVulnerabilities = mapOf(report, 'package_vulnerabilities');
    const vulnerabilities = mapOf(report, 'vulnerabilities');
    const failures = packages.filter(([id]) => Object.hasOwn(packageVulnerabilities, id)).length;
    await this.#open();
    await this.sink.write(suiteOpen(result.name, packages.length, 0, failures, manifestOf(result)));
    for (const [id, pkg] of packages) {
      const name = `${pkg.name ?? ''} ${pkg.version ?? ''}`;
      const ids = Object.hasOwn(packageVulnerabilities, id) ? packageVulnerabilities[id]! : undefined;
      if (ids === undefined) {
        await this.sink.write(`<testcase${attr('name', name)}></testcase>`);
        continue;
      }
      const failure = ['Found the following vulnerabilities:', ...ids.map((v) => `\t${vulnerabilities[v]?.name ?? ''}`)].join('\n');
      await this.sink.write(`<testcase${attr('name', name)}><failure>${goXmlEscape(failure)}</failure></testcase>`);
    }
    await this.sink.write('</testsuite>');
  }

  async #open(): Promise<void> {
    if (this.#opened) return;
    this.#opened = true;
    await this.sink.write('<testsuites>');
  }

  protected override async finish(): Promise<void> {
    await this.#open();
    await this.sink.write('</testsuites>');
  }
}
