/**
 * @module Vulnerability data for the distributed benchmark: a synthetic
 * Debian security tracker (src/test-support/debian-tracker.ts, the real
 * schema) and a small mirror (`dists/` listing and Release files), served on
 * loopback so a real `clair -mode matcher` loads it with its own `debian`
 * updater, exactly as it would load the upstream tracker.
 *
 * The tracker's source-package names are read back from the file, so the
 * benchmark's images can be made of packages the tracker knows: every
 * package of every image then has candidate vulnerabilities to match.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startFeedServer } from '../../src/test-support/feed-server.js';
import { writeSyntheticTracker, type SyntheticSummary } from '../../src/test-support/debian-tracker.js';

/** The tracker and mirror, served. */
export interface DebianFeed {
  /** `updaters` block for a clair config: only the `debian` set, reading this feed. */
  updaters: Record<string, unknown>;
  /** Source-package names in the tracker, in file order (the first few are its "giants", with thousands of CVEs each). */
  sourceNames: string[];
  summary: SyntheticSummary;
  close(): Promise<void>;
}

/** Top-level keys of the tracker are source packages, written one per line at a two-space indent. */
const SOURCE_LINE = /^ {2}"((?:[^"\\]|\\.)+)": \{$/;

/** Reads the source-package names of a tracker written by {@link writeSyntheticTracker}, streaming the file. */
async function sourceNamesOf(path: string): Promise<string[]> {
  const names: string[] = [];
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    const match = SOURCE_LINE.exec(line);
    if (match) names.push(JSON.parse(`"${match[1]}"`) as string);
  }
  return names;
}

const release = (codename: string, version: string): string =>
  `Origin: Debian\nLabel: Debian\nSuite: stable\nVersion: ${version}\nCodename: ${codename}\nDescription: Debian ${version}\n`;

/**
 * Writes a tracker of `packages` source packages into `dir` and serves it.
 *
 * @throws Error when the written file lists a different number of packages than asked (the name scan no longer fits the generator).
 */
export async function serveDebianFeed(dir: string, packages: number): Promise<DebianFeed> {
  const file = join(dir, 'tracker.json');
  const summary = await writeSyntheticTracker(file, { packages, seed: 7, numbered: ['bookworm'] });
  const sourceNames = await sourceNamesOf(file);
  if (sourceNames.length !== packages) throw new Error(`debian feed: read ${sourceNames.length} source names from the tracker, expected ${packages}`);
  const server = await startFeedServer({
    '/debian/dists/': { body: '<a href="bookworm/">bookworm/</a> <a href="bullseye/">bullseye/</a> <a href="sid/">sid/</a>', contentType: 'text/html' },
    '/debian/dists/bookworm/Release': { body: release('bookworm', '12.7') },
    '/debian/dists/bullseye/Release': { body: release('bullseye', '11.11') },
    '/tracker/data/json': { body: { file }, contentType: 'application/json', lastModified: new Date('2026-01-05T08:00:00Z') },
  });
  return {
    updaters: { sets: ['debian'], config: { debian: { mirror_url: server.url, json_url: `${server.url}tracker/data/json` } } },
    sourceNames,
    summary,
    close: () => server.close(),
  };
}
