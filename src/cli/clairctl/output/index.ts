/**
 * @module The output side of `clairctl report`: the formats of `-o/--out`,
 * the filters of `--severity`/`--ignore-unfixed` and the `--fail-on` gate.
 * docs/clairctl.md (Output) describes each format.
 *
 * @example
 * const out = createFormatter(parseOutputFormat(opts.out), process.stdout, { color: useColor(process.stdout) });
 * for await (const result of results) await out.write(filterResult(result, { minSeverity: 'High' }));
 * await out.close();
 */
import type { Writable } from 'node:stream';
import { clairError } from '../../../lib/errors.js';
import { CycloneDxFormatter } from './cyclonedx.js';
import { resolveOptions, type Formatter, type FormatterOptions } from './formatter.js';
import { JsonFormatter } from './json.js';
import { QuayFormatter } from './quay.js';
import { SarifFormatter } from './sarif.js';
import { SpdxFormatter } from './spdx.js';
import { TextFormatter } from './text.js';
import { XmlFormatter } from './xml.js';

export { useColor } from './color.js';
export { FAIL_ON_EXIT, failOn, filterReport, filterResult, reportExitCode, type ReportFilter } from './filter.js';
export type { Formatter, FormatterOptions } from './formatter.js';
export type { ReportResult } from './report.js';
export { parseSeverity } from './severity.js';

/** The `-o/--out` formats; the first three are Clair's own. */
export const OUTPUT_FORMATS = ['text', 'json', 'xml', 'sarif', 'cyclonedx', 'spdx', 'quay'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Checks an `-o/--out` value; throws `CLI_USAGE` naming the formats otherwise. */
export function parseOutputFormat(value: string): OutputFormat {
  const found = OUTPUT_FORMATS.find((f) => f === value.trim().toLowerCase());
  if (found === undefined) throw clairError('CLI_USAGE', `unrecognized output format "${value}": use one of ${OUTPUT_FORMATS.join(', ')}`);
  return found;
}

/** A formatter writing `format` to `out`. `close()` it when every result is written; `out` stays open. */
export function createFormatter(format: OutputFormat, out: Writable, options: FormatterOptions = {}): Formatter {
  const resolved = resolveOptions(options);
  switch (format) {
    case 'text':
      return new TextFormatter(out, resolved);
    case 'json':
      return new JsonFormatter(out, resolved);
    case 'xml':
      return new XmlFormatter(out, resolved);
    case 'sarif':
      return new SarifFormatter(out, resolved);
    case 'cyclonedx':
      return new CycloneDxFormatter(out, resolved);
    case 'spdx':
      return new SpdxFormatter(out, resolved);
    case 'quay':
      return new QuayFormatter(out, resolved);
    default:
      throw clairError('CLI_USAGE', `unrecognized output format "${String(format)}": use one of ${OUTPUT_FORMATS.join(', ')}`);
  }
}
