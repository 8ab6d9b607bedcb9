/**
 * @module FIRST's EPSS score file, read as a stream
 * (`epss_scores-YYYY-MM-DD.csv.gz`):
 *
 * ```
 * #model_version:v2023.03.01,score_date:2024-10-25T00:00:00+0000
 * cve,epss,percentile
 * CVE-1999-0005,0.91963,0.99030
 * ```
 *
 * As claircore reads it (`enricher/epss`): the first line must carry both
 * `model_version` and `score_date`, the second must be exactly that header,
 * and every later line three fields. A row whose score or percentile is not
 * a number is skipped and counted, as upstream; anything else malformed
 * fails the whole file. Each row becomes one record tagged with its CVE:
 * `{"modelVersion","date","cve","epss","percentile"}` (claircore's
 * `EPSSItem`, in its field order).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { clairError, isClairError } from '../../lib/errors.js';
import type { EnrichmentRecord } from '../../model/enrichment.js';

/** claircore's `EPSSItem`. */
export interface EpssItem {
  modelVersion: string;
  date: string;
  cve: string;
  epss: number;
  percentile: number;
}

export interface EpssTally {
  written: number;
  /** Rows skipped for a score or percentile that is not a number. */
  invalid: number;
  invalidExample?: string;
}

/** `model_version` and `score_date` from the first line; a string names the problem. */
export function parseEpssMetadata(line: string): { modelVersion: string; date: string } | string {
  const fields = line.split(',');
  if (fields.length !== 2) return `expected 2 metadata fields, got ${fields.length}: ${JSON.stringify(line.slice(0, 200))}`;
  let modelVersion = '';
  let date = '';
  for (const raw of fields) {
    const field = raw.trim().replace(/^#/, '');
    const colon = field.indexOf(':');
    if (colon < 0) return `unexpected metadata field format: ${JSON.stringify(field)}`;
    const key = field.slice(0, colon);
    const value = field.slice(colon + 1);
    if (key === 'model_version') modelVersion = value;
    else if (key === 'score_date') date = value;
  }
  if (modelVersion === '' || date === '') return `missing metadata fields in ${JSON.stringify(line.slice(0, 200))}`;
  return { modelVersion, date };
}

/** Go's `strconv.ParseFloat` for the decimal forms EPSS writes; undefined when it is not a finite number. */
function number(text: string): number | undefined {
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Streams the records of the EPSS file at `file` (gzip when `gzip`).
 *
 * @throws ClairError `UPDATER_PARSE` naming `component` and the line.
 */
export async function* readEpss(file: string, gzip: boolean, component: string, tally: EpssTally): AsyncGenerator<EnrichmentRecord> {
  const source: Readable = createReadStream(file);
  const text = gzip ? source.pipe(createGunzip()) : source;
  if (gzip) source.on('error', (err) => text.destroy(err));
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  const fail = (line: number, message: string) => clairError('UPDATER_PARSE', `${component}: malformed EPSS file, line ${line}: ${message}`);
  let n = 0;
  let meta: { modelVersion: string; date: string } | undefined;
  try {
    for await (const line of lines) {
      n++;
      if (n === 1) {
        const parsed = parseEpssMetadata(line);
        if (typeof parsed === 'string') throw fail(n, parsed);
        meta = parsed;
        continue;
      }
      if (n === 2) {
        if (line.trim() !== 'cve,epss,percentile') throw fail(n, `unexpected CSV header ${JSON.stringify(line.slice(0, 200))} (want cve,epss,percentile)`);
        continue;
      }
      if (line === '' || line.startsWith('#')) continue;
      if (line.includes('"')) throw fail(n, 'quoted fields are not expected in EPSS data');
      const fields = line.split(',');
      if (fields.length !== 3) throw fail(n, `expected 3 fields, got ${fields.length}`);
      const [cve, epssText, percentileText] = fields as [string, string, string];
      const epss = number(epssText);
      const percentile = number(percentileText);
      if (epss === undefined || percentile === undefined) {
        tally.invalid++;
        tally.invalidExample ??= `line ${n}: ${line.slice(0, 200)}`;
        continue;
      }
      const item: EpssItem = { modelVersion: meta!.modelVersion, date: meta!.date, cve, epss, percentile };
      tally.written++;
      yield { tags: [cve], enrichment: item };
    }
  } catch (err) {
    if (isClairError(err)) throw err;
    throw clairError('UPDATER_PARSE', `${component}: unreadable EPSS file after line ${n}: ${(err as Error).message}`, { cause: err });
  } finally {
    lines.close();
    text.destroy();
    source.destroy();
  }
  if (n < 2) throw fail(n + 1, n === 0 ? 'empty file' : 'no CSV header');
}
