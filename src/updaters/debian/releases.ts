/**
 * @module Which Debian releases get records. Two sources, merged:
 *
 * 1. A built-in table of every numbered release from wheezy (7) to trixie
 *    (13), so tracker data for releases a mirror no longer lists (buster,
 *    stretch) still becomes records, and an unreachable mirror costs nothing.
 * 2. The mirror, read the way claircore does: scan the `dists/` HTML index
 *    for links, then read the head of each `dists/<codename>/Release` (a
 *    `Range: bytes=0-512` request) for its numeric `Version`. Suites without
 *    one (sid, testing) are not releases the scanner can report; a Release
 *    that is missing or answers oddly is skipped. This finds releases newer
 *    than the table.
 *
 * The mirror is optional: when its listing fails, a warning is logged and
 * the table alone is used.
 */
import type { Logger } from 'pino';
import { clairError } from '../../lib/errors.js';
import { mapLimit } from '../../lib/concurrency.js';
import { fetchText, type FetchContext } from '../download.js';

/** A numbered Debian release, e.g. `{ codeName: 'bookworm', versionId: 12 }`. */
export interface DebianRelease {
  codeName: string;
  versionId: number;
}

/**
 * Aliases and unnumbered suites. Codenames are single lower-case words, so
 * suites with `-` (`bookworm-updates`, `rc-buggy`) never get this far.
 */
const NOT_RELEASES = new Set(['stable', 'oldstable', 'oldoldstable', 'testing', 'unstable', 'sid', 'experimental']);

const INDEX_LIMIT = 4 * 1024 * 1024; // 4 MiB: a dists/ listing is a few KiB
const RELEASE_HEAD_LIMIT = 8 * 1024; // 8 KiB: servers that ignore Range send the whole file
const CONCURRENCY = 4;

/** The candidate codenames an HTML directory index links to, in order. */
export function distsFromIndex(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<a\s[^>]*?href\s*=\s*["']([^"']*)["']/gi)) {
    let name: string;
    try {
      name = decodeURIComponent(m[1]!);
    } catch {
      continue;
    }
    name = name.replace(/\/+$/, '');
    if (!/^[a-z]+$/.test(name) || NOT_RELEASES.has(name) || out.includes(name)) continue;
    out.push(name);
  }
  return out;
}

/**
 * The fields of a control-file paragraph (the Release head). Only complete
 * lines count: a range response can end mid-line.
 */
export function releaseFields(text: string, complete: boolean): Map<string, string> {
  const lines = text.split(/\r?\n/);
  if (!complete) lines.pop();
  const fields = new Map<string, string>();
  for (const line of lines) {
    if (line === '') break;
    if (line.startsWith(' ') || line.startsWith('\t')) continue; // continuation (checksum lists)
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return fields;
}

/** The major version of a Release `Version` (`12.15` → 12), if numeric. */
export function majorVersion(version: string | undefined): number | undefined {
  const m = /^(\d{1,9})(?:\.\d+)*$/.exec(version ?? '');
  return m ? Number(m[1]) : undefined;
}


/**
 * Every numbered Debian release by codename, from wheezy on (the tracker
 * carries nothing older). Public knowledge (debian-distro-info); a release
 * newer than this is found on the mirror.
 */
export const KNOWN_DEBIAN_RELEASES: readonly DebianRelease[] = [
  { codeName: 'wheezy', versionId: 7 },
  { codeName: 'jessie', versionId: 8 },
  { codeName: 'stretch', versionId: 9 },
  { codeName: 'buster', versionId: 10 },
  { codeName: 'bullseye', versionId: 11 },
  { codeName: 'bookworm', versionId: 12 },
  { codeName: 'trixie', versionId: 13 },
];

/** Reads one `dists/<dist>/Release` head; anything but a numbered release is skipped, never an error. */
async function readRelease(ctx: FetchContext, log: Logger, distsUrl: string, dist: string): Promise<DebianRelease | undefined> {
  const url = new URL(`${dist}/Release`, distsUrl).href;
  let got: Awaited<ReturnType<typeof fetchText>>;
  try {
    got = await fetchText(ctx, url, { component: 'debian', headers: { range: 'bytes=0-512' }, accept: [200, 206], tolerate: [404], maxBytes: RELEASE_HEAD_LIMIT, overflow: 'truncate' });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    // claircore logs and moves on: one odd suite must not hide the others.
    log.info({ dist, url, err }, 'debian release skipped: unexpected response');
    return undefined;
  }
  if (got.status === 404) {
    log.debug({ dist, url }, 'debian release skipped: no Release file');
    return undefined;
  }
  const fields = releaseFields(got.text, !got.truncated && got.status !== 206);
  const versionId = majorVersion(fields.get('version'));
  // A symlinked alias (stable → trixie) names another codename.
  const codeName = fields.get('codename');
  if (versionId === undefined || (codeName !== undefined && codeName !== dist)) {
    log.debug({ dist, version: fields.get('version') ?? '', codeName: codeName ?? '' }, 'debian release skipped: not a numbered release');
    return undefined;
  }
  return { codeName: dist, versionId };
}

/**
 * The numbered releases the mirror's `dists/` index lists, in index order.
 *
 * @throws ClairError `UPDATER_FETCH` when the index itself cannot be read.
 */
export async function discoverReleases(ctx: FetchContext, log: Logger, distsUrl: string): Promise<DebianRelease[]> {
  const got = await fetchText(ctx, distsUrl, { component: 'debian', maxBytes: INDEX_LIMIT, overflow: 'truncate' });
  if (got.truncated) throw clairError('UPDATER_FETCH', `debian: dists index ${distsUrl} is larger than ${INDEX_LIMIT} bytes`);
  const dists = distsFromIndex(got.text);
  const found = await mapLimit(dists, CONCURRENCY, (dist) => readRelease(ctx, log, distsUrl, dist));
  return found.filter((r): r is DebianRelease => r !== undefined);
}

/**
 * The built-in table merged with what the mirror numbers (the mirror wins
 * for a codename in both), by version. A mirror that cannot be listed is a
 * warning, not a failure: the tracker is the only essential source.
 */
export async function debianReleases(ctx: FetchContext, log: Logger, distsUrl: string): Promise<DebianRelease[]> {
  const byName = new Map(KNOWN_DEBIAN_RELEASES.map((r) => [r.codeName, r]));
  try {
    for (const r of await discoverReleases(ctx, log, distsUrl)) byName.set(r.codeName, r);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    log.warn({ url: distsUrl, err }, 'debian mirror listing failed; using the built-in release table');
  }
  return [...byName.values()].sort((a, b) => a.versionId - b.versionId || a.codeName.localeCompare(b.codeName));
}
