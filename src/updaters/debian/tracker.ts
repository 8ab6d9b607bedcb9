/**
 * @module Streaming reader for the Debian security tracker's JSON dump
 * (`https://security-tracker.debian.org/tracker/data/json`, ~70 MB):
 *
 * ```json
 * {"openssl": {"CVE-2024-0727": {"description": "…", "scope": "local",
 *   "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.13-1~deb12u1",
 *                             "urgency": "low", "repositories": {"bookworm": "3.0.11-1~deb12u2"}}}}}}
 * ```
 *
 * stream-json assembles one top-level member (one source package with all
 * its CVEs) at a time, so memory is bounded by the largest package, never
 * the document.
 */
import { createReadStream } from 'node:fs';
import { pipeline, type Duplex } from 'node:stream';
import Parser from 'stream-json/Parser.js';
import StreamObject from 'stream-json/streamers/StreamObject.js';
import { clairError, isClairError } from '../../lib/errors.js';

/** One release's entry for a (source package, CVE). */
export interface TrackerEntry {
  source: string;
  cve: string;
  description: string;
  release: string;
  status: string;
  /** As published; absent is `''`. */
  fixedVersion: string;
  urgency: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The entries of one source package, in document order. Shapes the tracker
 * does not promise are skipped, not fatal: a CVE whose `releases` is `[]`
 * (PHP's encoding of an empty map) has no entries.
 */
export function* packageEntries(source: string, cves: unknown): Generator<TrackerEntry> {
  if (!isObject(cves)) return;
  for (const [cve, data] of Object.entries(cves)) {
    if (!isObject(data) || !isObject(data.releases)) continue;
    const description = str(data.description);
    for (const [release, rd] of Object.entries(data.releases)) {
      if (!isObject(rd)) continue;
      yield { source, cve, description, release, status: str(rd.status), fixedVersion: str(rd.fixed_version), urgency: str(rd.urgency) };
    }
  }
}

/**
 * Streams `file` as `[source package, its CVE map]` pairs. Invalid or
 * truncated JSON, or a top level that is not an object, rejects with
 * `UPDATER_PARSE`.
 */
export async function* readTracker(file: string, signal?: AbortSignal): AsyncGenerator<[string, unknown]> {
  // Packed values only: no per-character string tokens, about half the work.
  const members = pipeline(
    createReadStream(file, { highWaterMark: 256 * 1024 }),
    Parser.parser({ streamValues: false }),
    StreamObject.streamObject(),
    () => {}, // errors surface through the iterator below
  ) as Duplex;
  try {
    for await (const { key, value } of members as AsyncIterable<{ key: string; value: unknown }>) {
      signal?.throwIfAborted();
      yield [key, value];
    }
  } catch (err) {
    if (isClairError(err) || signal?.aborted) throw err;
    throw clairError('UPDATER_PARSE', `debian: malformed tracker JSON ${file}: ${(err as Error).message}`, { cause: err });
  } finally {
    members.destroy();
  }
}
