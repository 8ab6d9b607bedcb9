/**
 * @module The `sarif` format: SARIF 2.1.0 for GitHub code scanning and
 * other SARIF readers.
 *
 * One log with one run for the whole command (GitHub no longer accepts
 * several runs of one tool and category in an upload), tool `clairctl`:
 * - a rule per vulnerability name (CVE-…, GHSA-…), shared by every package
 *   and image it affects; its `security-severity` comes from the most severe
 *   record of that name, mapped as Trivy does (Critical 9.5, High 8.0,
 *   Medium 5.5, Low 2.0; Negligible 1.0 and Unknown 0.0 added here), with
 *   `helpUri` the first http(s) link and the tags `security` and
 *   `vulnerability` GitHub looks for;
 * - a result per (image, package, flaw), level `error` for
 *   Critical and High, `warning` for Medium, `note` below, its message naming
 *   image, package, version and fixed version; its location is the package's
 *   path in the image when the report gives one (language packages: the
 *   site-packages directory, the jar, the Go binary), else the image name;
 *   `partialFingerprints["clairctlFinding/v1"]` hashes image repository (tag
 *   left out, so an alert survives a new tag), package name and
 *   vulnerability name; a flaw reported under several names (a GHSA and
 *   its PYSEC twin, see `fold.ts`) is one result of the kept record's rule,
 *   its other names in the message and in `properties.aliases`;
 * - a failed image as an error notification of the invocation, which is
 *   then not `executionSuccessful`.
 *
 * Results are written as they come (the run's `results` come before its
 * `tool`, which can only be complete at the end), so memory holds the rules,
 * not the results.
 */
import { createHash } from 'node:crypto';
import type { NormalizedSeverity } from '../../../model/vulnerability.js';
import { SinkFormatter } from './formatter.js';
import { indentedJson } from './json-writer.js';
import { languagePackagePath, packageContext, splitImageReference } from './purl.js';
import { findingsOf, firstUrl, linksOf, manifestOf, type ReportResult } from './report.js';
import { foldAliases, type FoldedFinding as Finding } from './fold.js';
import { severityRank } from './severity.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const FINGERPRINT_KEY = 'clairctlFinding/v1';

/** GitHub's `security-severity` by normalized severity. */
export const SECURITY_SEVERITY: Readonly<Record<NormalizedSeverity, string>> = {
  Critical: '9.5',
  High: '8.0',
  Medium: '5.5',
  Low: '2.0',
  Negligible: '1.0',
  Unknown: '0.0',
};

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: NormalizedSeverity): SarifLevel {
  return severity === 'Critical' || severity === 'High' ? 'error' : severity === 'Medium' ? 'warning' : 'note';
}

interface RuleState {
  index: number;
  id: string;
  severity: NormalizedSeverity;
  description: string;
  links: string[];
  helpUri: string | undefined;
}

/** The first sentence of a description, at most 100 characters. */
function headline(description: string): string {
  const first = description.trim().split(/\n|(?<=\.)\s/, 1)[0] ?? '';
  return first.length > 100 ? `${first.slice(0, 99)}…` : first;
}

function ruleOf(rule: RuleState): object {
  const title = headline(rule.description);
  const help = [`${rule.id} (${rule.severity})`, ...(rule.description ? ['', rule.description] : []), ...(rule.links.length > 0 ? ['', ...rule.links] : [])];
  const markdown = [`**${rule.id}** (${rule.severity})`, ...(rule.description ? ['', rule.description] : []), ...(rule.links.length > 0 ? ['', ...rule.links.map((l) => `- <${l}>`)] : [])];
  return {
    id: rule.id,
    shortDescription: { text: title ? `${rule.id}: ${title}` : `${rule.id} (${rule.severity})` },
    fullDescription: { text: rule.description || rule.id },
    ...(rule.helpUri === undefined ? {} : { helpUri: rule.helpUri }),
    help: { text: help.join('\n'), markdown: markdown.join('\n') },
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: 'very-high',
      tags: ['security', 'vulnerability', rule.severity.toLowerCase()],
    },
  };
}

export function fingerprint(image: string, packageName: string, vulnerabilityName: string): string {
  return createHash('sha256').update(`${splitImageReference(image).repository}\0${packageName}\0${vulnerabilityName}`).digest('hex');
}

export class SarifFormatter extends SinkFormatter {
  readonly #rules = new Map<string, RuleState>();
  readonly #failures: { image: string; message: string }[] = [];
  #opened = false;
  #results = 0;

  protected async writeResult(result: ReportResult): Promise<void> {
    if (result.error !== undefined) {
      this.#failures.push({ image: result.name, message: result.error.message });
      return;
    }
    const findings = foldAliases(findingsOf(result));
    await this.#open();
    for (const finding of findings) {
      const sarifResult = this.#resultOf(result, finding);
      await this.sink.write(`${this.#results++ === 0 ? '' : ','}\n        ${indentedJson(sarifResult, 4)}`);
    }
  }

  #ruleFor(finding: Finding): RuleState {
    const v = finding.vulnerability;
    const id = v.name || `clair-${finding.vulnerabilityId}`;
    let rule = this.#rules.get(id);
    if (rule === undefined) {
      rule = { index: this.#rules.size, id, severity: finding.severity, description: v.description ?? '', links: linksOf(v), helpUri: firstUrl(v) };
      this.#rules.set(id, rule);
    } else if (severityRank(finding.severity) > severityRank(rule.severity)) {
      rule.severity = finding.severity;
    }
    if (rule.description === '' && v.description) rule.description = v.description;
    if (rule.helpUri === undefined) rule.helpUri = firstUrl(v);
    return rule;
  }

  #resultOf(result: ReportResult, finding: Finding): object {
    const rule = this.#ruleFor(finding);
    const pkg = finding.package;
    const context = packageContext(result.report!, finding.packageId);
    const path = languagePackagePath(context);
    const version = pkg.version ?? '';
    const fix = finding.fixedIn ? `Fixed in ${finding.fixedIn}.` : 'No fixed version is known.';
    const aka = finding.alsoKnownAs.length === 0 ? '' : ` Also known as ${finding.alsoKnownAs.join(', ')}.`;
    return {
      ruleId: rule.id,
      ruleIndex: rule.index,
      level: sarifLevel(finding.severity),
      message: { text: `Package ${pkg.name} ${version} in ${result.name} is affected by ${rule.id} (${finding.severity}). ${fix}${aka}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(path ?? result.name) }, region: { startLine: 1 } } }],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(result.name, pkg.name, rule.id) },
      properties: {
        image: result.name,
        manifest: manifestOf(result),
        package: pkg.name,
        version,
        fixedVersion: finding.fixedIn,
        ...(context.packageDb ? { packageDb: context.packageDb } : {}),
        ...(context.layer ? { layer: context.layer } : {}),
        updater: finding.vulnerability.updater ?? '',
        ...(finding.alsoKnownAs.length === 0 ? {} : { aliases: finding.alsoKnownAs }),
      },
    };
  }

  async #open(): Promise<void> {
    if (this.#opened) return;
    this.#opened = true;
    await this.sink.write(`{\n  "$schema": ${JSON.stringify(SARIF_SCHEMA)},\n  "version": "2.1.0",\n  "runs": [\n    {\n      "results": [`);
  }

  protected override async afterResult(): Promise<void> {
    // The log is one document; flushing per image would only fragment it.
  }

  protected override async finish(): Promise<void> {
    await this.#open();
    const tool = { driver: { name: 'clairctl', version: this.options.toolVersion, rules: [...this.#rules.values()].map(ruleOf) } };
    const invocation = {
      executionSuccessful: this.#failures.length === 0,
      ...(this.#failures.length === 0
        ? {}
        : { toolExecutionNotifications: this.#failures.map((f) => ({ level: 'error', message: { text: `${f.image}: ${f.message}` }, properties: { image: f.image } })) }),
    };
    await this.sink.write(
      `${this.#results === 0 ? ']' : '\n      ]'},\n      "tool": ${indentedJson(tool, 3)},\n      "invocations": ${indentedJson([invocation], 3)}\n    }\n  ]\n}\n`,
    );
  }
}
