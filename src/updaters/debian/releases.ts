/**
 * @module Finding Debian releases the way claircore does: scan the archive's
 * `dists/` HTML index for links, then read the head of each
 * `dists/<codename>/Release` (a `Range: bytes=0-512` request) for its
 * numeric `Version`. Suites without one (sid, testing) are not releases the
 * scanner can report, so they are skipped.
 */
import type { Logger } from 'pino';
import { clairError } from '../../lib/errors.js';
import { mapLimit } from '../../lib/concurrency.js';
import { fetchText, type FetchContext } from '../shared-dpkg/http.js';

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

async function readRelease(ctx: FetchContext, log: Logger, base: string, dist: string): Promise<DebianRelease | undefined> {
  const url = new URL(`dists/${dist}/Release`, base).href;
  const got = await fetchText(ctx, url, { component: 'debian', headers: { range: 'bytes=0-512' }, tolerate: [404], maxBytes: RELEASE_HEAD_LIMIT });
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

/** The numbered releases under `<base>dists/`, in index order. */
export async function discoverReleases(ctx: FetchContext, log: Logger, base: string): Promise<DebianRelease[]> {
  const index = new URL('dists/', base).href;
  const got = await fetchText(ctx, index, { component: 'debian', maxBytes: INDEX_LIMIT });
  if (got.truncated) throw clairError('UPDATER_FETCH', `debian: dists index ${index} is larger than ${INDEX_LIMIT} bytes`);
  const dists = distsFromIndex(got.text);
  const found = await mapLimit(dists, CONCURRENCY, (dist) => readRelease(ctx, log, base, dist));
  return found.filter((r): r is DebianRelease => r !== undefined);
}

/**
 * Releases from every base in order; a codename found earlier wins, so the
 * live mirror overrides the archive of retired releases.
 */
export async function discoverAll(ctx: FetchContext, log: Logger, bases: readonly string[]): Promise<DebianRelease[]> {
  const byName = new Map<string, DebianRelease>();
  for (const base of bases) {
    for (const r of await discoverReleases(ctx, log, base)) if (!byName.has(r.codeName)) byName.set(r.codeName, r);
  }
  return [...byName.values()].sort((a, b) => a.versionId - b.versionId);
}
