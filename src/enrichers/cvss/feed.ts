/**
 * @module Streaming reader for NVD's CVE JSON 2.0 documents: the yearly and
 * `modified` feeds (`nvdcve-2.0-<year>.json.gz`) and, in the same shape, a
 * page of the CVE API 2.0:
 *
 * ```json
 * {"resultsPerPage": …, "format": "NVD_CVE", "version": "2.0",
 *  "vulnerabilities": [{"cve": {"id": "CVE-…", "vulnStatus": "Analyzed",
 *     "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {…}}], …}}}]}
 * ```
 *
 * One element of `vulnerabilities` is assembled at a time, without the
 * parts this reader never looks at (descriptions, references, weaknesses,
 * configurations: most of a feed's bytes), so a feed of any size streams in
 * bounded memory.
 *
 * Which score a CVE gets (claircore `enricher/cvss` `WriteCVSS`): rejected
 * CVEs are skipped; the `cvssData` of NVD's own (`Primary`) CVSS v3.1
 * metric, else its v3.0 one, exactly as upstream; and, where NVD gave no
 * v3.x score, its v4.0 one (an addition: upstream reads no v4.0). Scores a
 * CVE's numbering authority supplied (`Secondary`) and CVSS v2 are not
 * used, as upstream. The record is the `cvssData` object as NVD wrote it
 * (`version`, `vectorString`, `baseScore`, `baseSeverity`, the metrics),
 * tagged with the CVE id.
 */
import { createReadStream } from 'node:fs';
import type { Duplex, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import Parser from 'stream-json/Parser.js';
import Ignore from 'stream-json/filters/Ignore.js';
import Pick from 'stream-json/filters/Pick.js';
import StreamValues from 'stream-json/streamers/StreamValues.js';
import { clairError, isClairError } from '../../lib/errors.js';
import type { EnrichmentRecord } from '../../model/enrichment.js';
import { parseVector, scoreVector, severityOf } from './vector.js';

const ELEMENT = /^vulnerabilities\.\d+$/;
const UNUSED = /^vulnerabilities\.\d+\.cve\.(?:descriptions|references|weaknesses|configurations|cveTags|vendorComments)$/;

/** The metric lists consulted, in order of preference. */
const PREFERENCE = ['cvssMetricV31', 'cvssMetricV30', 'cvssMetricV40'] as const;

/** What reading a feed counted, for the run's log line. */
export interface FeedTally {
  /** Records yielded. */
  written: number;
  /** CVEs with no usable score (none from NVD, rejected, or superseded by the `modified` feed). */
  skipped: number;
  /** Scores whose vector string is malformed: left out, with one example kept. */
  badVectors: number;
  badVectorExample?: string;
  /** Scores whose stated base score differs from the vector's computed one (NVD's is kept). */
  scoreMismatches: number;
}

export const newTally = (): FeedTally => ({ written: 0, skipped: 0, badVectors: 0, scoreMismatches: 0 });

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** NVD's own score of the preferred version, or undefined. */
function preferredCvssData(metrics: unknown): Record<string, unknown> | undefined {
  if (!isObject(metrics)) return undefined;
  for (const key of PREFERENCE) {
    const list = metrics[key];
    if (!Array.isArray(list)) continue;
    for (const m of list) if (isObject(m) && m.type === 'Primary' && isObject(m.cvssData)) return m.cvssData;
  }
  return undefined;
}

/**
 * Checks a `cvssData` object against its vector: the vector must parse and
 * match the stated version; a missing base score or severity is filled in
 * from the vector; a stated score the vector disagrees with is kept (NVD is
 * the source) and counted. Returns the object to store, or a reason to
 * leave it out.
 */
export function checkCvssData(data: Record<string, unknown>, tally: FeedTally): Record<string, unknown> | string {
  const vector = data.vectorString;
  if (typeof vector !== 'string') return 'no vectorString';
  const parsed = parseVector(vector);
  if (!parsed.ok) return `vector ${JSON.stringify(vector)}: ${parsed.reason}`;
  if (typeof data.version === 'string' && data.version !== parsed.vector.version) return `vector ${JSON.stringify(vector)} is CVSS ${parsed.vector.version}, not ${data.version}`;
  const { base } = scoreVector(parsed.vector);
  if (typeof data.baseScore === 'number') {
    if (data.baseScore !== base) tally.scoreMismatches++;
    if (typeof data.baseSeverity === 'string') return data;
    return { ...data, baseSeverity: severityOf(parsed.vector.version, data.baseScore) };
  }
  return { ...data, version: parsed.vector.version, baseScore: base, baseSeverity: severityOf(parsed.vector.version, base) };
}

export interface ReadFeedOptions {
  /** `updater: feed name` for error messages. */
  component: string;
  tally: FeedTally;
  /** CVE ids to leave out (already read from the newer `modified` feed). */
  skip?: ReadonlySet<string> | undefined;
  /** Filled with every CVE id the feed holds, rejected ones included. */
  seen?: Set<string> | undefined;
}

/** The record for one `vulnerabilities[n]` element, or undefined when it has none. */
function recordOf(element: unknown, index: number, o: ReadFeedOptions): EnrichmentRecord | undefined {
  if (!isObject(element) || !isObject(element.cve)) throw new TypeError(`vulnerabilities[${index}]: expected {"cve": {…}}`);
  const { id, vulnStatus, metrics } = element.cve;
  if (typeof id !== 'string' || id === '') throw new TypeError(`vulnerabilities[${index}].cve.id: expected a string`);
  o.seen?.add(id);
  if (o.skip?.has(id) || (typeof vulnStatus === 'string' && vulnStatus.toLowerCase() === 'rejected')) {
    o.tally.skipped++;
    return undefined;
  }
  const data = preferredCvssData(metrics);
  if (data === undefined) {
    o.tally.skipped++;
    return undefined;
  }
  const checked = checkCvssData(data, o.tally);
  if (typeof checked === 'string') {
    o.tally.badVectors++;
    o.tally.badVectorExample ??= `${id}: ${checked}`;
    return undefined;
  }
  o.tally.written++;
  return { tags: [id], enrichment: checked };
}

/**
 * Streams the records of the NVD document in `file` (gzip-compressed when
 * `gzip`). Invalid JSON, gzip or JSON cut short, or an element of the wrong
 * shape rejects with `UPDATER_PARSE` naming the feed.
 */
export async function* readNvdFeed(file: string, gzip: boolean, o: ReadFeedOptions): AsyncGenerator<EnrichmentRecord> {
  const stages: Array<Readable | Duplex> = [
    createReadStream(file),
    ...(gzip ? [createGunzip()] : []),
    Parser.parser(),
    Ignore.ignore({ filter: UNUSED }),
    Pick.pick({ filter: ELEMENT }),
    StreamValues.streamValues(),
  ];
  const last = stages[stages.length - 1] as Duplex;
  // .pipe() does not forward errors; route every stage's error to the stage read from.
  for (const stage of stages) stage.on('error', (err: Error) => last.destroy(err));
  for (let i = 1; i < stages.length; i++) (stages[i - 1] as Readable).pipe(stages[i] as Duplex);
  let index = 0;
  try {
    for await (const item of last as AsyncIterable<{ key: number; value: unknown }>) {
      const record = recordOf(item.value, index++, o);
      if (record) yield record;
    }
  } catch (err) {
    if (isClairError(err)) throw err;
    throw clairError('UPDATER_PARSE', `${o.component}: malformed NVD feed: ${(err as Error).message}`, { cause: err });
  } finally {
    for (const stage of stages) stage.destroy();
  }
}
