/**
 * @module Streaming bundle reader (the inverse of `writer.ts`; claircore's
 * `jsonblob.Loader.All`). It yields one {@link BundleOperation} per run of
 * consecutive lines sharing a `Ref`; each operation's `records` streams its
 * lines as they are read, so neither the bundle nor an operation is ever
 * held in memory. Records left unread are skipped when the next operation is
 * requested.
 *
 * Stricter than upstream, so a damaged bundle fails with the line named
 * instead of importing something else: a line that is not a JSON object, a
 * missing or mistyped header field, an unknown `Kind`, a record without its
 * payload, an operation whose lines disagree on updater, fingerprint or
 * kind, and a `Ref` that comes back after another operation are all
 * `BUNDLE_FORMAT` errors. Blank lines are skipped, as Go's decoder skips
 * white space.
 */
import { clairError } from '../../lib/errors.js';
import type { UpdateKind, VulnerabilityRecord } from '../../model/index.js';
import { BundleFieldError, fromClaircoreVulnerability } from './claircore-vulnerability.js';
import { UPDATE_KINDS, type BundleOperation, type EnrichmentRecord, type OperationHeader } from './format.js';
import { MAX_LINE_BYTES, numberedLines, type NumberedLine } from './lines.js';

export interface ReadOptions {
  /** The longest line accepted (default {@link MAX_LINE_BYTES}). */
  maxLineBytes?: number;
}

interface ParsedLine extends OperationHeader {
  number: number;
  /** The `Vuln` or `Enrichment` value. */
  payload: unknown;
}

/** google/uuid's accepted forms: canonical, `urn:uuid:`, braced, or 32 hex digits. */
const UUID = /^(?:urn:uuid:|\{)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

const formatError = (line: number, message: string) => clairError('BUNDLE_FORMAT', `bundle line ${line}: ${message}`);

function headerString(o: Record<string, unknown>, key: string, line: number, nonEmpty: boolean): string {
  const v = o[key];
  if (v === undefined) throw formatError(line, `missing "${key}"`);
  if (typeof v !== 'string') throw formatError(line, `"${key}" must be a string, not ${JSON.stringify(v)}`);
  if (nonEmpty && v === '') throw formatError(line, `"${key}" is empty`);
  return v;
}

/** One line's header and payload, checked. */
function parseLine({ number, text }: NumberedLine): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw formatError(number, `not JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw formatError(number, 'expected a JSON object');
  const o = value as Record<string, unknown>;
  const updater = headerString(o, 'Updater', number, true);
  const fingerprint = headerString(o, 'Fingerprint', number, false);
  const date = headerString(o, 'Date', number, true);
  if (!/^\d{4}-\d\d-\d\dT/.test(date) || Number.isNaN(Date.parse(date))) throw formatError(number, `"Date" is not an RFC 3339 time: ${JSON.stringify(date)}`);
  const kind = headerString(o, 'Kind', number, true);
  if (!(UPDATE_KINDS as readonly string[]).includes(kind)) throw formatError(number, `unknown "Kind" ${JSON.stringify(kind)} (known: ${UPDATE_KINDS.join(', ')})`);
  const ref = headerString(o, 'Ref', number, true);
  if (!UUID.test(ref)) throw formatError(number, `"Ref" is not a UUID: ${JSON.stringify(ref)}`);
  const field = kind === 'vulnerability' ? 'Vuln' : 'Enrichment';
  const payload = o[field];
  if (payload === undefined || payload === null) throw formatError(number, `a ${kind} line without "${field}"`);
  return { number, updater, fingerprint, date, kind: kind as UpdateKind, ref: ref.toLowerCase(), payload };
}

function vulnerabilityOf(line: ParsedLine): VulnerabilityRecord {
  try {
    return fromClaircoreVulnerability(line.payload, 'Vuln');
  } catch (err) {
    if (err instanceof BundleFieldError) throw formatError(line.number, err.message);
    throw err;
  }
}

function enrichmentOf(line: ParsedLine): EnrichmentRecord {
  const e = line.payload;
  if (typeof e !== 'object' || e === null || Array.isArray(e)) throw formatError(line.number, 'Enrichment: expected an object');
  const { Tags: tags, Enrichment: enrichment } = e as Record<string, unknown>;
  if (tags !== undefined && tags !== null && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))) {
    throw formatError(line.number, 'Enrichment.Tags: expected an array of strings');
  }
  return { tags: (tags as string[] | null | undefined) ?? [], enrichment: enrichment ?? null };
}

/**
 * The operations of a decompressed bundle, in file order.
 *
 * @throws ClairError `BUNDLE_FORMAT` naming the line of a malformed record;
 *   the source's own errors are rethrown naming the last line read.
 */
export async function* readBundle(source: AsyncIterable<Uint8Array>, options: ReadOptions = {}): AsyncGenerator<BundleOperation> {
  const lines = numberedLines(source, options.maxLineBytes ?? MAX_LINE_BYTES);
  const next = async (): Promise<ParsedLine | undefined> => {
    for (;;) {
      const step = await lines.next();
      if (step.done) return undefined;
      if (step.value.text.trim() !== '') return parseLine(step.value);
    }
  };
  const finished = new Set<string>();
  let current = await next();
  while (current !== undefined) {
    const head = current;
    if (finished.has(head.ref)) throw formatError(head.number, `"Ref" ${head.ref} comes back after other operations; an operation's lines must be consecutive`);
    let open = true;
    let started = false;
    const sameOperation = (line: ParsedLine | undefined): line is ParsedLine => {
      if (line === undefined || line.ref !== head.ref) return false;
      for (const [key, a, b] of [['Updater', line.updater, head.updater], ['Fingerprint', line.fingerprint, head.fingerprint], ['Kind', line.kind, head.kind]] as const) {
        if (a !== b) throw formatError(line.number, `"${key}" ${JSON.stringify(a)} differs from ${JSON.stringify(b)} on line ${head.number} of the same operation (Ref ${head.ref})`);
      }
      return true;
    };
    async function* records<T>(convert: (line: ParsedLine) => T): AsyncGenerator<T> {
      if (started) throw new Error(`bundle: the records of the operation at line ${head.number} were already read`);
      started = true;
      for (;;) {
        if (!open) throw new Error(`bundle: the records of the operation at line ${head.number} were read after the next operation was requested`);
        if (!sameOperation(current)) return;
        yield convert(current);
        current = await next();
      }
    }
    const header = { updater: head.updater, fingerprint: head.fingerprint, date: head.date, ref: head.ref, line: head.number };
    yield head.kind === 'vulnerability' ? { ...header, kind: 'vulnerability', records: records(vulnerabilityOf) } : { ...header, kind: 'enrichment', records: records(enrichmentOf) };
    open = false;
    finished.add(head.ref);
    // Whatever the consumer left unread, up to the next operation.
    while (sameOperation(current)) current = await next();
  }
}
