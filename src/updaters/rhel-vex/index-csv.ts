/**
 * @module Red Hat's `changes.csv` and `deletions.csv`: one
 * `"<year>/<file>.json","<RFC 3339 time>"` record per line, read from the
 * spooled file line by line (the real `changes.csv` lists every document
 * ever published).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { clairError } from '../../lib/errors.js';

/** One record of an index file. */
export interface IndexEntry {
  /** As written, e.g. `2023/cve-2023-0044.json`. */
  path: string;
  time: Date;
  /** 1-based, for error messages. */
  line: number;
}

/** Splits one CSV record (RFC 4180 quoting, `""` for a quote); `undefined` if the quoting is broken. */
export function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      field = line.slice(i, end);
      if (field.includes('"')) return undefined;
      i = end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/**
 * Reads an index file's records in order.
 *
 * @throws ClairError `CLAIR_ERR_UPDATER_PARSE` naming the file and line of a malformed record.
 */
export async function* readIndexCsv(file: string, name: string): AsyncGenerator<IndexEntry> {
  const input = createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      if (raw.trim() === '') continue;
      const fields = splitCsvLine(raw);
      if (fields === undefined || fields.length !== 2) {
        throw clairError('UPDATER_PARSE', `rhel-vex: ${name} line ${line}: expected 2 CSV fields, got ${JSON.stringify(raw.slice(0, 200))}`);
      }
      const [path, when] = fields as [string, string];
      const time = new Date(when);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(when) || Number.isNaN(time.getTime())) {
        throw clairError('UPDATER_PARSE', `rhel-vex: ${name} line ${line}: ${JSON.stringify(when)} is not an RFC 3339 time`);
      }
      yield { path, time, line };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}
