/**
 * @module The `text` format: a table per image, for people.
 *
 * In the spirit of Clair's text formatter (a tabwriter line per package and
 * vulnerability, `ok` for a clean image, `error` and the message for a
 * failed one), but grouped: each image gets a title (`name (digest)`), then a
 * table whose rows are grouped by package, the packages with the most severe
 * vulnerabilities first, each package's vulnerabilities by severity then
 * name, then a summary line counting findings per severity. A flaw reported
 * under several names (a GHSA and its PYSEC twin) is one row, its other
 * names in brackets (see `fold.ts`), and counts once. With colour on,
 * severities are coloured (Critical bold red, High red, Medium yellow, Low
 * cyan, Negligible and Unknown dim).
 *
 * Names and versions come from images, so control characters in them are
 * shown escaped (`\x1b`) and can never drive the terminal.
 */
import { SEVERITIES, type NormalizedSeverity } from '../../../model/vulnerability.js';
import { palette, type Palette } from './color.js';
import { SinkFormatter } from './formatter.js';
import { findingsOf, firstUrl, linksOf, manifestOf, type ReportResult } from './report.js';
import { foldAliases, type FoldedFinding as Finding } from './fold.js';
import { compareText, severityRank } from './severity.js';

const HEADINGS = ['PACKAGE', 'VERSION', 'VULNERABILITY', 'SEVERITY', 'FIXED IN', 'LINK'];
/** Columns wider than this are not padded further: one very long version does not push every row right. */
const MAX_COLUMN_WIDTH = 50;
const GAP = '  ';
const INDENT = '  ';

/** The text with control characters escaped, so it prints as it reads. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

interface Row {
  cells: string[];
  severity?: NormalizedSeverity;
}

/** Findings grouped by package: most severe package first, then by name, version and id. */
function packageGroups(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const group = groups.get(f.packageId);
    if (group) group.push(f);
    else groups.set(f.packageId, [f]);
  }
  const worst = (g: Finding[]) => Math.max(...g.map((f) => severityRank(f.severity)));
  return [...groups.values()].sort(
    (a, b) =>
      worst(b) - worst(a) ||
      compareText(a[0]!.package.name, b[0]!.package.name) ||
      compareText(a[0]!.package.version ?? '', b[0]!.package.version ?? '') ||
      compareText(a[0]!.packageId, b[0]!.packageId),
  );
}

/** The vulnerability's name, and the other names of the same flaw folded into its row. */
function vulnerabilityCell(f: Finding): string {
  const name = f.vulnerability.name || f.vulnerabilityId;
  return f.alsoKnownAs.length === 0 ? name : `${name} (${f.alsoKnownAs.join(', ')})`;
}

function rowsOf(groups: readonly Finding[][]): Row[] {
  const rows: Row[] = [];
  for (const group of groups) {
    for (const [i, f] of group.entries()) {
      const link = firstUrl(f.vulnerability) ?? linksOf(f.vulnerability)[0] ?? '';
      rows.push({
        cells: [i === 0 ? f.package.name : '', i === 0 ? (f.package.version ?? '') : '', vulnerabilityCell(f), f.severity, f.fixedIn || '-', link].map(printable),
        severity: f.severity,
      });
    }
  }
  return rows;
}

function renderTable(rows: readonly Row[], p: Palette): string[] {
  const all: Row[] = [{ cells: HEADINGS }, ...rows];
  const widths = HEADINGS.map((_, col) => Math.min(MAX_COLUMN_WIDTH, Math.max(...all.map((r) => r.cells[col]!.length))));
  return all.map((row, index) => {
    const last = row.cells.reduce((acc, cell, i) => (cell === '' ? acc : i), 0);
    let line = INDENT;
    for (let col = 0; col <= last; col++) {
      const cell = row.cells[col]!;
      const styled = index === 0 ? p.heading(cell) : col === 3 && row.severity ? p.severity(row.severity, cell) : cell;
      line += styled + (col < last ? ' '.repeat(Math.max(0, widths[col]! - cell.length)) + GAP : '');
    }
    return line;
  });
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function summary(findings: readonly Finding[], packages: number, p: Palette): string {
  const counts = [...SEVERITIES]
    .reverse()
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => p.severity(s, `${n} ${s}`));
  return `${INDENT}${plural(findings.length, 'vulnerability', 'vulnerabilities')} in ${plural(packages, 'package', 'packages')}: ${counts.join(', ')}`;
}

/** The lines for one image, without a trailing newline. */
export function renderText(result: ReportResult, p: Palette): string[] {
  const digest = result.error === undefined ? manifestOf(result) : result.digest;
  const title = p.title(printable(digest && !result.name.includes(digest) ? `${result.name} (${digest})` : result.name));
  if (result.error !== undefined) return [title, p.error(`${INDENT}error: ${printable(result.error.message)}`)];
  const findings = foldAliases(findingsOf(result));
  if (findings.length === 0) return [title, `${INDENT}no vulnerabilities found`];
  const groups = packageGroups(findings);
  return [title, ...renderTable(rowsOf(groups), p), summary(findings, groups.length, p)];
}

export class TextFormatter extends SinkFormatter {
  #count = 0;
  readonly #palette = palette(this.options.color);

  protected async writeResult(result: ReportResult): Promise<void> {
    const lines = renderText(result, this.#palette);
    // A blank line between images; each line is handed over on its own so a large table streams.
    if (this.#count++ > 0) await this.sink.write('\n');
    for (const line of lines) await this.sink.write(`${line}\n`);
  }
}
