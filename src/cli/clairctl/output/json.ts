/**
 * @module The `json` format: each report exactly as Clair's clairctl writes
 * it. Its jsonformatter hands every result's report to the ugorji codec, so
 * the output is one compact JSON document per image, written back to back
 * with no separator and no trailing newline (`{…}{…}`), fields in
 * claircore's order and `<`, `>`, `&` escaped as `\u003c`-style sequences.
 * A failed image has no report and is written as `null`, as Go encodes a
 * nil pointer; the error itself is for the command to print on stderr.
 *
 * Tools that read concatenated JSON (`jq`, `JSON.parse` per document with a
 * streaming parser) read it as a sequence of documents.
 */
import { checkedReport, findingsOf, type ReportResult } from './report.js';
import { SinkFormatter } from './formatter.js';
import { writeGoReport } from './json-writer.js';

export class JsonFormatter extends SinkFormatter {
  protected async writeResult(result: ReportResult): Promise<void> {
    if (result.error !== undefined) {
      await this.sink.write('null');
      return;
    }
    // Checked first, as every format checks, so a report with dangling references is an error rather than output.
    findingsOf(result);
    await writeGoReport(this.sink, checkedReport(result));
  }
}
