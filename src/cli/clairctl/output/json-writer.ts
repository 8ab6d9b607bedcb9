/**
 * @module Writing JSON documents piece by piece, so that a report with tens
 * of thousands of packages never becomes one giant string.
 *
 * Two flavours:
 * - `goJson` and `writeGoReport` write what Clair's clairctl writes: compact
 *   JSON from the ugorji codec, which escapes `<`, `>`, `&`, U+2028 and
 *   U+2029 as `\u003c`-style sequences and writes a struct's fields in
 *   declaration order (for a report: claircore's `VulnerabilityReport`).
 * - `writePretty` writes two-space indented JSON (as `JSON.stringify(v, null, 2)`)
 *   where arrays wrapped with `streamed` are produced lazily, item by item,
 *   and objects wrapped with `streamedObject` are written key by key, with
 *   function values evaluated only when reached.
 */
import type { VulnerabilityReport } from '../../../model/vulnerability.js';
import type { OutputSink } from './sink.js';

const GO_ESCAPES: Readonly<Record<string, string>> = { '&': '\\u0026', '<': '\\u003c', '>': '\\u003e', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** Compact JSON escaped as Go's JSON encoders escape it. */
export function goJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/[&<>\u2028\u2029]/g, (c) => GO_ESCAPES[c]!);
}

/** claircore's `VulnerabilityReport` fields, in declaration order, by JSON name. */
export const GO_REPORT_FIELDS = ['manifest_hash', 'packages', 'distributions', 'repository', 'environments', 'vulnerabilities', 'package_vulnerabilities', 'enrichments'] as const;

/**
 * Writes a report as clairctl's json format does: compact, fields in
 * claircore's order, a map the report lacks as `null` (a nil Go map), each
 * map written entry by entry.
 */
export async function writeGoReport(sink: OutputSink, report: VulnerabilityReport): Promise<void> {
  await sink.write('{');
  for (const [i, field] of GO_REPORT_FIELDS.entries()) {
    await sink.write(`${i === 0 ? '' : ','}${goJson(field)}:`);
    const value: unknown = report[field];
    if (field === 'manifest_hash' || value === undefined || value === null) {
      await sink.write(goJson(value ?? (field === 'manifest_hash' ? '' : null)));
      continue;
    }
    await sink.write('{');
    let first = true;
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      await sink.write(`${first ? '' : ','}${goJson(key)}:${goJson(entry)}`);
      first = false;
    }
    await sink.write('}');
  }
  await sink.write('}');
}

const STREAMED = Symbol('streamed');

/** An array whose items are produced when it is written. */
export interface StreamedArray {
  readonly [STREAMED]: 'array';
  readonly items: Iterable<unknown>;
}

/** An object written key by key; a function value is called when its key is reached. */
export interface StreamedObject {
  readonly [STREAMED]: 'object';
  readonly entries: Record<string, unknown>;
}

export const streamed = (items: Iterable<unknown>): StreamedArray => ({ [STREAMED]: 'array', items });
export const streamedObject = (entries: Record<string, unknown>): StreamedObject => ({ [STREAMED]: 'object', entries });

const isStreamed = (v: unknown): v is StreamedArray | StreamedObject => typeof v === 'object' && v !== null && STREAMED in v;

const pad = (depth: number) => '  '.repeat(depth);

/** `JSON.stringify(value, null, 2)` for a value that starts `depth` levels deep. */
export function indentedJson(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return depth === 0 ? text : text.replace(/\n/g, `\n${pad(depth)}`);
}

/** Writes `value` as indented JSON, `depth` levels deep, expanding streamed parts lazily. */
export async function writePretty(sink: OutputSink, value: unknown, depth = 0): Promise<void> {
  if (!isStreamed(value)) {
    await sink.write(indentedJson(value, depth));
    return;
  }
  if (value[STREAMED] === 'array') {
    let first = true;
    for (const item of value.items) {
      await sink.write(`${first ? '[' : ','}\n${pad(depth + 1)}`);
      await writePretty(sink, item, depth + 1);
      first = false;
    }
    await sink.write(first ? '[]' : `\n${pad(depth)}]`);
    return;
  }
  let first = true;
  for (const [key, raw] of Object.entries(value.entries)) {
    const entry: unknown = typeof raw === 'function' ? (raw as () => unknown)() : raw;
    if (entry === undefined) continue;
    await sink.write(`${first ? '{' : ','}\n${pad(depth + 1)}${JSON.stringify(key)}: `);
    await writePretty(sink, entry, depth + 1);
    first = false;
  }
  await sink.write(first ? '{}' : `\n${pad(depth)}}`);
}
